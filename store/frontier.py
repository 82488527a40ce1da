"""The crawl frontier in SQLite: queue and seen-set of the current run.

Rows go queued → inflight → done | failed | skipped. The table holds one run
at a time: a resumed run finds its rows (in-flight ones queued again), a new
run after a finished one starts from an empty table (`reset_for_new_run`),
while `pages` keeps the validators for conditional GETs. Nothing about the
URLs is held in memory, so memory stays flat however large the site.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import zlib
from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from copyhound.crawler.discover.urls import host_of
from copyhound.crawler.types import DocumentKind, FrontierItem, FrontierState, UrlSource, Validators
from copyhound.store.sql import chunks, marks, named_rows

__all__ = ["SqliteFrontier", "redirect_targets"]

log = logging.getLogger(__name__)

_CHUNK = 400  # bound on SQL variables per statement (SQLite's default limit is 999+)
_STATES = frozenset({"queued", "inflight", "done", "failed", "skipped"})
# Columns each claimed row brings along: its stored page's validators, error
# and type, and whether (with what validators) it is a stored document.
_KNOWN = ("p.etag, p.last_modified, p.error_kind, p.content_type, d.url IS NOT NULL AS is_document,"
          " d.etag AS document_etag, d.last_modified AS document_last_modified")


def _xml(content_type: str) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime.endswith(("/xml", "+xml"))


@dataclass(frozen=True, slots=True, kw_only=True)
class _Claimed:
    """A queued frontier row, with the validators of the page stored for it."""

    url: str
    depth: int
    source: UrlSource  # written from the same Literals by `add`
    referrer: str | None
    published_hint: str | None
    kind: DocumentKind
    redirect_chain: str | None
    etag: str | None
    last_modified: str | None
    error_kind: str | None
    content_type: str | None
    is_document: int  # 1 when stored as a document (robots.txt, sitemap, feed)
    document_etag: str | None
    document_last_modified: str | None


class SqliteFrontier:
    """`crawler.types.Frontier` (and `DocumentFrontier`) on the `frontier` table.

    `mark` and `add` run inside the caller's transaction when there is one
    (the sink's page commit), so a page and its frontier update land together.
    """

    def __init__(self, db: Database, run_id: int) -> None:
        self.db = db
        self.run_id = run_id
        # Validators read along with claimed rows (one join instead of one
        # query per URL); popped when the engine asks, so this stays small.
        # A stored page is revalidated when it has an ETag or Last-Modified
        # and was stored without error (pages.error_kind NULL).
        self._claimed_validators: dict[str, Validators | None] = {}
        self._claimed_docs: dict[str, Validators] = {}  # URLs stored as documents, with their validators
        self._claimed_not_html: set[str] = set()  # URLs an earlier crawl found not to be HTML
        with db.atomic():
            db.execute(
                "UPDATE frontier SET state = 'queued' WHERE state = 'inflight' AND run_id = ?", [run_id]
            )
        self._seq = db.execute("SELECT coalesce(max(seq), 0) FROM frontier").fetchone()[0]

    def _txn(self) -> AbstractContextManager[object]:
        # Inside the sink's transaction already: join it (no savepoint round
        # trips on the per-page path); otherwise a transaction of our own.
        return nullcontext() if self.db.conn.in_transaction else self.db.atomic()

    # -- Frontier protocol ------------------------------------------------------------------

    def add(self, items: Sequence[FrontierItem]) -> int:
        if not items:
            return 0
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = []
        for it in items:
            self._seq += 1
            rows.append((
                it.url, self.run_id, host_of(it.url), it.depth, it.source, it.referrer, it.published_hint,
                self._seq, now, it.kind, json.dumps(list(it.redirect_chain)) if it.redirect_chain else None,
            ))
        hints = [(it.published_hint, it.url) for it in items if it.published_hint]
        with self._txn():
            cur = self.db.conn.executemany(
                "INSERT OR IGNORE INTO frontier (url, run_id, host, depth, source, referrer, published_hint,"
                " seq, discovered_at, kind, redirect_chain) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            added = cur.rowcount
            if hints:
                # A sitemap lastmod / feed date learnt after the URL was queued
                # from a link still reaches the page when it is fetched.
                self.db.conn.executemany(
                    "UPDATE frontier SET published_hint = ? WHERE url = ? AND published_hint IS NULL"
                    " AND state = 'queued'",
                    hints,
                )
        return max(added, 0)

    def claim(self, limit: int, *, skip_hosts: Collection[str] = (), per_host: int | None = None) -> list[FrontierItem]:
        """The next `limit` queued URLs in discovery order, marked in flight.

        For crawls over several hosts the engine passes the hosts it already
        has enough of (`skip_hosts`) and a cap per host (`per_host`), so one
        host's big backlog (a 10,000-URL sitemap) cannot fill the window
        while other hosts sit idle."""
        if limit <= 0:
            return []
        with self.db.atomic():
            if not skip_hosts and per_host is None:
                rows = list(named_rows(self.db.execute(
                    "SELECT f.url, f.depth, f.source, f.referrer, f.published_hint, f.kind, f.redirect_chain,"
                    f" {_KNOWN} FROM frontier f LEFT JOIN pages p ON p.url = f.url"
                    " LEFT JOIN documents d ON d.url = f.url"
                    " WHERE f.state = 'queued' AND f.run_id = ? ORDER BY f.seq LIMIT ?",
                    [self.run_id, limit],
                ), _Claimed))
            else:
                skip = list(skip_hosts)[:_CHUNK]
                rows = list(named_rows(self.db.execute(
                    "SELECT q.url, q.depth, q.source, q.referrer, q.published_hint, q.kind, q.redirect_chain,"
                    f" {_KNOWN} FROM ("
                    "  SELECT f.*, ROW_NUMBER() OVER (PARTITION BY f.host ORDER BY f.seq) AS rn FROM frontier f"
                    f"  WHERE f.state = 'queued' AND f.run_id = ? AND f.host NOT IN ({marks(len(skip))})"
                    ") q LEFT JOIN pages p ON p.url = q.url LEFT JOIN documents d ON d.url = q.url"
                    " WHERE q.rn <= ? ORDER BY q.seq LIMIT ?",
                    [self.run_id, *skip, per_host if per_host is not None else limit, limit],
                ), _Claimed))
            urls = [r.url for r in rows]
            for chunk in chunks(urls, _CHUNK):
                self.db.execute(f"UPDATE frontier SET state = 'inflight' WHERE url IN ({marks(len(chunk))})", chunk)
        items = []
        for r in rows:
            items.append(FrontierItem(
                url=r.url, depth=r.depth, source=r.source, referrer=r.referrer, published_hint=r.published_hint,
                kind=r.kind, redirect_chain=tuple(json.loads(r.redirect_chain)) if r.redirect_chain else (),
            ))
            ok = (r.etag or r.last_modified) and r.error_kind is None
            self._claimed_validators[r.url] = Validators(etag=r.etag, last_modified=r.last_modified) if ok else None
            if r.is_document:
                self._claimed_docs[r.url] = Validators(etag=r.document_etag, last_modified=r.document_last_modified)
            elif r.error_kind == "not-html" and r.content_type and not _xml(r.content_type):
                self._claimed_not_html.add(r.url)
        return items

    # -- what earlier crawls learnt about a URL (optional frontier methods the engine uses) --

    def known_not_html(self, url: str) -> bool:
        """True when an earlier crawl found `url` to be a file that is not
        HTML (an image, an archive): it is not asked for again."""
        if url in self._claimed_not_html:
            self._claimed_not_html.discard(url)
            return True
        return False

    def document_validators(self, url: str) -> Validators | None:
        """Validators of `url` stored as a document (robots.txt, a sitemap, a
        feed) by an earlier crawl; None when it was never stored as one."""
        if url in self._claimed_docs:
            return self._claimed_docs[url]  # dropped when the URL is marked
        if url in self._claimed_validators:
            return None  # claimed, and the claim found no document: no query per page
        row = self.db.execute("SELECT etag, last_modified FROM documents WHERE url = ?", [url]).fetchone()
        return None if row is None else Validators(etag=row[0], last_modified=row[1])

    def document_body(self, url: str) -> bytes | None:
        """The stored body of a document (for a 304)."""
        row = self.db.execute("SELECT body FROM documents WHERE url = ?", [url]).fetchone()
        if row is None:
            return None
        try:
            return zlib.decompress(row[0])
        except zlib.error:
            return None

    def save_document(self, url: str, kind: str, etag: str | None, last_modified: str | None, body: bytes) -> None:
        """Keep a document's body and validators for the next crawl's conditional GET."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            # its own savepoint: a failure (disk full) undoes this row only, never the
            # pages of the sink's open group; the next page commit reports the cause
            with self.db.atomic():
                self.db.conn.execute(
                    "INSERT OR REPLACE INTO documents (url, kind, etag, last_modified, body, fetched_at)"
                    " VALUES (?,?,?,?,?,?)",
                    (url, kind, etag, last_modified, zlib.compress(body, 1), now),
                )
        except sqlite3.Error as e:
            log.warning("could not keep %s for the next crawl's conditional GET: %s", url, e)

    def validators(self, url: str) -> Validators | None:
        if url in self._claimed_validators:  # known since the claim, None included
            return self._claimed_validators.pop(url)
        row = self.db.execute(
            "SELECT etag, last_modified FROM pages WHERE url = ? AND error_kind IS NULL", [url]
        ).fetchone()
        if row is None or not (row[0] or row[1]):
            return None
        return Validators(etag=row[0], last_modified=row[1])

    def pending(self) -> int:
        return int(self.db.execute(
            "SELECT count(*) FROM frontier WHERE state IN ('queued', 'inflight') AND run_id = ?", [self.run_id]
        ).fetchone()[0])

    def done_count(self) -> int:
        return int(self.db.execute(
            "SELECT count(*) FROM frontier WHERE state IN ('done', 'failed') AND run_id = ? AND kind = 'page'",
            [self.run_id],
        ).fetchone()[0])

    # -- beyond the protocol ----------------------------------------------------------------

    def mark(self, url: str, state: FrontierState) -> None:
        """Set the state of `url` (inside the sink's commit transaction)."""
        if state not in _STATES:
            raise ValueError(f"unknown frontier state {state!r}; expected one of {sorted(_STATES)}")
        self._claimed_validators.pop(url, None)
        self._claimed_docs.pop(url, None)
        with self._txn():
            self.db.conn.execute("UPDATE frontier SET state = ? WHERE url = ?", (state, url))

    def finish(self, url: str, state: FrontierState, discovered: Sequence[FrontierItem]) -> None:
        """Close a non-page item (sitemap, feed, capped URL) and queue what it
        listed, in one transaction."""
        with self.db.atomic():
            self.mark(url, state)
            self.add(discovered)

    def counts(self) -> dict[str, int]:
        """Rows per state of this run."""
        return dict(self.db.execute(
            "SELECT state, count(*) FROM frontier WHERE run_id = ? GROUP BY state", [self.run_id]
        ).fetchall())

    def host_done_counts(self) -> dict[str, int]:
        """Pages finished per host: per-host caps survive a resume."""
        return dict(self.db.execute(
            "SELECT host, count(*) FROM frontier WHERE run_id = ? AND kind = 'page'"
            " AND state IN ('done', 'failed') GROUP BY host",
            [self.run_id],
        ).fetchall())

    def reset_for_new_run(self, run_id: int) -> None:
        """Start a fresh frontier for a re-crawl: the pages table (and its
        validators) is untouched."""
        with self.db.atomic():
            self.db.execute("DELETE FROM frontier")
        self.run_id = run_id
        self._seq = 0
        self._claimed_validators.clear()
        self._claimed_docs.clear()
        self._claimed_not_html.clear()


def redirect_targets(db: Database, urls: Sequence[str], *, max_hops: int = 20) -> dict[str, str]:
    """Where each URL ended up, following the redirects recorded in `pages`
    (a 3xx row's `final_url`): a seed `http://x/` that moved to
    `https://www.x/` is fetched as its own page, not as the seed's row."""
    out = {}
    for url in urls:
        current, seen = url, {url}
        for _ in range(max_hops):
            row = db.execute("SELECT status, final_url FROM pages WHERE url = ?", [current]).fetchone()
            if row is None or row[0] not in (301, 302, 303, 307, 308) or not row[1] or row[1] in seen:
                break
            current = row[1]
            seen.add(current)
        out[url] = current
    return out
