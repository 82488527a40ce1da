"""Group commit: many pages in one transaction, each page its own savepoint.

One commit per page rewrote the frontier's and the links' index pages into
the WAL for every page (~120 KB a page) and cost a fifth of the crawl
process's time. Groups start at one page and double up to the caller's
limit, so the first pages of a crawl are on disk at once (a crawl that fails
early, on a full disk say, still keeps them). A page that fails to store
rolls back its savepoint and leaves nothing of itself behind; a failed
commit rolls the whole group back (its pages were never reported stored,
and a resumed crawl fetches them again).

When to commit is the caller's policy (`due`, a timer); this class only
keeps the transaction.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


class GroupCommit:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._pending = 0  # pages in the open transaction
        self._size = 1  # this group's size: doubles up to the caller's limit
        self._started = 0.0

    @property
    def open(self) -> bool:
        return self._db.conn.in_transaction

    def begin(self) -> bool:
        """Open a group unless one is open; True when this call opened it."""
        if self.open:
            return False
        self._db.conn.execute("BEGIN")
        self._started = time.monotonic()
        self._pending = 0
        return True

    @contextmanager
    def page(self, *, savepoint: bool = True) -> Iterator[None]:
        """One page's writes, as a savepoint inside the open group.

        `savepoint=False` (archive input): no savepoint, and a page that fails
        rolls the whole group back, as a kill would; its records are read
        again on resume. The savepoint cost ~0.03 ms a page of ingest's
        ~0.9 (SQLite copies every b-tree page a savepoint touches first)."""
        if savepoint:
            with self._db.atomic():
                yield
        else:
            try:
                yield
            except BaseException:
                self.rollback()
                raise
        self._pending += 1

    def rollback(self) -> None:
        """Drop the open group, if any: its pages were never reported stored."""
        self._pending = 0
        if self._db.conn.in_transaction:
            self._db.conn.execute("ROLLBACK")

    def due(self, *, max_pages: int, max_age_s: float) -> bool:
        """Is the group full (its size, doubling up to `max_pages`) or older than `max_age_s`?
        When it is, the next group is twice the size."""
        if self._pending >= self._size or time.monotonic() - self._started >= max_age_s:
            self._size = min(2 * self._size, max_pages)
            return True
        return False

    def commit(self) -> None:
        """Commit the open group, if any; on failure roll it back and raise."""
        self._pending = 0
        conn = self._db.conn
        if not conn.in_transaction:
            return
        try:
            conn.execute("COMMIT")
        except sqlite3.Error:
            if conn.in_transaction:  # nothing half-written stays open: those pages are fetched again
                conn.execute("ROLLBACK")
            raise


__all__ = ["GroupCommit"]
