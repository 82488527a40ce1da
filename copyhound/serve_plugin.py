"""The Datasette plugin `copyhound serve` loads (from a plugins directory it
writes, so a plain `datasette` run elsewhere is untouched): post texts are
stored compressed (store/packed_text.py), so it shows them as text in the
`posts` table and row pages, and gives SQL `copyhound_text(text)` to read
them in queries, e.g. `SELECT title, copyhound_text(text) FROM posts`.

Imported only by Datasette, from the `serve` extra.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl

from copyhound.store.packed_text import SQL_FUNCTION, sql_unpack_text

_TEXT_COLUMNS = {("posts", "text"), ("posts", "raw_text")}


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function(SQL_FUNCTION, 1, sql_unpack_text, deterministic=True)


@hookimpl
def render_cell(value: Any, column: str, table: str | None) -> str | None:
    if (table, column) not in _TEXT_COLUMNS or not isinstance(value, bytes):
        return None
    text = sql_unpack_text(value)
    return text if isinstance(text, str) else None

__all__ = ["SQL_FUNCTION", "prepare_connection", "render_cell"]
