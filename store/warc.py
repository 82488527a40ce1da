"""Which WARC records an ingest or hunt has stored (resume by record key)."""

from __future__ import annotations

from sqlite_utils import Database


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
