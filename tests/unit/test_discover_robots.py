"""crawler.discover.robots on its own: the fetch is a plain coroutine that
returns canned `FetchResult`s, so each RFC 9309 outcome is checked without a
server (the same rules through a real crawl: tests/e2e/test_crawler_basics.py)."""

from __future__ import annotations

import asyncio
import time

from copyhound.crawler.discover.robots import RobotsCache, RobotsPolicy, RobotsUnavailable
from copyhound.crawler.types import CrawlConfig, FetchError, FetchResult

ORIGIN = "http://h.test"
UA = "copyhound-test"


class CannedRobots:
    """Answers robots.txt fetches from a list, one per call (the last repeats)."""

    def __init__(self, *answers: FetchResult) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    async def __call__(self, url: str) -> FetchResult:
        self.calls.append(url)
        await asyncio.sleep(0)  # let concurrent callers pile up on the pending fetch
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


def answer(status: int | None, body: str = "", error: str | None = None) -> FetchResult:
    url = ORIGIN + "/robots.txt"
    return FetchResult(url=url, final_url=url, depth=0, status=status, body=body.encode(),
                       error=FetchError(kind=error, message=f"{error} happened") if error else None)


def config(**kw: object) -> CrawlConfig:
    return CrawlConfig(seeds=(), **kw)  # type: ignore[arg-type]


def test_rules_crawl_delay_and_sitemaps_come_from_a_2xx() -> None:
    body = (f"User-agent: {UA}\nDisallow: /private/\nCrawl-delay: 2.5\n\n"
            "User-agent: *\nDisallow: /\n\nSitemap: http://h.test/map.xml\n")
    loaded: list[tuple[str, RobotsPolicy]] = []
    cache = RobotsCache(CannedRobots(answer(200, body)), config(), UA, on_loaded=lambda o, p: loaded.append((o, p)))
    policy = asyncio.run(cache.get(ORIGIN))
    assert isinstance(policy, RobotsPolicy)
    assert policy.allowed(ORIGIN + "/post") and not policy.allowed(ORIGIN + "/private/x")  # our group, not `*`
    assert policy.crawl_delay_s == 2.5 and policy.sitemaps == ("http://h.test/map.xml",)
    assert loaded == [(ORIGIN, policy)] and cache.cached(ORIGIN) is policy


def test_only_the_first_max_robots_bytes_are_read() -> None:
    body = "User-agent: *\nDisallow: /a\n" + "#" * 100 + "\nDisallow: /b\n"
    policy = asyncio.run(RobotsCache(CannedRobots(answer(200, body)), config(max_robots_bytes=40), UA).get(ORIGIN))
    assert isinstance(policy, RobotsPolicy)
    assert not policy.allowed(ORIGIN + "/a") and policy.allowed(ORIGIN + "/b")


def test_4xx_and_redirect_trouble_allow_everything() -> None:
    for res in (answer(404), answer(403), answer(None, error="redirect-loop"), answer(None, error="not-html")):
        policy = asyncio.run(RobotsCache(CannedRobots(res), config(), UA).get(ORIGIN))
        assert isinstance(policy, RobotsPolicy) and policy.parser is None, res
        assert policy.allowed(ORIGIN + "/anything")


def test_5xx_and_timeouts_make_the_host_wait_then_give_up() -> None:
    fetch = CannedRobots(answer(503), answer(None, error="timeout"), answer(500))
    cache = RobotsCache(fetch, config(robots_retry_s=0.0, robots_max_attempts=3), UA)

    async def three_tries() -> list[RobotsPolicy | RobotsUnavailable]:
        return [await cache.get(ORIGIN) for _ in range(4)]

    first, second, third, fourth = asyncio.run(three_tries())
    assert isinstance(first, RobotsUnavailable) and first.attempts == 1 and first.reason == "HTTP 503"
    assert isinstance(second, RobotsUnavailable) and second.reason == "timeout happened" and not second.final
    assert isinstance(third, RobotsUnavailable) and third.attempts == 3 and third.final
    assert fourth is third and len(fetch.calls) == 3  # final: not asked again this run
    assert cache.cached(ORIGIN) is None


def test_an_unavailable_robots_is_not_asked_again_before_retry_at() -> None:
    fetch = CannedRobots(answer(503), answer(200, "User-agent: *\nAllow: /\n"))
    cache = RobotsCache(fetch, config(robots_retry_s=60.0), UA)
    first = asyncio.run(cache.get(ORIGIN))
    assert isinstance(first, RobotsUnavailable) and first.retry_at > time.monotonic() + 50
    assert asyncio.run(cache.get(ORIGIN)) is first and len(fetch.calls) == 1


def test_concurrent_callers_share_one_fetch() -> None:
    fetch = CannedRobots(answer(200, "User-agent: *\nDisallow: /x\n"))
    cache = RobotsCache(fetch, config(), UA)

    async def many() -> list[RobotsPolicy | RobotsUnavailable]:
        return await asyncio.gather(*(cache.get(ORIGIN) for _ in range(20)))

    results = asyncio.run(many())
    assert fetch.calls == [ORIGIN + "/robots.txt"]
    assert all(r is results[0] for r in results)
