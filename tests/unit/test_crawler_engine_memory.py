"""The crawl engine with an in-memory frontier and sink (tests/support/memory.py)
and a canned site behind httpx.MockTransport: scope, robots, depth, the page
budget and per-page failures, without a server or a database. (The same
engine against a real server and SQLite: tests/e2e/test_crawler_basics.py.)"""

from __future__ import annotations

from support.memory import CannedSite, MemorySink, crawl_in_memory

from copyhound.crawler.types import FetchResult, ParsedPage

ROOT = "http://blog.test/"


def blog() -> CannedSite:
    site = CannedSite()
    site.routes["/robots.txt"] = (200, "User-agent: *\nDisallow: /private/\n", {"content-type": "text/plain"})
    site.html("/", "/a", "/b?utm_source=nl", "/private/x", "http://other.test/", "mailto:x@y.z")
    site.html("/a", "/", "/a/deep")
    site.html("/b", "/a")
    site.html("/a/deep", "/gone")
    return site


def test_links_are_followed_once_within_scope_and_robots() -> None:
    site = blog()
    stats, sink = crawl_in_memory(site, [ROOT], use_sitemaps=False)
    fetched = [ROOT, ROOT + "a", ROOT + "a/deep", ROOT + "b", ROOT + "gone"]
    assert sorted(sink.pages) == sorted([*fetched, ROOT + "private/x"])
    assert sink.pages[ROOT + "gone"].status == 404
    private = sink.pages[ROOT + "private/x"]
    assert private.error is not None and private.error.kind == "robots-disallowed"
    assert site.requested.count("/robots.txt") == 1
    assert sorted(p for p in site.requested if p != "/robots.txt") == ["/", "/a", "/a/deep", "/b", "/gone"]
    assert not any("other.test" in u for u in sink.frontier.states)  # off-scope: never queued
    assert sink.frontier.pending() == 0 and stats.fetched == 4 and stats.failed == {"http-status": 1}


def test_max_depth_and_max_pages_bound_the_crawl() -> None:
    _, shallow = crawl_in_memory(blog(), [ROOT], use_sitemaps=False, max_depth=1)
    assert sorted(u for u, r in shallow.pages.items() if r.error is None) == [ROOT, ROOT + "a", ROOT + "b"]
    site = CannedSite()
    site.html("/", *(f"/p{i}" for i in range(50)))
    for i in range(50):
        site.html(f"/p{i}")
    _, capped = crawl_in_memory(site, [ROOT], use_sitemaps=False, max_pages=5)
    assert len(capped.pages) == 5 and len([p for p in site.requested if p.startswith("/p")]) == 4


class FragileSink(MemorySink):
    async def parse(self, result: FetchResult) -> ParsedPage:
        if result.url.endswith("/b"):
            raise RuntimeError("extractor bug")
        return await super().parse(result)


def test_a_sink_that_raises_on_one_page_does_not_stop_the_crawl() -> None:
    _, sink = crawl_in_memory(blog(), [ROOT], sink_type=FragileSink, use_sitemaps=False)
    broken = sink.pages[ROOT + "b"]
    assert broken.error is not None and broken.error.kind == "parse" and "extractor bug" in broken.error.message
    assert sink.pages[ROOT + "gone"].status == 404  # the rest of the site was crawled
