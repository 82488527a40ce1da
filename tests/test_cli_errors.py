"""Bad input through the real CLI: one line on stderr, a non-zero exit, no
traceback, and nothing already stored lost."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from conftest import run_cli


def _one_line_error(proc, *, code: int = 1, says: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert says in lines[0], lines[0]
    assert "Traceback" not in proc.stderr


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.mark.parametrize(
    ("url", "says"),
    [("example.com", "bad URL"), ("ftp://example.com/", "bad URL"), ("http://", "no host"),
     ("http://x.test:99999/", "port")],
)
def test_bad_seed_url(tmp_path: Path, url: str, says: str) -> None:
    proc = run_cli("crawl", url, "--db", str(tmp_path / "a.db"))
    _one_line_error(proc, says=says)
    assert not (tmp_path / "a.db").exists()


def test_unwritable_db_path(tmp_path: Path) -> None:
    proc = run_cli("crawl", "http://127.0.0.1:1/", "--db", str(tmp_path / "missing" / "a.db"))
    _one_line_error(proc, says="does not exist")


def test_db_that_is_a_folder(tmp_path: Path) -> None:
    proc = run_cli("crawl", "http://127.0.0.1:1/", "--db", str(tmp_path))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr


def test_db_that_is_not_sqlite_is_left_alone(tmp_path: Path) -> None:
    p = tmp_path / "notes.db"
    p.write_text("not a database\n" * 200)
    proc = run_cli("crawl", "http://127.0.0.1:1/", "--db", str(p))
    _one_line_error(proc, says="not an SQLite database")
    assert p.read_text() == "not a database\n" * 200


def test_db_of_another_program_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    con.execute("INSERT INTO invoices VALUES (1, 9.5)")
    con.commit()
    con.close()
    _one_line_error(run_cli("report", "--db", str(p), "--format", "json"), says="another program")
    con = sqlite3.connect(p)
    assert con.execute("SELECT total FROM invoices").fetchall() == [(9.5,)]


def test_unreachable_seed_is_an_error_but_the_database_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    proc = run_cli("crawl", f"http://127.0.0.1:{_closed_port()}/", "--db", str(db), "--quiet",
                   "--timeout", "2")
    _one_line_error(proc, says="no seed could be fetched")
    con = sqlite3.connect(db)
    (kind,) = con.execute("SELECT error_kind FROM pages").fetchone()
    assert kind  # the failure is recorded


def test_unknown_report_format(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    run_cli("crawl", f"http://127.0.0.1:{_closed_port()}/", "--db", str(db), "--quiet", "--timeout", "2")
    _one_line_error(run_cli("report", "--db", str(db), "--format", "pdf"), says="unknown --format")


def test_report_on_missing_database(tmp_path: Path) -> None:
    _one_line_error(run_cli("report", "--db", str(tmp_path / "none.db"), "--format", "json"),
                    says="no database")


def test_negative_limit_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("crawl", "http://127.0.0.1:1/", "--db", str(tmp_path / "a.db"), "--max-pages", "-3")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--max-pages" in proc.stderr


def test_own_domain_takes_several_hosts_after_one_flag() -> None:
    from copyhound.cli import expand_multi_value_options

    argv = ["crawl", "http://a.test/", "--db", "x.db", "--own-domain", "a.test", "b.test", "http://c.test/"]
    assert expand_multi_value_options(argv) == [
        "crawl", "http://a.test/", "--db", "x.db", "--own-domain", "a.test", "--own-domain", "b.test",
        "http://c.test/",
    ]


@pytest.mark.parametrize("command", ["report", "diff"])
@pytest.mark.parametrize("suffix", ["", "-wal", ".lock"])
def test_output_that_is_the_database_is_refused_and_the_database_kept(
        tmp_path: Path, command: str, suffix: str) -> None:
    from test_report_data import two_run_db

    db = tmp_path / "x.db"
    two_run_db(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = db.read_bytes()
    target = tmp_path / "sub" / ".." / f"x.db{suffix}"  # another spelling of the same path
    (tmp_path / "sub").mkdir()
    proc = run_cli(command, "--db", str(db), "--format", "json", "--output", str(target))
    _one_line_error(proc, says="is the database itself")
    assert db.read_bytes() == before
    assert run_cli("report", "--db", str(db), "--format", "json").returncode == 0
