"""`copyhound watch`: interval crawls through the real CLI on the fixture
sites; reports and diffs per run, a failed run survived, SIGTERM obeyed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import copyhound_argv, run_cli

from copyhound.cli import cli
from copyhound.commands.watch import parse_interval
from copyhound.errors import InputError
from copyhound.sites import serve_sites
from copyhound.store import open_db

WAIT_S = 30.0


@pytest.fixture()
def blog(sites_copy: Path) -> Iterator[tuple[str, Path]]:
    with serve_sites(sites_copy) as sites:
        yield sites["blog"].base_url, sites_copy


def _wait_for(predicate, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT_S
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_parse_interval() -> None:
    assert [parse_interval(t) for t in ("6h", "30m", "1h30m", "90s", "1d", "1.5h")] == [
        21600, 1800, 5400, 90, 86400, 5400]
    for bad in ("", "6", "h", "6x", "-1h", "0s", "400d", "6h junk"):
        with pytest.raises(InputError):
            parse_interval(bad)


def test_two_runs_write_reports_and_diffs(blog: tuple[str, Path], tmp_path: Path, report_schema: dict) -> None:
    base, _ = blog
    out = tmp_path / "out"
    proc = run_cli("watch", "--every", "1s", "--max-runs", "2", "--out", str(out), "--report-format", "json,csv,html",
                   base + "/", "--own-domain", "127.0.0.1", "--delay", "0")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.glob("run-*")) == ["run-0001", "run-0002"]
    assert os.readlink(out / "latest") == "run-0002"
    report = json.loads((out / "latest/report.json").read_text())
    jsonschema.validate(report, report_schema)
    assert report["clusters"] and all(cl["own_post"] for cl in report["clusters"])
    assert (out / "latest/report.csv").read_bytes().startswith(b"\xef\xbb\xbfcluster_id,")
    assert "Content-Security-Policy" in (out / "latest/report.html").read_text()
    first = json.loads((out / "run-0001/diff.json").read_text())
    assert first["from_run"] is None and len(first["new_copies"]) == sum(len(c["copies"]) for c in report["clusters"])
    second = json.loads((out / "run-0002/diff.json").read_text())
    assert (second["new_copies"], second["gone_copies"], second["changed_copies"]) == ([], [], [])
    log = (out / "watch.log").read_text().splitlines()
    assert len(log) == 3 and "run 2:" in log[2] and "0 new, 0 gone, 0 changed" in log[2]


def test_a_failed_run_is_logged_and_the_next_runs(blog: tuple[str, Path], tmp_path: Path) -> None:
    base, sites = blog
    index = sites / "blog/index.html"
    saved = index.read_bytes()
    index.unlink()  # the seed answers 404: no seed could be fetched, the crawl fails
    out = tmp_path / "out"
    watch = subprocess.Popen(
        [*copyhound_argv(), "watch", "--every", "3s", "--max-runs", "2", "--out", str(out), base + "/", "--delay", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        log = out / "watch.log"
        _wait_for(lambda: log.exists() and "crawl failed" in log.read_text(), "the first run to fail")
        index.write_bytes(saved)
        _, err = watch.communicate(timeout=WAIT_S)
    finally:
        if watch.poll() is None:
            watch.kill()
            watch.wait()
    assert watch.returncode == 0, err
    lines = log.read_text().splitlines()
    assert "crawl failed (exit 1): copyhound: error: no seed could be fetched" in lines[1]
    assert lines[2].split(" ", 1)[1].startswith("run 2:") and (out / "run-0002/report.json").exists()
    assert list(out.glob("crawl-*.log"))  # the failed crawl's output is kept


def test_sigterm_between_runs_and_during_a_crawl(blog: tuple[str, Path], tmp_path: Path) -> None:
    base, _ = blog
    out = tmp_path / "out"
    argv = [*copyhound_argv(), "watch", "--every", "1h", "--out", str(out), base + "/"]
    # Between runs: the first run finishes, then SIGTERM ends the hour's wait at once.
    watch = subprocess.Popen([*argv, "--delay", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: (out / "latest").exists(), "the first run")
        watch.send_signal(signal.SIGTERM)
        watch.communicate(timeout=WAIT_S)
    finally:
        if watch.poll() is None:
            watch.kill()
    assert watch.returncode == 0
    assert "stopped by signal 15 after 1 run(s)" in (out / "watch.log").read_text()
    # During a slow crawl (1 s between requests): the crawl is asked to stop and saves its place.
    watch = subprocess.Popen([*argv, "--delay", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: list(out.glob("crawl-*.log")), "the second crawl to start")
        time.sleep(1.5)
        watch.send_signal(signal.SIGTERM)
        watch.communicate(timeout=WAIT_S)
    finally:
        if watch.poll() is None:
            watch.kill()
    assert watch.returncode == 0
    assert "crawl stopped (exit 130); the next crawl resumes it" in (out / "watch.log").read_text()
    db = open_db(out / "copyhound.db", create=False)
    assert [r[0] for r in db.execute("SELECT state FROM runs ORDER BY id")] == ["finished", "interrupted"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--every", "soon", "--out", "{out}", "http://127.0.0.1:1/"], 1, "bad --every 'soon'"),
        (["--every", "1h", "--out", "{out}", "--report-format", "pdf", "http://127.0.0.1:1/"], 1,
         "unknown --report-format 'pdf'"),
        (["--every", "1h", "--out", "{out}", "http://127.0.0.1:1/", "--max-pages", "0"], 2, "--max-pages"),
        (["--every", "1h", "--out", "{out}", "http://127.0.0.1:1/", "--bogus"], 2, "No such option '--bogus'"),
    ],
)
def test_bad_options_are_refused_before_any_run(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["watch", *(a.replace("{out}", str(out)) for a in args)])
    assert r.exit_code == code and message in r.output, r.output
    assert not out.exists()
