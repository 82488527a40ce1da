"""The crawl loop: claims URLs from the frontier, fetches them politely,
hands pages to the sink, and queues what they link to.

One dispatcher keeps at most `window` frontier items in memory as tasks; each
task does robots → fetch (inside its host's politeness slot) → `sink.parse`
(outside the slot, so fetching goes on while pages are parsed) → link
filtering → `sink.commit`. Sitemaps and feeds are frontier items too, closed
with `frontier.finish`. Redirect targets go back through the frontier, so a
page reached by a redirect and by a link is fetched once.

Stopping (`Crawler.stop()` or the `stop` event): no new request starts;
requests in flight finish and are committed; claimed-but-unstarted items stay
`inflight` in SQLite and are queued again when the run resumes.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Generic

import httpx

from copyhound.crawler.discover.follow import Discovery
from copyhound.crawler.discover.robots import RobotsCache, RobotsPolicy, RobotsUnavailable
from copyhound.crawler.discover.urls import host_of
from copyhound.crawler.errors import CrawlStopped, describe
from copyhound.crawler.http.fetch import Fetcher, build_client, user_agent
from copyhound.crawler.http.redirects import refusal
from copyhound.crawler.politeness import Politeness
from copyhound.crawler.types import (
    CrawlConfig,
    FetchError,
    FetchRecorder,
    FetchResult,
    Frontier,
    FrontierItem,
    FrontierState,
    PageSink,
    ParsedPage,
    PayloadT,
    ProgressReporter,
    Validators,
)

__all__ = ["SKIP_KINDS", "CrawlStats", "Crawler", "frontier_state", "run_crawl"]

log = logging.getLogger(__name__)

# Error kinds that are a decision not to fetch or keep, not a failure.
SKIP_KINDS = frozenset({"robots-disallowed", "not-html", "host-cap"})
PROGRESS_EVERY_S = 0.25
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
FAIR_SHARE_FACTOR = 4  # over several hosts, at most this many items per politeness slot in memory


def frontier_state(result: FetchResult) -> FrontierState:
    """The frontier state a committed result leaves its URL in (for `PageSink.commit`)."""
    if result.error is None:
        return "done"
    return "skipped" if result.error.kind in SKIP_KINDS else "failed"


@dataclass(slots=True)
class CrawlStats:
    """Counters of one `run_crawl` call (this process only, not the resumed part)."""

    fetched: int = 0  # pages answered 2xx
    not_modified: int = 0  # 304 to a conditional GET
    redirects: int = 0  # 3xx recorded (targets queued through the frontier)
    failed: dict[str, int] = field(default_factory=dict)  # by error kind
    skipped: dict[str, int] = field(default_factory=dict)  # robots-disallowed, not-html, host-cap
    documents: int = 0  # sitemaps and feeds read
    requests: int = 0  # HTTP requests sent, retries, robots.txt and documents included
    bytes: int = 0  # body bytes received (decoded)
    elapsed_s: float = 0.0
    stopped_early: bool = False
    max_pages_reached: bool = False  # URLs were left queued because of max_pages
    errors_by_host: dict[str, int] = field(default_factory=dict)

    @property
    def pages_done(self) -> int:
        return self.fetched + self.not_modified + self.redirects + sum(self.failed.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "fetched": self.fetched, "not_modified": self.not_modified, "redirects": self.redirects,
            "failed": dict(self.failed), "skipped": dict(self.skipped), "documents": self.documents,
            "requests": self.requests, "bytes": self.bytes, "elapsed_s": round(self.elapsed_s, 3),
            "stopped_early": self.stopped_early, "max_pages_reached": self.max_pages_reached,
        }


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Crawler(Generic[PayloadT]):
    """One crawl run over a frontier; `run()` once, `stop()` from anywhere on the loop.
    Generic in the sink's payload, which it passes from `parse` to `commit`."""

    def __init__(
        self, config: CrawlConfig, frontier: Frontier, sink: PageSink[PayloadT], *,
        client: httpx.AsyncClient | None = None, progress: ProgressReporter | None = None,
        stop: asyncio.Event | None = None, recorder: FetchRecorder | None = None,
    ) -> None:
        self.config = config
        self._recorder = recorder
        self.frontier = frontier
        self.sink = sink
        self.progress = progress
        self.stats = CrawlStats()
        self._client = client
        self._stop = stop or asyncio.Event()
        self._discovery = Discovery(config)
        self._host_pages: Counter[str] = Counter()
        self._pages_started = 0
        self._budget = config.max_pages
        self._active: dict[asyncio.Task[None], bool] = {}  # task → its request has started
        self._task_host: dict[asyncio.Task[None], str] = {}
        self._host_active: Counter[str] = Counter()  # items in memory per host
        self._hosts_seen: set[str] = set()  # one entry per host crawled
        self._fair_claims = "per_host" in inspect.signature(frontier.claim).parameters
        self._waiting_robots: dict[str, list[FrontierItem]] = {}
        self._wake = asyncio.Event()
        self._fatal: BaseException | None = None
        self._done_at_start = 0

    def stop(self) -> None:
        """Finish the requests in flight, start no new one, return."""
        self._stop.set()
        self._wake.set()

    # -- the loop ---------------------------------------------------------------------------

    async def run(self) -> CrawlStats:
        t0 = time.monotonic()
        own_client = self._client is None
        client = self._client or build_client(self.config)
        self._politeness = Politeness(self.config)
        self._fetcher = Fetcher(client, self.config, self._politeness, self._stop, recorder=self._recorder)
        self._robots = RobotsCache(self._fetch_robots, self.config, user_agent(self.config), self._robots_loaded)
        progress_task = asyncio.create_task(self._progress_loop()) if self.progress is not None else None
        stop_watch = asyncio.create_task(self._watch_stop())
        try:
            self._queue_seeds()
            self._done_at_start = self.frontier.done_count()
            self._budget = self.config.max_pages - self._done_at_start
            host_counts = getattr(self.frontier, "host_done_counts", None)
            if self.config.max_pages_per_host is not None and host_counts is not None:
                self._host_pages.update(host_counts())
            await self._dispatch()
        finally:
            stop_watch.cancel()
            await self._drain()
            if progress_task is not None:
                progress_task.cancel()
                await asyncio.gather(progress_task, return_exceptions=True)
                self._report_progress()
            if own_client:
                await client.aclose()
            self.stats.requests = self._fetcher.requests
            self.stats.elapsed_s = time.monotonic() - t0
        if self._fatal is not None:
            raise self._fatal
        return self.stats

    def _queue_seeds(self) -> None:
        items = self._discovery.seeds()
        if len(items) < len(self.config.seeds):
            log.warning("%d seed(s) are not http(s) URLs: skipped", len(self.config.seeds) - len(items))
        self.frontier.add(items)

    async def _dispatch(self) -> None:
        window = max(4 * self.config.total_concurrency, 64)
        while not self._stop.is_set():
            room = window - len(self._active)
            budget_left = self._budget - self._pages_started
            claimed = 0
            # Claim in batches (when half the window is free, or when idle):
            # one SQL round trip per batch rather than one per finished page.
            if (room >= window // 2 or len(self._active) < self.config.total_concurrency) and budget_left > 0:
                for item in self._claim(min(room, budget_left)):
                    claimed += 1
                    self._spawn(item)
            if not claimed and not self._active and not self._waiting_robots:
                return  # nothing queued, nothing running: the crawl is complete (or out of budget)
            self._wake.clear()
            if self._active or self._waiting_robots:
                await self._wake.wait()
        self.stats.stopped_early = True

    def _claim(self, limit: int) -> list[FrontierItem]:
        """Claim in discovery order; over several hosts, fairly: a host that
        already has `per_host` items in memory is skipped, so each host's
        politeness slots stay busy (many hosts in parallel)."""
        if not self._fair_claims or len(self._hosts_seen) < 2:
            items = self.frontier.claim(limit)
        else:
            per_host = max(FAIR_SHARE_FACTOR * self.config.host_concurrency, 8)
            full = [h for h, n in self._host_active.items() if n >= per_host]
            items = self.frontier.claim(limit, skip_hosts=full, per_host=per_host)  # type: ignore[call-arg]
        for item in items:
            self._hosts_seen.add(host_of(item.url))
        return items

    def _spawn(self, item: FrontierItem) -> None:
        task = asyncio.create_task(self._process(item))
        self._active[task] = False
        host = host_of(item.url)
        self._task_host[task] = host
        self._host_active[host] += 1
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._active.pop(task, None)
        host = self._task_host.pop(task, None)
        if host is not None:
            self._host_active[host] -= 1
            if self._host_active[host] <= 0:
                del self._host_active[host]
        if not task.cancelled() and task.exception() is not None and self._fatal is None:
            self._fatal = task.exception()
            self._stop.set()
        self._wake.set()

    async def _watch_stop(self) -> None:
        await self._stop.wait()  # set by stop() or by the caller's own event (Ctrl-C)
        self._wake.set()

    async def _drain(self) -> None:
        """On stop: cancel tasks whose request has not started, let the others finish."""
        for task, started in list(self._active.items()):
            if not started:
                task.cancel()
        if self._active:
            await asyncio.gather(*self._active, return_exceptions=True)

    def _started(self) -> bool:
        """Mark the current task as requesting; False when the crawl is stopping."""
        if self._stop.is_set():
            return False
        task = asyncio.current_task()
        if task is not None and task in self._active:
            self._active[task] = True
        return True

    # -- one item ---------------------------------------------------------------------------

    async def _process(self, item: FrontierItem) -> None:
        url = item.url
        origin = _origin(url)
        if item.kind == "page":
            cap = self.config.max_pages_per_host
            host = host_of(url)
            if cap is not None and self._host_pages[host] >= cap:
                self._skip(item, "host-cap", f"per-host cap of {cap} pages reached for {host}")
                return
            if self._known_not_html(url):
                self._skip(item, "not-html", "an earlier crawl found this URL is not HTML")
                return
        # sitemaps named in robots.txt are meant to be read
        if item.kind != "sitemap" and not await self._robots_allow(item, origin):
            return
        if item.kind != "page" or self._document_validators(url) is not None:
            await self._process_document(item)  # a page URL stored as a document: an XML file reached by a link
            return
        if self._pages_started >= self._budget:
            self.stats.max_pages_reached = True
            return  # stays in flight: queued again when the run resumes
        self._pages_started += 1
        self._host_pages[host_of(url)] += 1
        validators = self.frontier.validators(url)
        try:
            res = await self._fetcher.fetch(url, depth=item.depth, validators=validators,
                                            published_hint=item.published_hint, on_request=self._started)
        except CrawlStopped:
            return  # never sent: stays in flight, queued again on resume
        except Exception as e:  # a bug or an unmapped library error: record it, crawl on
            log.exception("fetching %s failed unexpectedly", url)
            res = FetchResult(url=url, final_url=url, depth=item.depth, fetched_at=_now_iso(),
                              published_hint=item.published_hint,
                              error=FetchError(kind="internal", message=describe(e)))
        if item.redirect_chain:
            res = replace(res, redirects=item.redirect_chain)
        self._count(res)
        await self._handle_page(item, res)

    async def _robots_allow(self, item: FrontierItem, origin: str) -> bool:
        """May the item be fetched? A disallowed one is recorded as such; one
        whose robots.txt is unavailable waits for it (False either way)."""
        robots = self._robots.cached(origin)
        if robots is None:
            got = await self._robots.get(origin)
            if isinstance(got, RobotsUnavailable):
                self._robots_wait(origin, item, got)
                return False
            robots = got
        if robots.allowed(item.url):
            return True
        res = FetchResult(url=item.url, final_url=item.url, depth=item.depth, fetched_at=_now_iso(),
                          published_hint=item.published_hint,
                          error=FetchError(kind="robots-disallowed", message="disallowed by robots.txt"))
        self._count(res)
        self.sink.commit(res, None, ())
        return False

    async def _handle_page(self, item: FrontierItem, res: FetchResult) -> None:
        """A fetched page: follow its redirect, or parse it and find its links; then commit."""
        url = item.url
        parsed: ParsedPage[PayloadT] | None = None
        discovered: list[FrontierItem] = []
        if res.error is None and res.status in _REDIRECT_STATUSES:
            res, discovered = await self._follow_redirect(item, res)
        elif res.error is None and (res.not_modified or res.text is not None):
            try:
                parsed = await self.sink.parse(res)
            except Exception as e:  # the sink promises not to raise; a bad page must not stop the crawl
                log.exception("sink.parse failed on %s", url)
                parsed = ParsedPage(payload=None)
                res = replace(res, error=FetchError(kind="parse", message=describe(e)))
            discovered = self._guarded(self._discovery.links, item, res, parsed)
        elif res.error is not None and res.error.kind == "not-html" and res.body:
            discovered = self._guarded(self._discovery.xml_entries, item, res)  # a sitemap or feed via a link
            self._save_document(item.url, item.kind, res)
            res = replace(res, body=None)
        self.sink.commit(res, parsed, discovered)  # a failing commit (disk full...) stops the crawl

    def _guarded(
        self, find: Callable[..., list[FrontierItem]], item: FrontierItem, *args: object
    ) -> list[FrontierItem]:
        """Discovery on one page; a bug there loses that page's links, not the crawl."""
        try:
            return find(item, *args)
        except Exception:
            log.exception("discovery failed on %s", item.url)
            return []

    def _skip(self, item: FrontierItem, kind: str, message: str) -> None:
        finish = getattr(self.frontier, "finish", None)
        self.stats.skipped[kind] = self.stats.skipped.get(kind, 0) + 1
        if finish is not None:
            finish(item.url, "skipped", ())
        else:
            res = FetchResult(url=item.url, final_url=item.url, depth=item.depth, fetched_at=_now_iso(),
                              error=FetchError(kind=kind, message=message))
            self.sink.commit(res, None, ())

    def _count(self, res: FetchResult) -> None:
        s = self.stats
        if res.body:
            s.bytes += len(res.body)
        if res.error is not None:
            kind = res.error.kind
            bucket = s.skipped if kind in SKIP_KINDS else s.failed
            bucket[kind] = bucket.get(kind, 0) + 1
            if kind not in SKIP_KINDS:
                host = host_of(res.url)
                s.errors_by_host[host] = s.errors_by_host.get(host, 0) + 1
        elif res.not_modified:
            s.not_modified += 1
        elif res.status in _REDIRECT_STATUSES:
            s.redirects += 1
        else:
            s.fetched += 1

    # -- robots -----------------------------------------------------------------------------

    async def _fetch_robots(self, url: str) -> FetchResult:
        return await self._fetch_document(url, kind="robots", max_bytes=self.config.max_robots_bytes, depth=0)

    def _robots_loaded(self, origin: str, policy: RobotsPolicy) -> None:
        self._politeness.set_crawl_delay(origin.split("://", 1)[1], policy.crawl_delay_s)
        self.frontier.add(self._discovery.robots_sitemaps(origin, policy))
        self._wake.set()

    def _robots_wait(self, origin: str, item: FrontierItem, got: RobotsUnavailable) -> None:
        if got.final:
            res = FetchResult(url=item.url, final_url=item.url, depth=item.depth, fetched_at=_now_iso(),
                              published_hint=item.published_hint,
                              error=FetchError(kind="robots-unavailable",
                                               message=f"robots.txt unavailable ({got.reason})"))
            self._count(res)
            if item.kind == "page":
                self.sink.commit(res, None, ())
            else:
                self._finish_document(item, "failed", [])
            return
        waiting = self._waiting_robots.setdefault(origin, [])
        waiting.append(item)
        if len(waiting) == 1:
            asyncio.get_running_loop().call_later(
                max(0.0, got.retry_at - time.monotonic()), self._robots_retry, origin)

    def _robots_retry(self, origin: str) -> None:
        for item in self._waiting_robots.pop(origin, []):
            if self._stop.is_set():
                break  # left in flight in SQLite: the resumed run queues them again
            self._spawn(item)
        self._wake.set()

    # -- redirects and documents ------------------------------------------------------------

    async def _follow_redirect(self, item: FrontierItem, res: FetchResult) -> tuple[FetchResult, list[FrontierItem]]:
        target, err = self._discovery.redirect(item, res.final_url)
        if err is None and target is not None:
            err = await refusal(item.url, target, self.config.allow_private)
        if err is not None or target is None:
            self.stats.redirects -= 1  # counted as a redirect by _count; it is a failure
            if err is not None:
                self.stats.failed[err.kind] = self.stats.failed.get(err.kind, 0) + 1
            return replace(res, error=err), []
        return replace(res, final_url=target), self._discovery.follow_redirect(item, target)

    async def _process_document(self, item: FrontierItem) -> None:
        cfg = self.config
        cap = cfg.max_sitemap_bytes if item.kind == "sitemap" else cfg.max_feed_bytes
        try:
            res = await self._fetch_document(item.url, kind=item.kind, max_bytes=cap, depth=item.depth,
                                             on_request=self._started, stop_at=self._discovery.document_queued)
        except CrawlStopped:
            return
        except Exception:
            log.exception("fetching %s %s failed unexpectedly", item.kind, item.url)
            self._finish_document(item, "failed", [])
            return
        if res.error is None and res.status in _REDIRECT_STATUSES:
            self._finish_document(item, "done", [])  # to a document fetched on its own
            return
        if res.error is not None or not res.body:
            self._finish_document(item, "failed", [])
            return
        self.stats.documents += 1
        self.stats.bytes += len(res.body)
        self._finish_document(item, "done", self._guarded(self._discovery.xml_entries, item, res))

    async def _fetch_document(
        self, url: str, *, kind: str, max_bytes: int, depth: int, on_request: Callable[[], bool] | None = None,
        stop_at: Callable[[str], bool] | None = None,
    ) -> FetchResult:
        """robots.txt, a sitemap or a feed, asked for conditionally when an
        earlier crawl stored it: a 304 reads the stored body again, so an
        unchanged document is never downloaded twice."""
        fetch = self._fetcher.fetch_document
        validators = self._document_validators(url)
        res = await fetch(url, kind=kind, max_bytes=max_bytes, depth=depth, on_request=on_request,
                          validators=validators, stop_at=stop_at)
        if res.not_modified:
            load = getattr(self.frontier, "document_body", None)
            body = load(url) if load is not None else None
            if body is not None:
                return replace(res, status=200, body=body, not_modified=False)
            res = await fetch(url, kind=kind, max_bytes=max_bytes, depth=depth, on_request=on_request)
        if res.error is None and res.body is not None and res.status == 200:
            self._save_document(url, kind, res)
        return res

    def _document_validators(self, url: str) -> Validators | None:
        get = getattr(self.frontier, "document_validators", None)
        return get(url) if get is not None else None

    def _known_not_html(self, url: str) -> bool:
        known = getattr(self.frontier, "known_not_html", None)
        return bool(known(url)) if known is not None else False

    def _save_document(self, url: str, kind: str, res: FetchResult) -> None:
        save = getattr(self.frontier, "save_document", None)
        if save is not None and res.body is not None and not res.redirects:
            save(url, kind, res.etag, res.last_modified, res.body)

    def _finish_document(self, item: FrontierItem, state: FrontierState, discovered: list[FrontierItem]) -> None:
        finish = getattr(self.frontier, "finish", None)
        if finish is not None:
            finish(item.url, state, discovered)
        else:
            self.frontier.add(discovered)

    # -- progress ---------------------------------------------------------------------------

    def _report_progress(self) -> None:
        if self.progress is None:
            return
        try:
            queued = self.frontier.pending()
        except Exception:  # progress must never break a crawl
            queued = 0
        self.progress.update(self._done_at_start + self.stats.pages_done, queued, self.stats.errors_by_host)

    async def _progress_loop(self) -> None:
        while True:
            await asyncio.sleep(PROGRESS_EVERY_S)
            self._report_progress()


async def run_crawl(
    config: CrawlConfig, frontier: Frontier, sink: PageSink[PayloadT], *,
    client: httpx.AsyncClient | None = None, progress: ProgressReporter | None = None,
    stop: asyncio.Event | None = None, recorder: FetchRecorder | None = None,
) -> CrawlStats:
    """Crawl from `config.seeds` (or resume `frontier`) until nothing is left,
    `max_pages` is reached or `stop` is set. Every page goes through
    `sink.parse` then `sink.commit`; returns the run's counters."""
    return await Crawler(config, frontier, sink, client=client, progress=progress, stop=stop, recorder=recorder).run()
