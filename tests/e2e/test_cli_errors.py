"""Bad input through the real CLI: one line on stderr, a non-zero exit, no
traceback, and nothing already stored lost."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from conftest import run_cli

from copyhound.cli import cli


def _cli(*args: str) -> SimpleNamespace:
    """The CLI in-process (CliRunner): fast, for the many option checks. An
    exception that escaped the CLI's error handling fails the test, as a
    traceback would."""
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"copyhound {' '.join(args)} raised") from result.exception
    return SimpleNamespace(returncode=result.exit_code, stderr=result.stderr)


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
     ("http://x.test:99999/", "port"), ("http://exa mple.com/", "host name"), ("http://[::1/", "IPv6"),
     ("http://h\x01.test/", "host name"), ("http://127.0.0.1/" + "a" * 5000, "longer than"),
     ("javascript:alert(1)", "bad URL"), ("http://unknown-host.invalid/", "unknown host")],
)
def test_bad_seed_url(tmp_path: Path, url: str, says: str) -> None:
    proc = _cli("crawl", url, "--db", str(tmp_path / "a.db"))
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


def test_unreachable_seed_is_one_line_at_once_and_the_database_is_kept(tmp_path: Path) -> None:
    from support.report_data import two_run_db

    db = tmp_path / "a.db"
    two_run_db(db)
    before = run_cli("report", "--db", str(db), "--format", "json", check=True).stdout
    t0 = time.monotonic()
    proc = run_cli("crawl", f"http://127.0.0.1:{_closed_port()}/", "--db", str(db), "--quiet", "--timeout", "2")
    _one_line_error(proc, says="no seed could be fetched")
    assert "cannot connect" in proc.stderr and "is the site up?" in proc.stderr
    assert time.monotonic() - t0 < 20  # not after a minute of robots.txt retries
    after = run_cli("report", "--db", str(db), "--format", "json", check=True).stdout
    assert json.loads(after)["clusters"] == json.loads(before)["clusters"]


def test_unknown_report_format(tmp_path: Path) -> None:
    from support.report_data import two_run_db

    db = tmp_path / "a.db"
    two_run_db(db)
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
    from support.report_data import two_run_db

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


@pytest.mark.parametrize(("args", "says"), [
    (("crawl", "http://127.0.0.1:1/", "--delay", "nan"), "--delay"),
    (("crawl", "http://127.0.0.1:1/", "--timeout", "nan"), "--timeout"),
    (("crawl", "http://127.0.0.1:1/", "--timeout", "0"), "--timeout"),
    (("crawl", "http://127.0.0.1:1/", "--delay", "-1"), "--delay"),
    (("crawl", "http://127.0.0.1:1/", "--depth", "-1"), "--depth"),
    (("crawl", "http://127.0.0.1:1/", "--max-pages", "0"), "--max-pages"),
    (("crawl", "http://127.0.0.1:1/", "--max-pages", "99999999999"), "--max-pages"),
    (("crawl", "http://127.0.0.1:1/", "--max-pages-per-host", "0"), "--max-pages-per-host"),
    (("crawl", "http://127.0.0.1:1/", "--host-concurrency", "100000"), "--host-concurrency"),
    (("crawl", "http://127.0.0.1:1/", "--user-agent", "bot\r\nX-Injected: 1"), "--user-agent"),
    (("crawl", "http://127.0.0.1:1/", "--user-agent", "robot\u00e9"), "--user-agent"),
    (("crawl", "http://127.0.0.1:1/", "--contact", "https://x.test/\n"), "--contact"),
    (("report", "--min-similarity", "nan"), "--min-similarity"),
    (("report", "--min-similarity", "1.5"), "--min-similarity"),
])
def test_absurd_numbers_are_usage_errors(tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    db = tmp_path / "a.db"
    proc = _cli(*args, "--db", str(db))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and says in proc.stderr
    assert not db.exists()


@pytest.mark.parametrize(("args", "says"), [
    (("crawl", "http://127.0.0.1:1/", "--include", "("), "bad --include pattern"),
    (("crawl", "http://127.0.0.1:1/", "--exclude", "[a-"), "bad --exclude pattern"),
    (("crawl", "http://127.0.0.1:1/", "--fail-on", "bogus"), "unknown --fail-on status"),
    (("report", "--status", "bogus"), "unknown --status"),
    (("report", "--host", "a b"), "bad --host"),
    (("report", "--own-domain", "*.example.com"), "its subdomains match too"),
    (("crawl", "http://127.0.0.1:1/", "--own-domain", "http://"), "bad --own-domain"),
    (("crawl", "http://127.0.0.1:1/", "--scope", "???"), "bad --scope"),
    (("report", "--relation", "bogus"), "unknown --relation"),
    (("report", "--since", "yesterday-ish"), "bad run or date"),
    (("report", "--since", "99999999999999999999999"), "no run 99999999999999999999999"),
    (("report", "--since", "\u00b2"), "bad run or date"),
    (("diff", "--from", "99999999999999999999999"), "no run"),
    (("diff", "--to", "\u00b2"), "bad run or date"),
    (("diff", "--format", "html"), "unknown --format"),
    (("report", "--format", "json", "--output", "/nonexistent-dir/r.json"), "does not exist"),
])
def test_bad_option_values_are_one_line_and_keep_the_database(tmp_path: Path, args: tuple[str, ...],
                                                               says: str) -> None:
    from support.report_data import two_run_db

    db = tmp_path / "a.db"
    two_run_db(db)
    before = sqlite3.connect(db).execute("SELECT count(*) FROM pages").fetchone()
    _one_line_error(_cli(*args, "--db", str(db)), says=says)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM pages").fetchone() == before


def test_empty_db_path(tmp_path: Path) -> None:
    _one_line_error(_cli("crawl", "http://127.0.0.1:1/", "--db", ""), says="--db is empty")


@pytest.mark.parametrize("command", ["report", "runs", "diff"])
def test_db_that_is_a_device_or_not_sqlite_for_readers(tmp_path: Path, command: str) -> None:
    p = tmp_path / "notes.db"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 4096)
    _one_line_error(_cli(command, "--db", str(p)), says="not an SQLite database")
    assert p.read_bytes() == b"\x89PNG\r\n\x1a\n" + b"\0" * 4096


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    p = tmp_path / "notes.db"
    p.write_text("not a database\n" * 200)
    proc = run_cli("--debug", "report", "--db", str(p))
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_output_to_a_pipe_or_through_a_symlink_writes_there_and_replaces_nothing(tmp_path: Path) -> None:
    """`--output /dev/stdout` and named pipes are written to, not replaced by
    a renamed temporary file (which, run as root, replaced /dev/full itself)."""
    import os
    import stat
    import threading

    from support.report_data import two_run_db

    db = tmp_path / "x.db"
    two_run_db(db)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = run_cli("report", "--db", str(db), "--format", "json", "--output", str(fifo))
    assert proc.returncode == 0, proc.stderr
    reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and json.loads(got[0])["clusters"]
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert run_cli("report", "--db", str(db), "--format", "json", "--output", str(link)).returncode == 0
    assert link.is_symlink() and json.loads(real.read_text())["clusters"]



@pytest.mark.parametrize(("urls", "says"), [
    (("http://unknown-host.invalid/a", "http://unknown-host.invalid/b"), "unknown host"),
    (("http://127.0.0.1:{port}/a", "http://127.0.0.1:{port}/b"), "cannot connect"),
    (("http://exa mple.com/", "http://127.0.0.1:1/"), "host name"),
    (("http://127.0.0.1:1/",), "at least two URLs"),
])
def test_check_bad_urls_are_one_line_at_once(urls: tuple[str, ...], says: str) -> None:
    port = _closed_port()
    t0 = time.monotonic()
    _one_line_error(_cli("check", *(u.format(port=port) for u in urls), "--timeout", "2"), says=says)
    assert time.monotonic() - t0 < 20


@pytest.mark.parametrize("damage", ["truncated", "bit-flipped"])
@pytest.mark.parametrize("command", [("report", "--format", "json"), ("runs",), ("crawl", "http://127.0.0.1:1/")])
def test_damaged_database_is_one_line_and_left_as_it_was(tmp_path: Path, damage: str, command: tuple[str, ...]) -> None:
    from support.report_data import two_run_db

    db = tmp_path / "x.db"
    two_run_db(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(db.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:
        for i in range(4096, min(len(data), 12_000), 7):  # the schema page and the first tables
            data[i] ^= 0x5A
    db.write_bytes(bytes(data))
    proc = _cli(command[0], "--db", str(db), *command[1:])
    # A truncated file may open (its first pages can be whole): the crawl may
    # then name the unreachable seed first; the damage is named once read.
    either = damage == "truncated" and command[0] == "crawl" and "cannot connect" in proc.stderr
    _one_line_error(proc, says="cannot connect" if either else "damaged")
    assert db.read_bytes() == bytes(data)


@pytest.mark.parametrize(("args", "says"), [
    (("http://exa mple.com/",), "host name"),
    (("http://127.0.0.1:1/", "--own-domain", "???"), "bad --own-domain"),
    (("ftp://127.0.0.1/",), "bad URL"),
])
def test_watch_refuses_bad_crawl_arguments_before_the_first_run(tmp_path: Path, args: tuple[str, ...],
                                                               says: str) -> None:
    out = tmp_path / "watch"
    _one_line_error(_cli("watch", *args, "--every", "1h", "--out", str(out), "--max-runs", "1"), says=says)
    assert not out.exists()


def test_one_line_errors_quote_crawled_strings_without_control_characters(tmp_path: Path) -> None:
    """A seed whose redirect target carries a C1 control (obs-text is legal in
    a header): the 'no seed could be fetched' line quotes it, replaced."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(404 if self.path == "/robots.txt" else 302)
            if self.path != "/robots.txt":
                self.send_header("Location", "javascript:\x9b31m")  # latin-1 on the wire: a C1 CSI
            self.send_header("Content-Length", "0")
            self.end_headers()

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        proc = run_cli("crawl", f"http://127.0.0.1:{srv.server_address[1]}/", "--db", str(tmp_path / "a.db"),
                       "--allow-private", "--delay", "0", "--timeout", "5", "--quiet")
    finally:
        srv.shutdown()
        srv.server_close()
    _one_line_error(proc, says="no seed could be fetched")
    assert "javascript:" in proc.stderr and "\x9b" not in proc.stderr
