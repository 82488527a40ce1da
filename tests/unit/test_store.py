"""store/: opening, migrating, refusing foreign databases, locking, page writes."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest

from copyhound.crawler.types import FetchError, FetchResult
from copyhound.dedupe.types import ExtractedPage, PageMeta, Post
from copyhound.store import DatabaseBusy, NotADatabase, StoreWriteError, TooNewDatabase, open_db
from copyhound.store.migrations import MIGRATION_SET, SCHEMA_VERSION
from copyhound.store.packed_text import unpack_text
from copyhound.store.pages import save_fetch
from copyhound.store.runs import crawl_lock, finish_run, start_run


def _hash(text: str) -> str:
    return str(hash(text.lower()))  # any stable-in-process function will do here


def test_new_database_is_wal_and_migrated(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = set(db.table_names())
    assert {"pages", "posts", "signatures", "clusters", "cluster_members", "runs", "frontier"} <= tables
    applied = db.execute("SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])
    assert applied.fetchone()[0] == SCHEMA_VERSION


def test_reopening_keeps_data(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    run = start_run(db, ["http://x.test/"], {})
    db.conn.close()
    again = open_db(tmp_path / "a.db")
    assert again.execute("SELECT id FROM runs").fetchone()[0] == run.id


def test_not_sqlite_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "notes.db"
    p.write_text("this is not a database, it is a shopping list\n" * 100)
    with pytest.raises(NotADatabase, match="not an SQLite database"):
        open_db(p)
    assert p.read_text().startswith("this is not")  # untouched


def test_foreign_sqlite_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    with pytest.raises(NotADatabase, match="another program"):
        open_db(p)


def test_newer_database_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "new.db"
    open_db(p).execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, 'm999_future', 'x')",
        [MIGRATION_SET],
    )
    # sqlite-utils' execute autocommits nothing: commit through a raw connection
    con = sqlite3.connect(p)
    con.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, 'm998_future', 'x')",
        [MIGRATION_SET],
    )
    con.commit()
    con.close()
    with pytest.raises(TooNewDatabase, match="newer copyhound"):
        open_db(p)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreWriteError, match="does not exist"):
        open_db(tmp_path / "nope" / "a.db")


def test_second_crawl_lock_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "a.db"
    with crawl_lock(p), pytest.raises(DatabaseBusy, match="another copyhound crawl"), crawl_lock(p):
        pass
    with crawl_lock(p):  # released after the first holder is done
        pass


def test_interrupted_run_is_resumed_and_finished_run_is_not(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    first = start_run(db, ["http://x.test/"], {})
    resumed = start_run(db, ["http://x.test/"], {})
    assert resumed.resumed and resumed.id == first.id
    finish_run(db, first.id, {"fetched": 1})
    second = start_run(db, ["http://x.test/"], {})
    assert not second.resumed and second.id != first.id


def _result(url: str, body: bytes | None, *, status: int = 200, error: FetchError | None = None) -> FetchResult:
    return FetchResult(
        url=url, final_url=url, depth=0, status=status, body=body,
        text=body.decode() if body else None, content_type="text/html", error=error,
        fetched_at="2026-01-01T00:00:00Z", etag='"e1"',
    )


def _page(*texts: str) -> ExtractedPage:
    return ExtractedPage(
        meta=PageMeta(title="T"),
        posts=tuple(Post(ordinal=i, text=t) for i, t in enumerate(texts)),
    )


def test_failed_refetch_keeps_the_last_good_page_and_posts(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    url = "http://x.test/a/"
    with db.atomic():
        pid = save_fetch(db, _result(url, b"<p>hello</p>"), _page("hello world"), run_id=1, text_hash=_hash)
    with db.atomic():
        save_fetch(db, _result(url, None, status=None, error=FetchError(kind="timeout", message="read timed out")),
                   None, run_id=2, text_hash=_hash)
    row = db.execute("SELECT body, error_kind, gone FROM pages WHERE id = ?", [pid]).fetchone()
    assert zlib.decompress(row[0]) == b"<p>hello</p>" and row[1] == "timeout" and row[2] == 0
    assert [unpack_text(r[0]) for r in db.execute("SELECT text FROM posts WHERE page_id = ?", [pid])] == ["hello world"]


def test_gone_page_drops_its_posts(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    url = "http://x.test/a/"
    with db.atomic():
        pid = save_fetch(db, _result(url, b"<p>x</p>"), _page("one", "two"), run_id=1, text_hash=_hash)
    with db.atomic():
        save_fetch(db, _result(url, None, status=404, error=FetchError(kind="http-status", message="404")),
                   None, run_id=2, text_hash=_hash)
    assert db.execute("SELECT gone FROM pages WHERE id = ?", [pid]).fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == 0


def test_unchanged_posts_keep_their_ids(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    url = "http://x.test/a/"
    with db.atomic():
        save_fetch(db, _result(url, b"v1"), _page("alpha", "beta"), run_id=1, text_hash=_hash)
    before = dict(db.execute("SELECT ordinal, id FROM posts").fetchall())
    with db.atomic():
        save_fetch(db, _result(url, b"v2"), _page("alpha", "gamma"), run_id=2, text_hash=_hash)
    after = dict(db.execute("SELECT ordinal, id FROM posts").fetchall())
    assert after[0] == before[0] and after[1] != before[1]
    assert [unpack_text(r[0]) for r in db.execute("SELECT text FROM posts ORDER BY ordinal")] == ["alpha", "gamma"]
