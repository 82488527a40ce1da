"""WARC round trip (issue 12): crawl --warc → ingest gives the crawl's report;
wget's WARC gives the same clusters; warcio accepts our files; a SIGKILLed
crawl leaves readable files; a killed ingest resumed ends like an unbroken one."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from copyhound.crawler.warc import WarcProblem, iter_pages
from copyhound.sites import serve_sites
from tests.conftest import FIXTURE_SITES, copyhound_argv, report_json, run_cli
from tests.e2e.warc_corpus import write_corpus

pytestmark = pytest.mark.e2e

WARCIO = Path(sys.executable).parent / "warcio"


def _crawl(seeds: list[str], db: Path, *extra: str) -> None:
    run_cli("crawl", *seeds, "--db", str(db), "--own-domain", "127.0.0.1", "--allow-private",
            "--delay", "0", "--quiet", *extra, check=True)


def _ingest(db: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    return run_cli("ingest", *paths, "--db", str(db), "--own-domain", "127.0.0.1", "--quiet", check=True)


def _clusters(report: dict) -> list[tuple]:
    """What the issue asks to be equal: clusters, canonicals, relations, statuses."""
    return sorted(
        (c["canonical"]["url"], c["canonical"]["reason"],
         tuple(sorted((x["url"], x["relation"], x["status"]) for x in c["copies"])))
        for c in report["clusters"]
    )


def _no_run_fields(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "generated_at"}


def test_crawl_to_warc_then_ingest_gives_the_crawls_report(tmp_path: Path) -> None:
    warc_dir = tmp_path / "warc"
    with serve_sites(FIXTURE_SITES) as sites:
        seeds = [s.base_url + "/" for s in sites.values()]
        _crawl(seeds, tmp_path / "crawl.db", "--warc", str(warc_dir))
    files = sorted(warc_dir.glob("copyhound-1-*.warc.gz"))
    assert files, "crawl --warc wrote no file"
    for path in files:
        check = subprocess.run([str(WARCIO), "check", str(path)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stdout + check.stderr
        index = subprocess.run([str(WARCIO), "index", str(path)], capture_output=True, text=True, timeout=60)
        types = [json.loads(line)["warc-type"] for line in index.stdout.splitlines()]
        assert index.returncode == 0 and types[0] == "warcinfo"
        assert {"request", "response"} <= set(types)
    _ingest(tmp_path / "ingest.db", str(warc_dir / "*.warc.gz"))
    crawled, ingested = report_json(tmp_path / "crawl.db"), report_json(tmp_path / "ingest.db")
    assert crawled["clusters"], "the fixture sites must give clusters for this test to mean anything"
    assert _no_run_fields(ingested) == _no_run_fields(crawled)


def test_ingest_is_a_run_that_diff_and_fail_on_see(tmp_path: Path) -> None:
    warc_dir = tmp_path / "warc"
    with serve_sites(FIXTURE_SITES) as sites:
        _crawl([s.base_url + "/" for s in sites.values()], tmp_path / "crawl.db", "--warc", str(warc_dir))
    db = tmp_path / "i.db"
    _ingest(db, str(warc_dir / "*.warc.gz"))
    again = _ingest(db, str(warc_dir / "*.warc.gz"))
    assert again.returncode == 0
    diff = run_cli("diff", "--db", str(db))
    assert diff.returncode == 0, diff.stderr
    failed = run_cli("report", "--db", str(db), "--format", "json", "--fail-on", "self-canonical")
    assert failed.returncode == 3, failed.stderr


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed (apt-get install wget)")
def test_wget_warc_ingested_gives_the_crawls_clusters(tmp_path: Path) -> None:
    with serve_sites(FIXTURE_SITES) as sites:
        seeds = [s.base_url + "/" for s in sites.values()]
        wget = subprocess.run(
            [str(shutil.which("wget")), "--recursive", "--level=inf", "--no-verbose", "--delete-after",
             "--no-directories", "-P", str(tmp_path / "tmp"), f"--warc-file={tmp_path / 'site'}",
             "--no-warc-keep-log", *seeds],
            capture_output=True, text=True, timeout=120,
        )
        assert (tmp_path / "site.warc.gz").exists(), wget.stderr[-2000:]
        _crawl(seeds, tmp_path / "crawl.db")
    _ingest(tmp_path / "wget.db", str(tmp_path / "site.warc.gz"))
    crawled = _clusters(report_json(tmp_path / "crawl.db"))
    assert crawled and _clusters(report_json(tmp_path / "wget.db")) == crawled


def test_sigkilled_crawl_leaves_files_a_reader_accepts(tmp_path: Path) -> None:
    warc_dir = tmp_path / "warc"
    with serve_sites(FIXTURE_SITES) as sites:
        seeds = [s.base_url + "/" for s in sites.values()]
        proc = subprocess.Popen(
            [*copyhound_argv(), "crawl", *seeds, "--db", str(tmp_path / "k.db"), "--allow-private",
             "--delay", "0.3", "--host-concurrency", "1", "--quiet", "--warc", str(warc_dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and proc.poll() is None:
                files = list(warc_dir.glob("*.warc.gz"))
                if files and files[0].stat().st_size > 8000:
                    break
                time.sleep(0.02)
            assert proc.poll() is None, "the crawl ended before it could be killed"
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait(timeout=30)
        _crawl(seeds, tmp_path / "k.db", "--warc", str(warc_dir))  # the resumed run: a new file
    files = sorted(warc_dir.glob("*.warc.gz"))
    assert len(files) >= 2
    for path in files:
        items = list(iter_pages(path))
        assert [x for x in items if isinstance(x, WarcProblem)] == []
        check = subprocess.run([str(WARCIO), "check", str(path)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.slow
def test_killed_ingest_resumed_ends_with_the_same_clusters(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.warc.gz"
    write_corpus(corpus, posts=1500)
    whole = tmp_path / "whole.db"
    run_cli("ingest", str(corpus), "--db", str(whole), "--own-domain", "own.test", "--quiet", check=True)
    db = tmp_path / "killed.db"
    argv = [*copyhound_argv(), "ingest", str(corpus), "--db", str(db), "--own-domain", "own.test", "--quiet"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and _stored(db) < 300:
            time.sleep(0.05)
        assert proc.poll() is None, "the ingest ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    partial = _stored(db)
    resumed = run_cli("ingest", str(corpus), "--db", str(db), "--own-domain", "own.test", check=True)
    assert 0 < partial < 2000 and f"{partial} already stored" in resumed.stderr
    assert _clusters(report_json(db)) == _clusters(report_json(whole))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 2000


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM warc_records").fetchone()[0])
    except sqlite3.Error:
        return 0
