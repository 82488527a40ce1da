"""Small helpers the store's modules share: `IN (?, ...)` in chunks, and rows
read by column name.

SQLite caps the host parameters of one statement (999 before 3.32), so a
list of ids is sent in chunks of `CHUNK_IDS`; each chunk gets its own
placeholder list.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK_IDS = 500  # host parameters per statement, well under SQLite's oldest limit (999)


def marks(n: int) -> str:
    """`?,?,?` for `n` parameters."""
    return ",".join("?" * n)


def chunks(items: Sequence[T], size: int = CHUNK_IDS) -> Iterator[list[T]]:
    """`items` in lists of at most `size`, for `IN (...)` statements."""
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def named_rows(cursor: sqlite3.Cursor, make: Callable[..., R]) -> Iterator[R]:
    """Each row as `make(**{column name: value})`: columns are read by the
    names the query gives them (`AS field`), never by position."""
    names = [d[0] for d in cursor.description or ()]
    for row in cursor:
        yield make(**dict(zip(names, row, strict=True)))


__all__ = ["CHUNK_IDS", "chunks", "marks", "named_rows"]
