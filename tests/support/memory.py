"""In-memory `Frontier` and `PageSink` for crawler unit tests, and a canned
site served through `httpx.MockTransport`: the engine runs for real, with
no socket, no SQLite schema and no extraction.

The fakes keep the protocol promises the engine relies on (crawler/types.py):
`add` queues only URLs never seen in the run, `claim` hands out queued URLs
in discovery order and marks them in flight, and `commit` stores the page
and its frontier update together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
import lxml.html

from copyhound.crawler.engine import CrawlStats, frontier_state, run_crawl
from copyhound.crawler.types import CrawlConfig, FetchResult, FrontierItem, FrontierState, ParsedPage, Validators


@dataclass
class MemoryFrontier:
    """`crawler.types.Frontier` (and `DocumentFrontier`) in a dict."""

    states: dict[str, FrontierState] = field(default_factory=dict)
    items: dict[str, FrontierItem] = field(default_factory=dict)
    stored: dict[str, Validators] = field(default_factory=dict)  # validators of an earlier crawl

    def add(self, items: Sequence[FrontierItem]) -> int:
        new = [i for i in items if i.url not in self.states]
        for item in new:
            self.states[item.url] = "queued"
            self.items[item.url] = item
        return len(new)

    def claim(self, limit: int) -> list[FrontierItem]:
        urls = [u for u, s in self.states.items() if s == "queued"][:limit]
        for url in urls:
            self.states[url] = "inflight"
        return [self.items[u] for u in urls]

    def validators(self, url: str) -> Validators | None:
        return self.stored.get(url)

    def pending(self) -> int:
        return sum(s in ("queued", "inflight") for s in self.states.values())

    def done_count(self) -> int:
        return sum(s in ("done", "failed") for s in self.states.values())

    def mark(self, url: str, state: FrontierState) -> None:
        self.states[url] = state

    def finish(self, url: str, state: FrontierState, discovered: Sequence[FrontierItem]) -> None:
        self.mark(url, state)
        self.add(discovered)


@dataclass
class MemorySink:
    """`crawler.types.PageSink` that keeps each committed page in `pages`;
    links are every `<a href>` of the page, resolved against its final URL."""

    frontier: MemoryFrontier
    pages: dict[str, FetchResult] = field(default_factory=dict)
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)

    async def parse(self, result: FetchResult) -> ParsedPage:
        if result.not_modified:
            return ParsedPage(links=self.links.get(result.url, ()))
        doc = lxml.html.fromstring(result.text or "<html></html>")
        links = tuple(urljoin(result.final_url, h.strip()) for h in doc.xpath("//a/@href"))
        robots = " ".join(doc.xpath("//meta[@name='robots']/@content")).lower()
        return ParsedPage(links=links, nofollow="nofollow" in robots)

    def commit(self, result: FetchResult, parsed: ParsedPage | None, discovered: Sequence[FrontierItem]) -> None:
        self.pages[result.url] = result
        if parsed is not None:
            self.links[result.url] = parsed.links
        self.frontier.mark(result.url, frontier_state(result))
        self.frontier.add(discovered)


@dataclass
class CannedSite:
    """Answers by path: `routes["/x"] = (status, body, headers)`; a missing
    path is a 404. Every request's path is logged in `requested`."""

    routes: dict[str, tuple[int, str, Mapping[str, str]]] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def html(self, path: str, *links: str, status: int = 200, headers: Mapping[str, str] | None = None) -> None:
        body = "<html><body>" + "".join(f'<a href="{h}">{h}</a>' for h in links) + "</body></html>"
        self.routes[path] = (status, body, {"content-type": "text/html; charset=utf-8", **(headers or {})})

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode()
        self.requested.append(path)
        status, body, headers = self.routes.get(path, (404, "not found", {"content-type": "text/plain"}))
        return httpx.Response(status, headers=dict(headers), stream=httpx.ByteStream(body.encode()))


def crawl_in_memory(
    site: CannedSite, seeds: Sequence[str], *, sink_type: type[MemorySink] = MemorySink, **cfg: object
) -> tuple[CrawlStats, MemorySink]:
    """One crawl of `site` through the real engine; no socket is opened."""
    frontier = MemoryFrontier()
    sink = sink_type(frontier)
    settings: dict[str, object] = {"delay_s": 0.0, "allow_private": True, "retry_backoff_s": 0.0, **cfg}
    config = CrawlConfig(seeds=tuple(seeds), **settings)  # type: ignore[arg-type]

    async def go() -> CrawlStats:
        async with httpx.AsyncClient(transport=httpx.MockTransport(site.handler)) as client:
            return await run_crawl(config, frontier, sink, client=client)

    return asyncio.run(go()), sink
