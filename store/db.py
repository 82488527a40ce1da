"""Opening a copyhound database: WAL mode, migrations, sanity checks."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from copyhound.store.errors import NotADatabase, StoreWriteError, TooNewDatabase
from copyhound.store.migrations import MIGRATION_SET, SCHEMA_VERSION, migrations

# Tables a non-empty database must have to be taken as copyhound's.
_OWN_TABLES = {"_sqlite_migrations", "pages", "runs"}
BUSY_TIMEOUT_MS = 10_000
logger = logging.getLogger(__name__)


def open_db(path: str | Path, *, create: bool = True, readonly: bool = False) -> Database:
    """Open (and migrate) the database at `path`.

    Raises a `StoreError` subclass with a one-line message for a file that is
    not SQLite, a database of another program, one written by a newer
    copyhound, or a path that cannot be written.
    """
    p = Path(path)
    if p.exists() and p.is_dir():
        raise StoreWriteError(f"--db {p} is a directory, not a database file")
    if not p.exists():
        if not create or readonly:
            raise NotADatabase(f"no database at {p}: run `copyhound crawl ... --db {p}` first")
        if not p.parent.exists():
            raise StoreWriteError(f"cannot create database {p}: folder {p.parent} does not exist")
    if p.exists() and not _writable(p):
        if create:
            raise StoreWriteError(f"cannot write database {p}: the file or its folder is read-only; "
                                  "make it writable or give another --db")
        readonly = True  # a reader (report, diff) can still read it
    try:
        # isolation_level=None: no implicit transactions. Every write outside
        # `db.atomic()` commits at once, and `atomic()` always opens a real
        # transaction instead of a savepoint inside a forgotten implicit one
        # (which would never be committed).
        conn = _connect(p, readonly)
        db = Database(conn)
        tables = set(db.table_names())
    except sqlite3.DatabaseError as e:
        if "malformed" in str(e):
            raise NotADatabase(f"{p} is damaged ({e}): restore a backup, or try `sqlite3 {p} .recover`") from e
        if "not a database" in str(e):
            raise NotADatabase(f"{p} is not an SQLite database ({e})") from e
        raise StoreWriteError(f"cannot open database {p}: {e}") from e
    applied = _applied_migrations(db, p, tables)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if readonly:
        if tables and applied < SCHEMA_VERSION:
            conn.close()
            raise StoreWriteError(f"{p} was written by an older copyhound and is read-only, so it cannot be "
                                  "upgraded: make it writable once")
        return db
    try:
        if not tables:
            # A new database gets its schema before WAL mode: written once into
            # the main file, not as every migration's commit piling up in the
            # WAL until a checkpoint a small disk never reaches.
            migrations.apply(db)
        db.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")
        if applied < SCHEMA_VERSION and tables:
            # an upgrade may rewrite every row (m011 compresses each post text: ~1.5 min at 10^6)
            logger.warning("copyhound: upgrading %s to the current schema, once", p)
            migrations.apply(db)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the same, once the upgrade is done
    except sqlite3.OperationalError as e:
        conn.close()
        raise StoreWriteError(f"cannot write database {p}: {e}") from e
    return db


def checkpoint(db: Database) -> None:
    """Move everything in the WAL into the main file and empty the WAL (a
    reader opening the file `immutable` ignores the WAL)."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _applied_migrations(db: Database, p: Path, tables: set[str]) -> int:
    """How many migrations the database has had; refuses (and closes) another
    program's database and one from a newer copyhound."""
    if tables and not tables >= _OWN_TABLES:
        db.conn.close()
        raise NotADatabase(f"{p} is an SQLite database of another program (no copyhound tables)")
    applied = migrations.applied(db) if tables else []
    known = {m.name for m in migrations._migrations}
    if len(applied) > SCHEMA_VERSION or any(a.name not in known for a in applied):
        db.conn.close()
        raise TooNewDatabase(
            f"{p} was written by a newer copyhound (schema {len(applied)} > {SCHEMA_VERSION}): upgrade copyhound"
        )
    return len(applied)


def _writable(p: Path) -> bool:
    """The file and its folder (WAL mode creates -wal and -shm beside it)."""
    return os.access(p, os.W_OK) and os.access(p.parent, os.W_OK)


def _connect(p: Path, readonly: bool) -> sqlite3.Connection:
    timeout = BUSY_TIMEOUT_MS / 1000
    if not readonly:
        return sqlite3.connect(str(p), timeout=timeout, isolation_level=None)
    try:
        conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
        return conn
    except sqlite3.OperationalError:
        if _writable(p):
            raise
        # A WAL database on read-only media: SQLite cannot create the -shm
        # file a reader needs. Nobody can write it either, so it is immutable.
        return sqlite3.connect(f"file:{p}?immutable=1", uri=True, timeout=timeout, isolation_level=None)


@contextmanager
def page_cache(db: Database, kb: int) -> Iterator[None]:
    """SQLite's page cache set to `kb` KiB for the duration, then restored."""
    before = int(db.execute("PRAGMA cache_size").fetchone()[0])
    db.execute(f"PRAGMA cache_size = -{int(kb)}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {before}")


__all__ = ["MIGRATION_SET", "SCHEMA_VERSION", "open_db", "page_cache"]
