"""Databases written by other copyhound versions, through the real CLI: an
older one is migrated in place, keeping what it holds (an interrupted run
resumes across the upgrade); a newer one is refused in one line, untouched."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest
from conftest import run_cli
from sqlite_utils import Database

from copyhound.store.migrations import MIGRATION_SET, SCHEMA_VERSION, migrations

NAMES = [m.name for m in migrations._migrations]


def _older_db(path: Path, stop_before: str) -> None:
    """A database as an older copyhound left it: the migrations before
    `stop_before` only, with an interrupted run and one stored page."""
    db = Database(sqlite3.connect(path, isolation_level=None))
    db.enable_wal()
    migrations.apply(db, stop_before=stop_before)
    db["runs"].insert({"id": 1, "started_at": "2025-01-01T00:00:00Z", "state": "interrupted",
                       "seeds": json.dumps(["http://old.test/"]), "options": "{}"})
    db["pages"].insert({"url": "http://old.test/kept", "host": "old.test", "status": 200,
                        "first_seen": "2025-01-01T00:00:00Z", "body_hash": "abc", "title": "From the old version"})
    db.conn.close()


def _applied(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET])]
    finally:
        con.close()


@pytest.mark.parametrize("stop_before", NAMES[1:])
def test_older_database_is_migrated_by_report_and_keeps_its_data(
        tmp_path: Path, stop_before: str, report_schema: dict) -> None:
    db = tmp_path / "old.db"
    _older_db(db, stop_before)
    assert len(_applied(db)) < SCHEMA_VERSION
    proc = run_cli("report", "--db", str(db), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    jsonschema.validate(json.loads(proc.stdout), report_schema)
    assert _applied(db) == NAMES
    con = sqlite3.connect(db)
    assert con.execute("SELECT title FROM pages WHERE url = 'http://old.test/kept'").fetchone() == (
        "From the old version",)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_interrupted_run_of_an_older_version_resumes_after_the_upgrade(tmp_path: Path, demo_sites: dict) -> None:
    db = tmp_path / "old.db"
    _older_db(db, NAMES[1])
    seed = demo_sites["blog"].base_url + "/"
    proc = run_cli("crawl", seed, "--db", str(db), "--allow-private", "--delay", "0", "--timeout", "5")
    assert proc.returncode == 0, proc.stderr
    assert "resuming interrupted run 1" in proc.stderr
    assert _applied(db) == NAMES
    con = sqlite3.connect(db)
    assert con.execute("SELECT id, state FROM runs").fetchall() == [(1, "finished")]
    assert con.execute("SELECT count(*) FROM pages WHERE url = 'http://old.test/kept'").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM pages WHERE status = 200").fetchone()[0] > 3


@pytest.mark.parametrize("command", [("crawl", "http://127.0.0.1:1/"), ("report", "--format", "json"),
                                     ("runs",), ("diff",)])
def test_newer_database_is_refused_in_one_line_and_left_alone(tmp_path: Path, command: tuple[str, ...]) -> None:
    db = tmp_path / "new.db"
    con = sqlite3.connect(db, isolation_level=None)  # a current database...
    d = Database(con)
    d.enable_wal()
    migrations.apply(d)
    con.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, 'm999_from_the_future',"
                " '2030-01-01')", [MIGRATION_SET])  # ...that a later copyhound has migrated further
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = db.read_bytes()
    proc = run_cli(*command[:1], "--db", str(db), *command[1:])
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "newer copyhound" in lines[0] and "upgrade copyhound" in lines[0]
    assert db.read_bytes() == before
