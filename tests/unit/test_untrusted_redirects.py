"""A crawled site cannot steer copyhound into the user's network or out of
HTTP: redirects (and robots.txt Sitemap lines, and links) from a public host
to loopback, private, link-local or unspecified addresses are refused unless
--allow-private; non-HTTP schemes are never followed. The engine runs for
real over `httpx.MockTransport`, where public addresses can be simulated
without a network; every request it makes is logged."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from support.crawlserver import StoreSink

from copyhound.crawler.engine import run_crawl
from copyhound.crawler.types import CrawlConfig
from copyhound.store import open_db
from copyhound.store.frontier import SqliteFrontier

PUBLIC = "http://8.8.8.8"  # a public address literal: no DNS needed, and the mock answers for it
PRIVATE_TARGETS = {
    "/to-loopback": "http://127.0.0.1:9/admin",
    "/to-metadata": "http://169.254.169.254/latest/meta-data/",
    "/to-ipv6-loopback": "http://[::1]/",
    "/to-mapped": "http://[::ffff:127.0.0.1]/",
    "/to-private": "http://10.0.0.1/router",
    "/to-unspecified": "http://0.0.0.0:8080/",
    "/to-localhost": "http://localhost:6379/",
    "/to-sub-localhost": "http://admin.localhost/",
}
OTHER_SCHEMES = {
    "/to-file": "file:///etc/passwd",
    "/to-js": "javascript:alert(1)",
    "/to-data": "data:text/html,<script>alert(1)</script>",
    "/to-ftp": "ftp://8.8.8.8/pub",
    "/to-gopher": "gopher://8.8.8.8:70/",
}


def _resp(status: int, body: str = "", **headers: str) -> httpx.Response:
    # A streamed body, as from a socket (the fetcher reads responses as streams).
    ctype = "text/plain" if body.startswith("User-agent") or status >= 400 else "text/html"
    return httpx.Response(status, headers={"Content-Type": ctype, **headers},
                          stream=httpx.ByteStream(body.encode()))


def _site(requests: list[str]):  # an httpx handler
    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        requests.append(url)
        path = request.url.path
        if not url.startswith(PUBLIC + "/") and not url.startswith("http://1.1.1.1/"):
            return _resp(200, "<title>internal</title><p>secret admin page</p>")
        if path == "/robots.txt":
            return _resp(200, "User-agent: *\nAllow: /\nSitemap: http://127.0.0.1/sitemap.xml\n"
                              "Sitemap: http://169.254.169.254/sitemap.xml\n")
        if request.url.host == "1.1.1.1":  # a seed that moved... into the user's network
            return _resp(302, Location="http://127.0.0.1:8000/")
        targets = {**PRIVATE_TARGETS, **OTHER_SCHEMES}
        if path in targets:
            return _resp(302, Location=targets[path])
        if path == "/":
            links = [*targets, "http://127.0.0.1/linked", "http://192.168.1.1/linked"]
            return _resp(200, "".join(f'<a href="{h}">x</a>' for h in links))
        return _resp(404, "no")
    return handler


def _crawl(tmp_path: Path, allow_private: bool) -> tuple[dict[str, dict], list[str]]:
    requests: list[str] = []
    db_path = tmp_path / f"r{int(allow_private)}.db"

    async def go() -> None:
        db = open_db(db_path)
        frontier = SqliteFrontier(db, 1)
        config = CrawlConfig(seeds=(PUBLIC + "/", "http://1.1.1.1/"), delay_s=0.0, timeout_s=2.0, max_retries=0,
                             allow_private=allow_private)
        async with httpx.AsyncClient(transport=httpx.MockTransport(_site(requests))) as client:
            await run_crawl(config, frontier, StoreSink(db, frontier), client=client)
        db.conn.close()

    asyncio.run(go())
    db = open_db(db_path)
    rows = {r["url"]: r for r in db.query("SELECT url, status, error_kind, final_url FROM pages")}
    db.conn.close()
    return rows, requests


def test_redirects_into_the_private_network_are_refused(tmp_path: Path) -> None:
    rows, requests = _crawl(tmp_path, allow_private=False)
    for path in PRIVATE_TARGETS:
        assert rows[PUBLIC + path]["error_kind"] == "private-address", (path, rows[PUBLIC + path])
    assert rows["http://1.1.1.1/"]["error_kind"] == "private-address"  # a seed may move host, not inward
    assert [u for u in requests if not u.startswith((PUBLIC + "/", "http://1.1.1.1/"))] == []


def test_redirects_to_other_schemes_are_never_followed(tmp_path: Path) -> None:
    rows, requests = _crawl(tmp_path, allow_private=False)
    for path in OTHER_SCHEMES:
        assert rows[PUBLIC + path]["error_kind"] == "bad-redirect", (path, rows[PUBLIC + path])
    assert all(u.startswith("http://") for u in requests)


@pytest.mark.parametrize("allow_private", [False, True])
def test_links_and_sitemaps_naming_private_hosts_are_not_followed(tmp_path: Path, allow_private: bool) -> None:
    """Out of scope whatever --allow-private says: a page or robots.txt cannot add hosts."""
    _, requests = _crawl(tmp_path, allow_private=allow_private)
    assert not [u for u in requests if u.startswith(("http://127.0.0.1/", "http://169.254.", "http://192.168."))]


def test_allow_private_lets_a_seed_follow_its_redirect_inward(tmp_path: Path) -> None:
    rows, requests = _crawl(tmp_path, allow_private=True)
    assert rows["http://1.1.1.1/"]["error_kind"] is None
    assert "http://127.0.0.1:8000/" in requests  # the seed moved: followed, as the user allowed
    assert rows[PUBLIC + "/to-loopback"]["error_kind"] is None  # not refused either
