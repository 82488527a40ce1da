"""Crawler basics against a real server on 127.0.0.1 and a real SQLite file:
scope, robots, depth/max-pages, conditional re-crawl. (URL normalisation and
the frontier alone: tests/unit/test_crawler_urls.py.)"""

from __future__ import annotations

import asyncio
from pathlib import Path

from support.crawlserver import FAST, CrawlServer, Page, StoreSink, crawl, pages

from copyhound.crawler.engine import run_crawl
from copyhound.crawler.types import CrawlConfig
from copyhound.store import open_db
from copyhound.store.frontier import SqliteFrontier, redirect_targets

# -- crawling -------------------------------------------------------------------------------


def small_site(srv: CrawlServer) -> None:
    srv.add("/robots.txt", Page(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
    srv.html("/", ["/a", "/b?utm_source=nl", "/b#top", "/private/x", "/c?replytocom=4", "mailto:x@y.z",
                   "http://other.invalid/", "/a/../b"])
    srv.html("/a", ["/", "/a/deep", "javascript:void(0)"])
    srv.html("/b", ["/a", "/c"])
    srv.html("/c", ["/c?b=1&a=2", "/c?a=2&b=1"])
    srv.html("/c?a=2&b=1", [])
    srv.html("/a/deep", ["/a/deeper"])
    srv.html("/a/deeper", [])
    srv.html("/private/x", [])


def test_crawl_scope_robots_and_dedupe(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        small_site(srv)
        stats, _ = crawl(tmp_path / "c.db", [srv.url("/")])
        counts = srv.counts()
    stored = pages(tmp_path / "c.db")
    base = srv.base
    fetched = {u for u, r in stored.items() if r["status"] == 200}
    assert fetched == {f"{base}/", f"{base}/a", f"{base}/b", f"{base}/c", f"{base}/c?a=2&b=1",
                       f"{base}/a/deep", f"{base}/a/deeper"}
    assert "/private/x" not in counts  # never requested
    assert stored[f"{base}/private/x"]["error_kind"] == "robots-disallowed"
    assert stored[f"{base}/private/x"]["status"] is None
    assert counts["/robots.txt"] == 1
    page_requests = {p: n for p, n in counts.items() if p not in ("/robots.txt", "/sitemap.xml")}
    assert all(n == 1 for n in page_requests.values()), page_requests
    assert not any(u.startswith("http://other.invalid") for u in stored)  # out of scope: not followed
    assert stats.fetched == 7 and stats.skipped == {"robots-disallowed": 1}
    assert stats.failed == {}
    db = open_db(tmp_path / "c.db")
    assert SqliteFrontier(db, 1).pending() == 0


def test_depth_and_max_pages(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        small_site(srv)
        crawl(tmp_path / "d.db", [srv.url("/")], max_depth=1)
        crawl(tmp_path / "m.db", [srv.url("/")], max_pages=3)
        base = srv.base
    by_depth = {u for u, r in pages(tmp_path / "d.db").items() if r["status"] == 200}
    assert by_depth == {f"{base}/", f"{base}/a", f"{base}/b", f"{base}/c"}
    capped = [u for u, r in pages(tmp_path / "m.db").items() if r["status"] == 200]
    assert len(capped) == 3


def test_robots_crawl_delay_and_user_agent_group(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        srv.add("/robots.txt", Page(content_type="text/plain", body=(
            "User-agent: copyhound\nDisallow: /nocopyhound\nCrawl-delay: 0.2\n\n"
            "User-agent: *\nDisallow: /\n")))
        srv.html("/", ["/x", "/y", "/nocopyhound"])
        srv.html("/x", [])
        srv.html("/y", [])
        import time

        t0 = time.monotonic()
        crawl(tmp_path / "r.db", [srv.url("/")], delay_s=0.0)
        elapsed = time.monotonic() - t0
        counts = srv.counts()
    assert counts["/x"] == 1 and counts["/y"] == 1 and "/nocopyhound" not in counts
    assert elapsed >= 0.2 * 3  # robots, /, /sitemap.xml, /x, /y spaced by Crawl-delay 0.2 s


def test_robots_4xx_allows_all_and_5xx_retries_later(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        srv.add("/robots.txt", Page(status=404, body="nope", content_type="text/plain"))
        srv.html("/", ["/x"])
        srv.html("/x", [])
        crawl(tmp_path / "a.db", [srv.url("/")])
        assert srv.counts()["/x"] == 1

    with CrawlServer() as srv:
        state = {"n": 0}

        def flaky_robots(h):  # 503 twice (first attempt, its retries), then rules
            state["n"] += 1
            if state["n"] <= 2:
                _page(h, Page(status=503, body="busy", content_type="text/plain"))
            else:
                _page(h, Page(body="User-agent: *\nDisallow: /no\n", content_type="text/plain"))

        srv.add("/robots.txt", flaky_robots)
        srv.html("/", ["/x", "/no"])
        srv.html("/x", [])
        crawl(tmp_path / "b.db", [srv.url("/")], max_retries=1, robots_retry_s=0.2)
        counts = srv.counts()
        # Nothing on the host was requested while robots.txt was unavailable.
        first_page = srv.paths().index("/")
        assert srv.paths()[:first_page].count("/robots.txt") == 3
        assert counts["/x"] == 1 and "/no" not in counts

    with CrawlServer() as srv:
        srv.add("/robots.txt", Page(status=500, body="down", content_type="text/plain"))
        srv.html("/", [])
        stats, _ = crawl(tmp_path / "c.db", [srv.url("/")], max_retries=0, robots_retry_s=0.05,
                         robots_max_attempts=2)
        assert "/" not in srv.counts()
        assert stats.failed == {"robots-unavailable": 1}
        assert pages(tmp_path / "c.db")[srv.url("/")]["error_kind"] == "robots-unavailable"


def _page(h, page: Page) -> None:
    from support.crawlserver import _send

    _send(h, page)


def test_recrawl_sends_validators_and_reuses_304(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        srv.html("/", ["/a", "/b"], etag='"v1"')
        srv.html("/a", ["/b"], last_modified="Mon, 02 Jan 2023 00:00:00 GMT")
        srv.html("/b", [], etag='"b1"')
        db_path = tmp_path / "r.db"
        crawl(db_path, [srv.url("/")])
        db = open_db(db_path)
        SqliteFrontier(db, 1).reset_for_new_run(2)
        db.conn.close()
        srv.html("/b", ["/new"], etag='"b2"')  # changed page, with a new link
        srv.html("/new", [])
        n_before = len(srv.log)
        stats, sink = crawl(db_path, [srv.url("/")], run_id=2)
        second = srv.log[n_before:]
    sent = {p: h for p, h in second}
    assert sent["/"]["if-none-match"] == '"v1"'
    assert sent["/a"]["if-modified-since"] == "Mon, 02 Jan 2023 00:00:00 GMT"
    assert stats.not_modified == 2 and stats.fetched == 2  # /b changed, /new is new
    assert srv.url("/new") in pages(db_path)
    assert srv.url("/") in sink.parsed  # 304: the sink returns the stored links


def test_progress_reporter_gets_updates_and_rich_bar_is_quiet_off_terminal(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from copyhound.crawler.progress import RichProgress, format_errors

    class Recorder:
        def __init__(self) -> None:
            self.calls: list[tuple[int, int]] = []

        def update(self, done: int, queued: int, errors_by_host: dict[str, int]) -> None:
            self.calls.append((done, queued))

    rec = Recorder()
    with CrawlServer() as srv:
        small_site(srv)
        db = open_db(tmp_path / "p.db")
        frontier = SqliteFrontier(db, 1)
        config = CrawlConfig(seeds=(srv.url("/"),), **FAST)  # type: ignore[arg-type]
        asyncio.run(run_crawl(config, frontier, StoreSink(db, frontier), progress=rec))
    assert rec.calls[-1] == (7, 0)  # the final update: every page done, nothing queued

    out = io.StringIO()
    with RichProgress(console=Console(file=out, force_terminal=False)) as bar:
        bar.update(3, 2, {"a.test": 2})
    assert not bar.enabled and out.getvalue() == ""
    tty = io.StringIO()
    with RichProgress(console=Console(file=tty, force_terminal=True, width=120)) as bar:
        bar.update(3, 2, {"a.test": 2, "b.test": 5})
    assert "b.test 5, a.test 2" in tty.getvalue()
    assert format_errors({}) == ""


def test_patterns_host_cap_nofollow_and_scope_hosts(tmp_path: Path) -> None:
    with CrawlServer() as srv, CrawlServer() as other:
        other.add("/robots.txt", Page(status=404, body=""))
        other.html("/o", [])
        srv.add("/robots.txt", Page(status=404, body=""))
        srv.html("/", ["/blog/1", "/blog/2", "/shop/1", "/tag/x", "/stop", other.url("/o")])
        srv.html("/stop", ["/never"], extra='<meta name="robots" content="noindex, nofollow">')
        for p in ("/blog/1", "/blog/2", "/shop/1", "/tag/x", "/never"):
            srv.html(p, [])
        crawl(tmp_path / "p.db", [srv.url("/")], include_patterns=(r"^https?://[^/]+/($|blog/|stop)",),
              exclude_patterns=(r"/blog/2$",))
        got = {u.split("/", 3)[3] for u, r in pages(tmp_path / "p.db").items() if r["status"] == 200}
        assert got == {"", "blog/1", "stop"}  # /never: nofollow page; /o: another host, not in scope
        assert "/o" not in other.counts()

        # The other server's host is 127.0.0.1 too (another port): any port of a
        # scope host matches, so here scope is the loopback host itself.
        crawl(tmp_path / "s.db", [srv.url("/")], max_pages_per_host=3)
        assert len([r for r in pages(tmp_path / "s.db").values() if r["status"] == 200]) == 3


def test_seed_redirect_to_another_host_follows_it(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        srv.add("/robots.txt", Page(status=404, body=""))
        srv.html("/home", ["/a"])
        srv.html("/a", [])
        moved = srv.url("/home").replace("127.0.0.1", "localhost")
        srv.add("/", Page(status=301, headers={"Location": moved}))
        crawl(tmp_path / "r.db", [srv.url("/")])
        rows = pages(tmp_path / "r.db")
    assert rows[srv.url("/")]["final_url"] == moved
    assert rows[moved]["status"] == 200
    assert rows[moved.replace("/home", "/a")]["status"] == 200  # the new host is in scope
    db = open_db(tmp_path / "r.db")
    assert redirect_targets(db, [srv.url("/"), moved]) == {srv.url("/"): moved, moved: moved}


def test_a_sink_that_raises_on_one_page_does_not_stop_the_crawl(tmp_path: Path) -> None:
    class Fragile(StoreSink):
        async def parse(self, result):  # type: ignore[no-untyped-def]
            if result.url.endswith("/b"):
                raise RuntimeError("extractor bug")
            return await super().parse(result)

    with CrawlServer() as srv:
        small_site(srv)
        db = open_db(tmp_path / "x.db")
        frontier = SqliteFrontier(db, 1)
        config = CrawlConfig(seeds=(srv.url("/"),), **FAST)  # type: ignore[arg-type]
        asyncio.run(run_crawl(config, frontier, Fragile(db, frontier)))
    rows = pages(tmp_path / "x.db")
    assert rows[srv.url("/b")]["error_kind"] == "parse" and "extractor bug" in rows[srv.url("/b")]["error"]
    assert rows[srv.url("/a/deeper")]["status"] == 200  # the rest of the site was crawled


def test_one_hosts_backlog_does_not_starve_the_others(tmp_path: Path) -> None:
    n_big = 240
    with CrawlServer() as big, CrawlServer() as small:
        for srv in (big, small):
            srv.add("/robots.txt", Page(status=404, body=""))
            srv.add("/sitemap.xml", Page(status=404, body=""))
        big.html("/", [f"/p{i}" for i in range(n_big)])
        for i in range(n_big):
            big.html(f"/p{i}", [])
        small_base = small.base.replace("127.0.0.1", "localhost")  # another host name, same machine
        small.html("/", [f"/q{i}" for i in range(10)], delay_s=0.3)  # its links appear after big's backlog
        for i in range(10):
            small.html(f"/q{i}", [])
        crawl(tmp_path / "f.db", [big.url("/"), small_base + "/"], host_concurrency=1, total_concurrency=4,
              delay_s=0.01)
        small_done = max(small.times)
        big_before = sum(1 for t in big.times if t < small_done)
    assert len(small.paths()) == 13 and len(big.paths()) == n_big + 3
    # The small host's pages were fetched alongside the big backlog, not after it.
    assert big_before < n_big // 2, (big_before, n_big)
