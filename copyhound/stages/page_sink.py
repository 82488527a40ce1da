"""The crawler's `PageSink`: extraction of each fetched page, then its storage.

`parse` runs the pure extractor, and the rest of the per-page CPU work
(compression, hashes), in a worker process when there is a pool; `commit`
stores the page, its posts and its frontier update together, so a killed
crawl never holds a page without its frontier state or the reverse.

Pages are committed in groups (store/group_commit.py): each page is a
savepoint inside a transaction that commits every `BATCH_PAGES` pages (groups
start at one page and double) or `BATCH_AGE_S` seconds, whichever comes
first, and when the crawl ends or stops. A kill loses at most the last
fraction of a second of pages, which were never reported as stored; the
resumed crawl fetches them again.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass

from sqlite_utils import Database

from copyhound.crawler.engine import frontier_state
from copyhound.crawler.types import FetchResult, FrontierItem, ParsedPage
from copyhound.dedupe.extract.page import extract_page
from copyhound.dedupe.match.text import text_facts, text_hash
from copyhound.dedupe.types import ExtractedPage
from copyhound.store.frontier import SqliteFrontier
from copyhound.store.group_commit import GroupCommit
from copyhound.store.pages import PreparedBody, prepare_body, save_fetch, single_post, stored_page
from copyhound.workers import ExtractionPool

logger = logging.getLogger(__name__)

BATCH_PAGES = 64
BATCH_AGE_S = 0.25


@dataclass(frozen=True, slots=True)
class _Parsed:
    extracted: ExtractedPage
    prepared: PreparedBody


def _extract(
    text: str, url: str, headers: dict[str, str], keep_body: bool = True, utf8_body: bytes | None = None,
    extracted: ExtractedPage | None = None,
) -> _Parsed:
    """Runs in a worker: everything CPU-bound about one page. The stored body
    is the decoded page as UTF-8 (what extraction saw), whatever its charset;
    `utf8_body` is that already, when the fetched bytes were (`_as_utf8`).

    Posts are not signed here: measured on a 3,000-page crawl, signing one
    page's posts at a time and indexing them in the page's commit cost ~3 ms
    of CPU a page, against ~0.2 ms for signing all posts in batches (with a
    bulk index build) after the crawl. `extracted`: made already from these
    same inputs (`extract_fetched`), not made again."""
    if extracted is None:
        extracted = extract_page(text, url, headers)
    body = text.encode("utf-8", "replace") if utf8_body is None else utf8_body
    return _Parsed(extracted, prepare_body(body, extracted, text_hash, keep_body=keep_body, facts=text_facts))


def _extract_args(result: FetchResult) -> tuple[str, str, dict[str, str]] | None:
    """What `StoreSink.parse` hands the extractor (decoded text, final URL,
    headers); None when it extracts nothing (a 304, an error, no text)."""
    if result.not_modified or result.error is not None or result.text is None:
        return None
    return result.text, result.final_url or result.url, dict(result.headers)


def extract_fetched(result: FetchResult) -> ExtractedPage | None:
    """The extraction `StoreSink.parse` makes of `result`, made by the caller:
    the hunt verifies a record with it, then stores it with `parse_extracted`."""
    args = _extract_args(result)
    return None if args is None else extract_page(*args)


def _as_utf8(result: FetchResult) -> bytes | None:
    """The fetched bytes when they are exactly `result.text` in UTF-8: read as
    UTF-8 or ASCII, no BOM (skipped), and nothing replaced (a body that is
    not valid UTF-8 is decoded with replacement, `http.decode.decode_html`).
    Encoding the text again was 0.17 ms of ingest's ~5 ms a real page (120 KB)."""
    body, text = result.body, result.text
    if body is None or text is None or result.charset not in ("utf-8", "ascii"):
        return None
    if body.startswith(codecs.BOM_UTF8) or "\ufffd" in text:  # a U+FFFD of the page's own: encoded again, rightly
        return None
    return body


