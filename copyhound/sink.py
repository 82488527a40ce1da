"""The crawler's `PageSink`: extraction of each fetched page, then its storage.

`parse` runs the pure extractor (in a worker process when the crawl is big
enough for one to pay off); `commit` stores the page, its posts and its
frontier update in one transaction, so a killed crawl never holds a page
without its frontier state or the reverse.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import Executor

from sqlite_utils import Database

from crawler.types import FetchResult, FrontierItem, ParsedPage
from dedupe.extract import extract_page
from dedupe.text import text_hash
from dedupe.types import ExtractedPage
from store.frontier import SqliteFrontier
from store.pages import save_fetch, stored_page


def _extract(text: str, url: str, headers: dict[str, str]) -> ExtractedPage:
    return extract_page(text, url, headers)


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
        if self._executor is None:
            extracted = _extract(result.text, url, headers)
        else:
            loop = asyncio.get_running_loop()
            extracted = await loop.run_in_executor(self._executor, _extract, result.text, url, headers)
        return ParsedPage(
            links=extracted.out_links, feed_links=extracted.feed_links, payload=extracted
        )

    def commit(self, result: FetchResult, parsed: ParsedPage | None, discovered: Sequence[FrontierItem]) -> None:
        extracted = parsed.payload if parsed is not None and isinstance(parsed.payload, ExtractedPage) else None
        state = "failed" if result.error is not None else "done"
        with self._db.atomic():
            save_fetch(self._db, result, extracted, run_id=self._run_id, text_hash=text_hash)
            self._frontier.mark(result.url, state)
            if discovered:
                self._frontier.add(discovered)
        self.pages_stored += 1
