"""Fetching against hostile and flaky answers on 127.0.0.1: retries, 429
Retry-After, timeouts, caps, non-HTML, redirect rules. (Charsets, the
private-address rule and politeness gaps without a server:
tests/unit/test_crawler_fetch_mocked.py.)"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

from support.crawlserver import CrawlServer, Page, _send, crawl, pages

NO_ROBOTS = Page(status=404, body="", content_type="text/plain")


def site(srv: CrawlServer, links: list[str]) -> None:
    srv.add("/robots.txt", NO_ROBOTS)
    srv.html("/", links)


def test_5xx_then_ok_is_retried_and_4xx_is_not(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        site(srv, ["/flaky", "/gone"])
        hits = {"n": 0}

        def flaky(h):
            hits["n"] += 1
            _send(h, Page(status=502, body="bad gateway") if hits["n"] < 3 else Page(body="<p>ok</p>"))

        srv.add("/flaky", flaky)
        srv.add("/gone", Page(status=410, body="gone"))
        stats, _ = crawl(tmp_path / "r.db", [srv.url("/")], max_retries=3)
        counts = srv.counts()
    rows = pages(tmp_path / "r.db")
    assert counts["/flaky"] == 3 and rows[srv.url("/flaky")]["status"] == 200
    assert counts["/gone"] == 1 and rows[srv.url("/gone")]["error_kind"] == "http-status"
    assert rows[srv.url("/gone")]["status"] == 410
    assert stats.failed == {"http-status": 1}


def test_429_honours_retry_after(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        site(srv, ["/limited"])
        times: list[float] = []

        def limited(h):
            times.append(time.monotonic())
            if len(times) == 1:
                _send(h, Page(status=429, body="slow down", headers={"Retry-After": "1"}))
            else:
                _send(h, Page(body="<p>ok</p>"))

        srv.add("/limited", limited)
        crawl(tmp_path / "l.db", [srv.url("/")], max_retries=2)
    assert len(times) == 2
    assert times[1] - times[0] >= 0.95  # waited as told, not the 10 ms back-off
    assert pages(tmp_path / "l.db")[srv.url("/limited")]["status"] == 200


def test_exhausted_retries_and_hanging_server_time_out(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        site(srv, ["/down", "/hang", "/drip", "/ok"])
        srv.add("/down", Page(status=503, body="down"))

        def hang(h):
            time.sleep(1.0)  # longer than the crawl's 0.3 s timeout, before any header

        def drip(h):
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "100")
            h.end_headers()
            for _ in range(10):  # a byte every 0.1 s: no read timeout, but the whole-attempt deadline
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.1)

        srv.add("/hang", hang)
        srv.add("/drip", drip)
        srv.html("/ok", [])
        t0 = time.monotonic()
        crawl(tmp_path / "t.db", [srv.url("/")], timeout_s=0.3, max_retries=1)
        elapsed = time.monotonic() - t0
        counts = srv.counts()
    rows = pages(tmp_path / "t.db")
    assert counts["/down"] == 2 and rows[srv.url("/down")]["error_kind"] == "http-status"
    assert rows[srv.url("/hang")]["error_kind"] == "timeout" and counts["/hang"] == 2
    assert rows[srv.url("/drip")]["error_kind"] == "timeout"
    assert rows[srv.url("/ok")]["status"] == 200
    assert elapsed < 5


def test_caps_non_html_binary_and_gzip_bomb(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        site(srv, ["/big", "/biglen", "/pdf", "/bin", "/bomb", "/zipped", "/chunked"])
        srv.add("/big", Page(body=b"<p>" + b"a" * 20_000 + b"</p>"))
        srv.add("/pdf", Page(body=b"%PDF-1.4" + b"\0" * 100, content_type="application/pdf"))
        srv.add("/bin", Page(body=b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 200))
        srv.add("/zipped", Page(body="<p>small page</p>", gzip=True))

        def biglen(h):
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(2 * 1024**3))
            h.end_headers()
            h.wfile.write(b"<p>never mind</p>")

        def bomb(h):
            payload = gzip.compress(b"\0" * 50_000_000)  # ~50 KB on the wire, 50 MB expanded
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Encoding", "gzip")
            h.send_header("Content-Length", str(len(payload)))
            h.end_headers()
            h.wfile.write(payload)

        def chunked(h):  # an endless chunked body
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            chunk = b"<p>" + b"z" * 4000 + b"</p>"
            try:
                for _ in range(10_000):
                    h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass  # the crawler hung up, as it should

        srv.add("/biglen", biglen)
        srv.add("/bomb", bomb)
        srv.add("/chunked", chunked)
        stats, _ = crawl(tmp_path / "c.db", [srv.url("/")], max_body_bytes=10_000, max_retries=0)
    rows = pages(tmp_path / "c.db")
    kinds = {u.rsplit("/", 1)[1]: r["error_kind"] for u, r in rows.items()}
    assert kinds["big"] == "too-large"
    assert kinds["biglen"] == "too-large"
    assert kinds["bomb"] == "too-large"
    assert kinds["chunked"] == "too-large"
    assert kinds["pdf"] == "not-html" and rows[srv.url("/pdf")]["body"] is None
    assert kinds["bin"] == "not-html"
    assert kinds["zipped"] is None and rows[srv.url("/zipped")]["bytes"] == len("<p>small page</p>")
    assert stats.skipped["not-html"] == 2


def test_redirects_loops_chains_and_private_targets(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        site(srv, ["/old", "/new", "/loop1", "/r0", "/js", "/nolocation"])
        srv.add("/old", Page(status=301, headers={"Location": "/new"}))
        srv.html("/new", ["/old"])
        srv.add("/loop1", Page(status=302, headers={"Location": "/loop2"}))
        srv.add("/loop2", Page(status=302, headers={"Location": "/loop1"}))
        for i in range(30):
            srv.add(f"/r{i}", Page(status=302, headers={"Location": f"/r{i + 1}"}))
        srv.add("/js", Page(status=302, headers={"Location": "javascript:alert(1)"}))
        srv.add("/nolocation", Page(status=302))
        crawl(tmp_path / "r.db", [srv.url("/")], max_redirects=5)
        counts = srv.counts()
    rows = pages(tmp_path / "r.db")
    u = srv.url
    assert counts["/new"] == 1 and counts["/old"] == 1  # the target is fetched once, not per redirect
    assert rows[u("/old")]["status"] == 301 and rows[u("/old")]["final_url"] == u("/new")
    assert rows[u("/new")]["status"] == 200
    assert rows[u("/loop2")]["error_kind"] == "redirect-loop"
    assert counts["/loop1"] == 1 and counts["/loop2"] == 1
    assert rows[u("/r5")]["error_kind"] == "too-many-redirects"
    assert "/r6" not in counts
    assert json.loads(rows[u("/r5")]["redirects"]) == [u(f"/r{i}") for i in range(5)]
    assert rows[u("/js")]["error_kind"] == "bad-redirect"
    assert rows[u("/nolocation")]["error_kind"] == "bad-redirect"


def test_robots_fetched_once_for_concurrent_seeds(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        srv.add("/robots.txt", Page(content_type="text/plain", body="User-agent: *\nAllow: /\n", delay_s=0.2))
        for p in ("/", "/a", "/b", "/c"):
            srv.html(p, [])
        crawl(tmp_path / "o.db", [srv.url(p) for p in ("/", "/a", "/b", "/c")])
        counts = srv.counts()
    assert counts["/robots.txt"] == 1
    assert all(counts[p] == 1 for p in ("/", "/a", "/b", "/c"))
