"""The crawler's `PageSink`: extraction of each fetched page, then its storage.

`parse` runs the pure extractor, and the rest of the per-page CPU work
(compression, hashes), in a worker process when there is a pool; `commit`
stores the page, its posts and its frontier update in one transaction, so a
killed crawl never holds a page without its frontier state or the reverse.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor, Executor
from dataclasses import dataclass

from sqlite_utils import Database

from crawler.engine import frontier_state
from crawler.types import FetchResult, FrontierItem, ParsedPage
from dedupe.extract import extract_page
from dedupe.text import text_hash
from dedupe.types import ExtractedPage
from store.frontier import SqliteFrontier
from store.pages import PreparedBody, prepare_body, save_fetch, stored_page

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Parsed:
    extracted: ExtractedPage
    prepared: PreparedBody


def _extract(text: str, url: str, headers: dict[str, str]) -> _Parsed:
    """Runs in a worker: everything CPU-bound about one page. The stored body
    is the decoded page as UTF-8 (what extraction saw), whatever its charset.

    Posts are not signed here: measured on a 3,000-page crawl, signing one
    page's posts at a time and indexing them in the page's commit cost ~3 ms
    of CPU a page, against ~0.2 ms for signing all posts in batches (with a
    bulk index build) after the crawl."""
    extracted = extract_page(text, url, headers)
    return _Parsed(extracted, prepare_body(text.encode("utf-8", "replace"), extracted, text_hash))


class StoreSink:
    def __init__(
        self, db: Database, frontier: SqliteFrontier, run_id: int, executor: Executor | None = None
    ) -> None:
        self._db = db
        self._frontier = frontier
        self._run_id = run_id
        self._executor = executor
        self.pages_stored = 0

    async def parse(self, result: FetchResult) -> ParsedPage:
        if result.not_modified:
            # A 304: the stored page and its posts stand; its stored links keep
            # discovery going without re-parsing anything.
            prev = stored_page(self._db, result.url)
            if prev is None:
                return ParsedPage()
            return ParsedPage(links=prev.links, feed_links=prev.feed_links)
        if result.error is not None or result.text is None:
            return ParsedPage()
        headers = dict(result.headers)
        url = result.final_url or result.url
        parsed = None
        if self._executor is not None:
            loop = asyncio.get_running_loop()
            try:
                parsed = await loop.run_in_executor(self._executor, _extract, result.text, url, headers)
            except BrokenExecutor:
                # A worker died (the OOM killer, a crash in a C library): go on
                # extracting in this process rather than failing every page left.
                logger.warning("extraction workers died; extracting in the crawl process from now on")
                self._executor = None
        if parsed is None:
            parsed = _extract(result.text, url, headers)
        ex = parsed.extracted
        return ParsedPage(links=ex.out_links, feed_links=ex.feed_links, payload=parsed)

    def commit(self, result: FetchResult, parsed: ParsedPage | None, discovered: Sequence[FrontierItem]) -> None:
        payload = parsed.payload if parsed is not None and isinstance(parsed.payload, _Parsed) else None
        with self._db.atomic():
            save_fetch(
                self._db, result, payload.extracted if payload else None, run_id=self._run_id,
                text_hash=text_hash, prepared=payload.prepared if payload else None,
            )
            self._frontier.mark(result.url, frontier_state(result))
            if discovered:
                self._frontier.add(discovered)
        self.pages_stored += 1
