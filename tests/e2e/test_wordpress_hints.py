"""WordPress's own URLs through the real CLI (issue 14, items 5 and 6), on a
loopback site written here the way WordPress 6.1 serves one: pretty
permalinks, `<link rel=shortlink href=/?p=ID>`, per-post comment feeds,
`wp-json`/oEmbed/XML-RPC links in every head, `/page/N/` pagination with
`rel=next/prev`, `/sitemap.xml` redirecting to the `wp-sitemap.xml` that
robots.txt names, the `?paged=N` and `?p=ID` spellings answered with a 301 to
the pretty URL, one `?p=ID` answered with the post's own bytes (a site whose
canonical redirect is off), and no ETag or Last-Modified on pages (feeds have
them). Every post must be one cluster with its own page as the canonical, no
`?p=` URL a member of any, and no API endpoint or comment feed requested."""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import report_json, run_cli
from support.crawlserver import CrawlServer, Page

pytestmark = pytest.mark.e2e

WORDS = ("harbour", "ferry", "lantern", "keeper", "river", "orchard", "glacier", "baker", "tailor", "market",
         "bridge", "compass", "meadow", "chimney", "kettle", "printer", "engine", "valley", "clock", "miller")
POSTS = 4
PER_PAGE = 2


def _text(n: int) -> str:
    """About 160 words of post n, unlike the other posts'."""
    paras = []
    for p in range(4):
        words = [WORDS[(n * 7 + p * 3 + i * (n + 2)) % len(WORDS)] for i in range(40)]
        paras.append(f"<p>Post {n} part {p}: " + " ".join(words) + ".</p>")
    return "\n".join(paras)


def _head(b: str, title: str, canonical: str, extra: str = "") -> str:
    return (f"<head><meta charset='utf-8'><title>{title}</title>"
            f'<link rel="alternate" type="application/rss+xml" href="{b}/feed/">'
            f'<link rel="https://api.w.org/" href="{b}/wp-json/">'
            f'<link rel="EditURI" type="application/rsd+xml" href="{b}/xmlrpc.php?rsd">'
            f'<link rel="canonical" href="{canonical}">{extra}</head>')


def _post_page(b: str, n: int) -> str:
    own = f"{b}/2024/03/post-{n}/"
    extra = (f'<link rel="alternate" type="application/rss+xml" href="{own}feed/">'  # its comments
             f'<link rel="alternate" type="application/json" href="{b}/wp-json/wp/v2/posts/{n}">'
             f"<link rel='shortlink' href='{b}/?p={n}'>"
             f'<link rel="alternate" type="application/json+oembed" href="{b}/wp-json/oembed/1.0/embed?url={own}">')
    return (f"<!doctype html><html>{_head(b, f'Post {n}', own, extra)}<body>"
            f'<header><a href="{b}/">Blog</a></header><main><article class="post h-entry">'
            f'<h1 class="entry-title">Post {n}</h1><div class="entry-content">{_text(n)}</div></article></main>'
            f'<footer><a href="{b}/">Home</a></footer></body></html>')


def _listing(b: str, page: int) -> str:
    url = f"{b}/" if page == 1 else f"{b}/page/{page}/"
    first = (page - 1) * PER_PAGE + 1
    entries = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="{b}/2024/03/post-{n}/" rel="bookmark">Post {n}</a>'
        f'</h2><div class="entry-content">{_text(n)}</div><a href="{b}/?p={n}">Share</a></article>'
        for n in range(first, first + PER_PAGE))
    nav = "".join([
        f'<link rel="prev" href="{b}/{"" if page == 2 else f"page/{page - 1}/"}">' if page > 1 else "",
        f'<link rel="next" href="{b}/page/{page + 1}/">' if page * PER_PAGE < POSTS else "",
    ])
    older = f'<a href="{b}/?paged={page + 1}">Older posts</a>' if page * PER_PAGE < POSTS else ""
    return (f"<!doctype html><html>{_head(b, f'Blog page {page}', url, nav)}<body>"
            f'<header><a href="{b}/">Blog</a></header><main>{entries}</main><nav>{older}</nav></body></html>')


