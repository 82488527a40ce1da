"""Sets of ids or text keys held in a TEMP table for one statement's join:
the dedupe stage asks about thousands of posts or texts at once, past what
`IN (?, ...)` chunks do well, and a join lets SQLite drive from the set."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database


def temp_ints(db: Database, name: str, ids: Iterable[int]) -> str:
    """Fill TEMP table `name` with `ids` (one column `id`); its qualified name."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY)")
    db.execute(f"DELETE FROM temp.{name}")
    db.conn.executemany(f"INSERT OR IGNORE INTO temp.{name}(id) VALUES (?)", ((int(i),) for i in ids))
    return f"temp.{name}"


def temp_texts(db: Database, name: str, keys: Iterable[str]) -> str:
    """Fill TEMP table `name` with text keys (one column `key`); its qualified name."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (key TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute(f"DELETE FROM temp.{name}")
    db.conn.executemany(f"INSERT OR IGNORE INTO temp.{name}(key) VALUES (?)", ((k,) for k in keys))
    return f"temp.{name}"


__all__ = ["temp_ints", "temp_texts"]
