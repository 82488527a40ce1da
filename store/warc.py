"""Which WARC records an ingest or hunt has stored (resume by record key)."""

from __future__ import annotations

from sqlite_utils import Database

from copyhound.store.migrations import warc_migrations
from copyhound.store.packed_text import unpack_text


def prepare(db: Database) -> None:
    """Bring the WARC tables up to date (ingest and hunt call this first)."""
    warc_migrations.apply(db)


def is_stored(db: Database, record_key: str) -> bool:
    row = db.conn.execute("SELECT 1 FROM warc_records WHERE record_key = ?", [record_key]).fetchone()
    return row is not None


def mark_stored(db: Database, record_key: str, *, source: str, offset: int, url: str, run_id: int) -> None:
    """Call inside the transaction that stores the record's page: both land or neither."""
    db.conn.execute(
        "INSERT OR IGNORE INTO warc_records (record_key, source, offset, url, run_id) VALUES (?, ?, ?, ?, ?)",
        [record_key, source, offset, url, run_id],
    )


def stored_count(db: Database, run_id: int | None = None) -> int:
    if run_id is None:
        return int(db.conn.execute("SELECT count(*) FROM warc_records").fetchone()[0])
    return int(db.conn.execute("SELECT count(*) FROM warc_records WHERE run_id = ?", [run_id]).fetchone()[0])


def known_urls(db: Database, urls: list[str]) -> set[str]:
    """Those of `urls` that are pages in the database already."""
    if not urls:
        return set()
    marks = ",".join("?" * len(urls))
    return {r[0] for r in db.conn.execute(f"SELECT url FROM pages WHERE url IN ({marks})", urls)}


def post_texts_by_page(db: Database, min_words: int) -> list[tuple[str, str]]:
    """(page URL, post text) of every comparable post on a live page (hunt's query set)."""
    rows = db.conn.execute(
        "SELECT COALESCE(pg.final_url, pg.url), p.text FROM posts p JOIN pages pg ON pg.id = p.page_id "
        "WHERE p.kind = 'post' AND p.words >= ? AND pg.status IN (200, 304) AND pg.gone = 0 ORDER BY p.id",
        [min_words],
    )
    return [(str(url), unpack_text(text)) for url, text in rows]


def has_page(db: Database, url: str) -> bool:
    """Is `url` a page of the database? By `url` only, which is indexed: a
    redirect's target is a page of its own, and an OR on final_url scanned
    the whole table (bodies included) for every record, ~10 ms each."""
    return db.conn.execute("SELECT 1 FROM pages WHERE url = ?", [url]).fetchone() is not None