class StoreSink:
    """`frontier=None` for archive input (ingest, hunt): no frontier row to
    mark, the archive's record keys say what is stored. `batch_pages` and
    `batch_age_s` bound a commit group: archive input has no fetches to wait
    for, so it takes larger groups. `page_savepoints=False` (archive input):
    a page that fails to store rolls its whole group back instead of its own
    savepoint (`GroupCommit.page`), which a re-read of the archive redoes."""

    def __init__(
        self, db: Database, frontier: SqliteFrontier | None, run_id: int, executor: ExtractionPool | None = None,
        *, keep_bodies: bool = True, batch_pages: int = BATCH_PAGES, batch_age_s: float = BATCH_AGE_S,
        page_savepoints: bool = True,
    ) -> None:
        self._db = db
        self._savepoints = page_savepoints
        self._keep_bodies = keep_bodies  # False for WARC input: the archive holds the bodies
        self._frontier = frontier
        self._run_id = run_id
        self._executor = executor
        self._batch_pages = batch_pages
        self._batch_age_s = batch_age_s
        self.pages_stored = 0
        self._group = GroupCommit(db)
        self._timer: asyncio.TimerHandle | None = None
        self._flush_error: BaseException | None = None

    async def parse(self, result: FetchResult) -> ParsedPage:
        if result.not_modified:
            # A 304: the stored page and its posts stand; its stored links keep
            # discovery going without re-parsing anything.
            prev = stored_page(self._db, result.url)
            if prev is None:
                return ParsedPage()
            return ParsedPage(links=prev.links, feed_links=prev.feed_links, single_post=prev.single_post)
        args = _extract_args(result)
        if args is None:
            return ParsedPage()
        text, url, headers = args
        parsed = None
        if self._executor is not None:
            try:
                parsed = await self._executor.run(_extract, text, url, headers, self._keep_bodies)
            except BrokenExecutor:
                # A worker died (the OOM killer, a crash in a C library): go on
                # extracting in this process rather than failing every page left.
                logger.warning("extraction workers died; extracting in the crawl process from now on")
                self._executor = None
        if parsed is None:  # in this process: the bytes need no copy to a worker
            parsed = _extract(text, url, headers, self._keep_bodies, _as_utf8(result))
        return _parsed_page(url, parsed)

    def parse_extracted(self, result: FetchResult, extracted: ExtractedPage) -> ParsedPage:
        """`parse` for a page the caller extracted with `extract_fetched(result)`
        (the hunt, to verify it): the same ParsedPage, without extracting the
        page a second time (~1 ms a copy; 2.3% of the instructions of a hunt at 1% copies)."""
        args = _extract_args(result)
        if args is None:
            return ParsedPage()
        text, url, headers = args
        return _parsed_page(url, _extract(text, url, headers, self._keep_bodies, _as_utf8(result), extracted))

    def commit(
        self, result: FetchResult, parsed: ParsedPage | None, discovered: Sequence[FrontierItem],
        with_page: Callable[[], None] | None = None,
    ) -> None:
        """Store the page; `with_page` writes what must land with it (an archive record's key)."""
        self._raise_flush_error()
        payload = parsed.payload if parsed is not None and isinstance(parsed.payload, _Parsed) else None
        if self._group.begin():
            self._schedule_flush()
        # a savepoint: a page that fails to store leaves nothing of itself behind
        with self._group.page(savepoint=self._savepoints):
            save_fetch(
                self._db, result, payload.extracted if payload else None, run_id=self._run_id,
                text_hash=text_hash, prepared=payload.prepared if payload else None,
            )
            if self._frontier is not None:
                self._frontier.mark(result.url, frontier_state(result))
                if discovered:
                    self._frontier.add(discovered)
            if with_page is not None:
                with_page()
        self.pages_stored += 1
        if self._group.due(max_pages=self._batch_pages, max_age_s=self._batch_age_s):
            self.flush()

    def flush(self) -> None:
        """Commit the pages stored so far. Called by `commit`, by a timer while
        the crawl waits, and by the pipeline when the crawl ends or stops."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._raise_flush_error()
        self._group.commit()

    def _raise_flush_error(self) -> None:
        """A timed flush failed (disk full...) and rolled back: stop the crawl with it."""
        if self._flush_error is not None:
            error, self._flush_error = self._flush_error, None
            raise error

    def _schedule_flush(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside the crawl's loop: the caller flushes
            return
        self._timer = loop.call_later(self._batch_age_s, self._timed_flush)

    def _timed_flush(self) -> None:
        self._timer = None
        try:
            self.flush()
        except sqlite3.Error as e:
            self._flush_error = e


def _parsed_page(url: str, parsed: _Parsed) -> ParsedPage:
    ex = parsed.extracted
    return ParsedPage(links=ex.out_links, feed_links=ex.feed_links, payload=parsed,
                      single_post=single_post(url, [p.permalink for p in ex.posts]),
                      canonical_link=ex.meta.canonical_link)
