"""robots.txt: fetched once per origin, shared by concurrent workers.

The first worker to need an origin's rules starts the fetch; the others await
the same future. Outcomes (as Google and RFC 9309 treat them):

- 2xx: the rules, parsed with protego (the first `max_robots_bytes` only);
- 4xx: no rules, everything allowed;
- 5xx, timeout, connection error: *unavailable* — crawl nothing on the host
  yet; asked again after `robots_retry_s`, at most `robots_max_attempts` times.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from protego import Protego

from copyhound.crawler.types import CrawlConfig, FetchResult

__all__ = ["RobotsCache", "RobotsPolicy", "RobotsUnavailable"]

log = logging.getLogger(__name__)

# robots.txt answers treated like a 404 (allow all), as Google does for
# redirect trouble and for bodies that are not text.
_AS_MISSING = frozenset({"redirect-loop", "too-many-redirects", "bad-redirect", "private-address",
                         "not-html", "decode", "invalid-url"})


@dataclass(frozen=True, slots=True)
class RobotsPolicy:
    """The rules of one origin (`parser` None: everything allowed)."""

    parser: Protego | None
    user_agent: str
    crawl_delay_s: float | None = None
    sitemaps: tuple[str, ...] = ()

    def allowed(self, url: str) -> bool:
        return self.parser is None or self.parser.can_fetch(url, self.user_agent)


@dataclass(frozen=True, slots=True)
class RobotsUnavailable:
    """robots.txt could not be read (5xx/timeout); try again at `retry_at` (monotonic)."""

    retry_at: float
    attempts: int
    reason: str
    final: bool  # no attempts left: the host's URLs are given up for this run


class RobotsCache:
    def __init__(
        self, fetch: Callable[[str], Awaitable[FetchResult]], config: CrawlConfig, user_agent: str,
        on_loaded: Callable[[str, RobotsPolicy], None] | None = None,
    ) -> None:
        self._fetch = fetch
        self._config = config
        self._ua = user_agent
        self._on_loaded = on_loaded
        self._done: dict[str, RobotsPolicy | RobotsUnavailable] = {}
        self._pending: dict[str, asyncio.Future[RobotsPolicy | RobotsUnavailable]] = {}

    def cached(self, origin: str) -> RobotsPolicy | None:
        """The rules when already loaded (the hot path: no await)."""
        entry = self._done.get(origin)
        return entry if isinstance(entry, RobotsPolicy) else None

    async def get(self, origin: str) -> RobotsPolicy | RobotsUnavailable:
        entry = self._done.get(origin)
        if isinstance(entry, RobotsPolicy):
            return entry
        if isinstance(entry, RobotsUnavailable) and (entry.final or time.monotonic() < entry.retry_at):
            return entry
        fut = self._pending.get(origin)
        if fut is None:
            attempts = entry.attempts if isinstance(entry, RobotsUnavailable) else 0
            fut = asyncio.get_running_loop().create_future()
            self._pending[origin] = fut
            try:
                result = await self._load(origin, attempts)
            except BaseException as e:  # cancelled: let the next caller try again
                del self._pending[origin]
                fut.set_exception(e) if not isinstance(e, asyncio.CancelledError) else fut.cancel()
                raise
            self._done[origin] = result
            del self._pending[origin]
            fut.set_result(result)
            if isinstance(result, RobotsPolicy) and self._on_loaded is not None:
                self._on_loaded(origin, result)
            return result
        return await asyncio.shield(fut)

    async def _load(self, origin: str, attempts: int) -> RobotsPolicy | RobotsUnavailable:
        res = await self._fetch(origin + "/robots.txt")
        status = res.status
        if res.error is None and status is not None and 200 <= status < 300:
            text = (res.body or b"")[: self._config.max_robots_bytes].decode("utf-8", errors="replace")
            try:
                parser = Protego.parse(text)
            except Exception as e:  # garbage robots.txt: protego is lenient, but never let it stop a crawl
                log.warning("unparsable robots.txt at %s (%s): treated as allow-all", origin, e)
                return RobotsPolicy(parser=None, user_agent=self._ua)
            delay = parser.crawl_delay(self._ua)
            return RobotsPolicy(parser=parser, user_agent=self._ua,
                                crawl_delay_s=float(delay) if delay else None,
                                sitemaps=tuple(parser.sitemaps))
        if (status is not None and 400 <= status < 500) or (res.error is not None and res.error.kind in _AS_MISSING):
            return RobotsPolicy(parser=None, user_agent=self._ua)
        attempts += 1
        reason = res.error.message if res.error else f"HTTP {status}"
        final = attempts >= self._config.robots_max_attempts
        log.info("robots.txt of %s unavailable (%s), attempt %d", origin, reason, attempts)
        return RobotsUnavailable(retry_at=time.monotonic() + self._config.robots_retry_s, attempts=attempts,
                                 reason=reason, final=final)