def _redirect(location: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def send(h: BaseHTTPRequestHandler) -> None:
        h.send_response(301)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return send


def _feed(b: str) -> str:
    items = "".join(f"<item><link>{b}/2024/03/post-{n}/</link></item>" for n in range(1, POSTS + 1))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>{items}</channel></rss>'


def _wordpress(srv: CrawlServer) -> None:
    b = srv.base
    srv.add("/robots.txt", Page(content_type="text/plain",
                                body=f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {b}/wp-sitemap.xml\n"))
    srv.add("/sitemap.xml", _redirect(f"{b}/wp-sitemap.xml"))  # WordPress's, to the one robots.txt names
    locs = "".join(f"<url><loc>{b}/2024/03/post-{n}/</loc></url>" for n in range(1, POSTS + 1))
    srv.add("/wp-sitemap.xml", Page(content_type="application/xml", body=(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')))
    srv.add("/feed/", Page(content_type="application/rss+xml", body=_feed(b), etag='"f1"'))
    for page in range(1, POSTS // PER_PAGE + 1):
        srv.add("/" if page == 1 else f"/page/{page}/", _listing(b, page))
        srv.add(f"/?paged={page}", _redirect(f"{b}/" if page == 1 else f"{b}/page/{page}/"))
    for n in range(1, POSTS + 1):
        srv.add(f"/2024/03/post-{n}/", _post_page(b, n))
        srv.add(f"/2024/03/post-{n}/feed/", Page(content_type="application/rss+xml", body=_feed(b)))
        srv.add(f"/?p={n}", _redirect(f"{b}/2024/03/post-{n}/"))
    srv.add("/?p=3", _post_page(b, 3))  # canonical redirect off: the post's own bytes under its shortlink


def test_wordpress_shortlinks_pagination_and_endpoints(tmp_path: Path) -> None:
    db = tmp_path / "wp.db"
    with CrawlServer() as srv:
        _wordpress(srv)
        b = srv.base
        run_cli("crawl", f"{b}/", "--db", str(db), "--own-domain", "127.0.0.1", "--delay", "0", "--quiet",
                check=True)
        asked = srv.counts()
    assert not [p for p in asked if p.startswith(("/wp-json", "/xmlrpc.php", "/wp-admin"))], asked
    assert not [p for p in asked if p.startswith("/2024/") and p.endswith("/feed/")], asked  # comment feeds
    assert asked["/page/2/"] == 1 and asked["/?paged=2"] <= 1  # rel=next and ?paged= lead to one fetch
    assert asked["/wp-sitemap.xml"] == 1 and asked["/sitemap.xml"] == 1  # named twice, read once
    for n in range(1, POSTS + 1):
        assert asked[f"/2024/03/post-{n}/"] == 1
    clusters = report_json(db)["clusters"]
    members = [[c["canonical"]["url"], *(x["url"] for x in c["copies"])] for c in clusters]
    assert not [u for m in members for u in m if "?p=" in u or "paged=" in u], members
    for n in range(1, POSTS + 1):
        own = f"{b}/2024/03/post-{n}/"
        (cluster,) = [c for c, m in zip(clusters, members, strict=True) if own in m]
        assert cluster["canonical"]["url"] == own
        listing = f"{b}/" if n <= PER_PAGE else f"{b}/page/2/"
        assert {x["url"] for x in cluster["copies"]} == {listing}


def test_recrawl_asks_feeds_conditionally_and_pages_again(tmp_path: Path) -> None:
    """Pages without validators are downloaded again (nothing to ask with);
    the feed, which has an ETag, is asked with If-None-Match."""
    db = tmp_path / "wp.db"
    with CrawlServer() as srv:
        _wordpress(srv)
        args = ("crawl", f"{srv.base}/", "--db", str(db), "--delay", "0", "--quiet")
        run_cli(*args, check=True)
        first = len(srv.log)
        run_cli(*args, check=True)
        again = srv.log[first:]
    feed_asks = [h for p, h in again if p == "/feed/"]
    assert feed_asks and all(h.get("if-none-match") == '"f1"' for h in feed_asks)
    assert {p for p, _ in again if p.startswith("/2024/")} == {f"/2024/03/post-{n}/" for n in range(1, POSTS + 1)}
