"""Two processes on one database: `report` while a crawl is writing reads one
consistent snapshot, and a second crawl refuses at once with one clear line
(the first holds an flock that the kernel releases even on SIGKILL)."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import copyhound_argv, run_cli
from support.faultserver import build_crash_sites

import copyhound.store.reports
from copyhound.cli import cli
from copyhound.sites import serve_sites

FLAGS = ("--allow-private", "--timeout", "5", "--quiet")


def _clusters(text: str) -> list[dict]:
    return json.loads(text)["clusters"]


def _start(db: Path, args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([*copyhound_argv(), "crawl", *args, "--db", str(db)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_for_pages(db: Path, n: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                if con.execute("SELECT count(*) FROM pages").fetchone()[0] >= n:
                    return
            finally:
                con.close()
        except sqlite3.OperationalError:
            pass
        time.sleep(0.02)
    raise AssertionError(f"the crawl did not store {n} pages in time (exit {proc.poll()})")


def test_report_during_a_recrawl_shows_the_old_or_the_new_clusters(
        tmp_path: Path, report_schema: dict) -> None:
    root = build_crash_sites(tmp_path / "sites", posts=24)
    db = tmp_path / "c.db"
    with serve_sites(root) as sites:
        args = [sites["blog"].base_url + "/", "--scope", sites["partner"].base_url, *FLAGS]
        run_cli("crawl", *args, "--delay", "0", "--db", str(db), check=True)
        before = _clusters(run_cli("report", "--db", str(db), "--format", "json", check=True).stdout)
        # The partner drops a third of its copies: the re-crawl replaces clusters.
        for i in range(0, 24, 6):
            (root / "partner" / "copies" / str(i) / "index.html").unlink()
        proc = _start(db, [*args, "--delay", "0"])
        seen: list[list[dict]] = []
        while proc.poll() is None:
            r = subprocess.run([*copyhound_argv(), "report", "--db", str(db), "--format", "json"],
                               capture_output=True, text=True, timeout=60, check=False)
            assert r.returncode == 0, r.stderr
            data = json.loads(r.stdout)
            jsonschema.validate(data, report_schema)
            seen.append(data["clusters"])
        assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
        after = _clusters(run_cli("report", "--db", str(db), "--format", "json", check=True).stdout)
    assert before != after
    assert seen, "no report ran while the crawl was writing"
    assert all(s in (before, after) for s in seen)


def test_report_reads_one_snapshot_while_a_writer_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          report_schema: dict) -> None:
    """A commit landing between the report's reads (clusters, then counts)
    must not show up in it: the report reads inside one transaction."""
    from support.report_data import two_run_db

    db = tmp_path / "x.db"
    two_run_db(db)
    first = json.loads(CliRunner().invoke(cli, ["report", "--db", str(db), "--format", "json"]).output)
    real_clusters = copyhound.store.reports.clusters

    def clusters_then_a_commit(conn):  # the patched store function
        out = real_clusters(conn)
        other = sqlite3.connect(db, timeout=5)  # another process's crawl, committing now
        other.execute("INSERT INTO pages (url, host, first_seen, body_hash) VALUES "
                      "('http://late.test/', 'late.test', '2026-01-01', 'x')")
        other.execute("DELETE FROM cluster_members")
        other.commit()
        other.close()
        return out

    monkeypatch.setattr(copyhound.store.reports, "clusters", clusters_then_a_commit)
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    jsonschema.validate(data, report_schema)
    assert data["pages"] == first["pages"]  # the late page is not counted: one snapshot
    assert data["clusters"] == first["clusters"]


@pytest.mark.parametrize("second_path", ["same", "symlink"])
def test_second_crawl_on_one_database_refuses_with_one_line(tmp_path: Path, second_path: str) -> None:
    root = build_crash_sites(tmp_path / "sites", posts=9)
    db = tmp_path / "c.db"
    with serve_sites(root) as sites:
        args = [sites["blog"].base_url + "/", "--scope", sites["partner"].base_url, *FLAGS]
        first = _start(db, [*args, "--delay", "1"])  # slow: it is still crawling when the second starts
        try:
            _wait_for_pages(db, 1, first)
            other = db
            if second_path == "symlink":  # the same database under another name
                other = tmp_path / "alias.db"
                other.symlink_to(db)
            second = run_cli("crawl", *args, "--delay", "0", "--db", str(other))
            assert second.returncode == 1, second.stderr
            lines = second.stderr.strip().splitlines()
            assert len(lines) == 1 and "Traceback" not in second.stderr, second.stderr
            assert re.search(rf"another copyhound crawl \(pid {first.pid}\) is writing .*: wait for it", lines[0])
            assert first.poll() is None  # the first crawl goes on, undisturbed
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        # The kill released the lock: the next crawl resumes and finishes.
        assert run_cli("crawl", *args, "--delay", "0", "--db", str(db)).returncode == 0
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT id, state FROM runs").fetchall() == [(1, "finished")]
