"""A full disk and a read-only database: one clear line, a non-zero exit, and
a database that still passes `PRAGMA integrity_check` and keeps what it held.

Real filesystems: a tmpfs of a few hundred KB fills up mid-crawl, and a tmpfs
remounted read-only holds a finished database (mounting needs root; the tests
skip without it)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli
from support.faultserver import build_crash_sites

from copyhound.sites import serve_sites

FLAGS = ("--allow-private", "--delay", "0", "--timeout", "5", "--quiet")


@pytest.fixture()
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=440k", "tmpfs", str(mnt)], capture_output=True,
                       text=True, check=False)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _remount(mnt: Path, opts: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{opts}", str(mnt)], check=True)


def _one_line(proc: subprocess.CompletedProcess[str], *says: str) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert any(s in lines[0].lower() for s in says), lines[0]
    return lines[0]


def _pages(db: Path) -> dict[str, str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return dict(con.execute("SELECT url, body_hash FROM pages WHERE body_hash IS NOT NULL").fetchall())
    finally:
        con.close()


def test_full_disk_is_one_line_and_the_crawl_resumes_once_there_is_room(tmp_path: Path, tmpfs: Path) -> None:
    root = build_crash_sites(tmp_path / "sites", posts=16)
    db = tmpfs / "c.db"
    with serve_sites(root) as sites:
        args = [sites["blog"].base_url + "/", "--scope", sites["partner"].base_url, *FLAGS]
        full = run_cli("crawl", *args, "--db", str(db))
        _one_line(full, "disk is full", "no space")
        held = _pages(db)
        assert held  # what was committed before the disk filled is there, intact
        _remount(tmpfs, "size=50m")
        assert run_cli("crawl", *args, "--db", str(db)).returncode == 0  # resumes where it stopped
        final = _pages(db)
        run_cli("crawl", *args, "--db", str(tmp_path / "ref.db"), check=True)
    assert held.items() <= final.items()
    assert final == _pages(tmp_path / "ref.db")


def test_read_only_database_is_one_line_and_left_as_it_was(tmp_path: Path, tmpfs: Path) -> None:
    root = build_crash_sites(tmp_path / "sites", posts=6)
    _remount(tmpfs, "size=50m")
    db = tmpfs / "c.db"
    with serve_sites(root) as sites:
        args = [sites["blog"].base_url + "/", "--scope", sites["partner"].base_url, *FLAGS]
        run_cli("crawl", *args, "--db", str(db), check=True)
        report = json.loads(run_cli("report", "--db", str(db), "--format", "json", check=True).stdout)
        snapshot = tmp_path / "before.db"
        shutil.copy(db, snapshot)
        _remount(tmpfs, "ro")
        _one_line(run_cli("crawl", *args, "--db", str(db)), "read-only", "readonly", "cannot write")
    assert db.read_bytes() == snapshot.read_bytes()
    # Reading a read-only database still works: the report is the same.
    ro_report = run_cli("report", "--db", str(db), "--format", "json")
    assert ro_report.returncode == 0, ro_report.stderr
    got = json.loads(ro_report.stdout)
    assert {**got, "generated_at": None} == {**report, "generated_at": None}


def test_report_to_a_full_disk_keeps_the_previous_report(tmp_path: Path, tmpfs: Path) -> None:
    from support.report_data import two_run_db

    db = tmp_path / "x.db"  # the database is elsewhere: only the report's disk is full
    two_run_db(db)
    previous = tmpfs / "report.html"
    previous.write_text("last week's report")
    (tmpfs / "filler").write_bytes(b"\0" * (shutil.disk_usage(tmpfs).free - 8192))  # 8 KB left
    proc = run_cli("report", "--db", str(db), "--format", "html", "--output", str(previous))
    _one_line(proc, "no space left")
    assert previous.read_text() == "last week's report"
    assert sorted(p.name for p in tmpfs.iterdir()) == ["filler", "report.html"]  # no half-written temporary
