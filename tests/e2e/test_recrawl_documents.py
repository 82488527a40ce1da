"""Issue 14 on a small blog served on 127.0.0.1, crawled twice by the real CLI:

- an unchanged re-crawl downloads nothing in full: pages, robots.txt, the
  sitemap and the feed are all asked for conditionally (and answered 304);
- links to files that are not HTML are not followed (by extension), a file
  found not to be HTML is not asked for again, and a post's own comment feed
  is never read;
- the post page under a second URL (`index.html`) is one page, not a cluster member;
- a month archive holding the post in full (its only post beside a teaser),
  titled with a link to the post page, is a listing: the post page is the canonical.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from support.crawlserver import CrawlServer, Page

from tests.conftest import report_json, run_cli

pytestmark = pytest.mark.e2e

_WORDS = [
    "river", "stone", "lantern", "harbour", "meadow", "copper", "violin", "orchard",
    "glacier", "thunder", "pepper", "saddle", "marble", "candle", "ferry", "willow",
    "basket", "anchor", "comet", "pillow", "falcon", "garden", "ribbon", "timber",
]


def _text(seed: int, paragraphs: int = 4, words: int = 60) -> list[str]:
    rnd = random.Random(seed)
    return [" ".join(rnd.choice(_WORDS) for _ in range(words)).capitalize() + "." for _ in range(paragraphs)]


def _page(title: str, body: str, head: str = "") -> str:
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
            f"<body><header><nav><a href='/'>Home</a> <a href='/2024/01/'>January</a></nav></header>"
            f"<main>{body}</main><footer><p>Site footer</p></footer></body></html>")


def _site(srv: CrawlServer) -> None:
    b = srv.base
    post_a = "".join(f"<p>{p}</p>" for p in _text(1))
    post_b = "".join(f"<p>{p}</p>" for p in _text(2))
    home = (f"<article><h2><a href='/2024/01/post-a/'>Post A</a></h2>{post_a}</article>"
            f"<article><h2><a href='/2024/02/post-b/'>Post B</a></h2>{post_b}</article>")
    feed_head = "<link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
    srv.add("/", Page(body=_page("Blog", home, feed_head), etag='"home"'))
    # The post page, under two URLs (same bytes), with its comment feed and attachments.
    page_a = Page(body=_page("Post A", f"<article><h1>Post A</h1>{post_a}"
                                       "<p><a href='/files/a.tgz'>source</a> <a href='/img/a.jpg'>photo</a>"
                                       " <a href='/download/latest'>latest</a></p></article>",
                             feed_head + "<link rel='alternate' type='application/rss+xml'"
                                         " href='/2024/01/post-a/feed/'>"), etag='"a"')
    srv.add("/2024/01/post-a/", page_a)
    srv.add("/2024/01/post-a/index.html", page_a)
    srv.add("/2024/02/post-b/", Page(body=_page("Post B", f"<article><h1>Post B</h1>{post_b}</article>"),
                                     etag='"b"'))
    # A month archive holding post A in full, its title linking to the post page, and a teaser of
    # post C: the only post of its page (teasers are not posts), yet a listing.
    srv.add("/2024/01/", Page(body=_page("January", f"<article><h2><a href='/2024/01/post-a/'>Post A</a></h2>"
                                                    f"{post_a}</article><article><h2><a href='/2024/01/post-c/'>"
                                                    "Post C</a></h2><p>A short note.</p></article>"),
                              etag='"jan"'))
    srv.add("/2024/01/post-c/", Page(body=_page("Post C", "<article><h1>Post C</h1><p>A short note.</p></article>"),
                                     etag='"c"'))
    srv.add("/robots.txt", Page(body=f"User-agent: *\nAllow: /\nSitemap: {b}/sitemap.xml\n",
                                content_type="text/plain", etag='"robots"'))
    srv.add("/sitemap.xml", Page(body=(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{b}/2024/01/post-a/</loc></url><url><loc>{b}/2024/02/post-b/</loc></url></urlset>"),
        content_type="application/xml", etag='"sitemap"'))
    srv.add("/feed.xml", Page(body=(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><link>{b}/2024/01/post-a/</link></item><item><link>{b}/2024/02/post-b/</link></item>"
        "</channel></rss>"), content_type="application/rss+xml", etag='"feed"'))
    srv.add("/2024/01/post-a/feed/", Page(body="<rss version='2.0'><channel></channel></rss>",
                                          content_type="application/rss+xml", etag='"comments"'))
    for path, ctype in (("/files/a.tgz", "application/gzip"), ("/img/a.jpg", "image/jpeg"),
                        ("/download/latest", "application/octet-stream")):
        srv.add(path, Page(body=b"\x1f\x8b" + bytes(2000), content_type=ctype, etag='"bin"'))


def _crawl(srv: CrawlServer, db: Path) -> None:
    run_cli("crawl", srv.url("/"), srv.url("/2024/01/post-a/index.html"), "--db", str(db),
            "--own-domain", "127.0.0.1", "--delay", "0", "--quiet", check=True)


def test_recrawl_unchanged_site_downloads_nothing(tmp_path: Path) -> None:
    db = tmp_path / "blog.db"
    with CrawlServer() as srv:
        _site(srv)
        _crawl(srv, db)
        first = srv.paths()
        _crawl(srv, db)
        with srv._lock:
            second = list(srv.log[len(first):])
    # never followed: attachments by extension, the post's own comment feed
    assert not {"/files/a.tgz", "/img/a.jpg", "/2024/01/post-a/feed/"} & set(first), first
    assert {"/robots.txt", "/sitemap.xml", "/feed.xml", "/download/latest"} <= set(first)
    assert second, "the re-crawl asked for nothing"
    unconditional = [p for p, h in second if "if-none-match" not in h]
    assert unconditional == [], unconditional  # every request of the re-crawl may be answered 304
    assert {"/robots.txt", "/sitemap.xml", "/feed.xml", "/", "/2024/01/post-a/"} <= {p for p, _ in second}
    assert "/download/latest" not in {p for p, _ in second}  # known not to be HTML

    clusters = report_json(db)["clusters"]
    (cluster,) = [c for c in clusters if any(m["url"].endswith("/2024/01/") for m in c["copies"])
                  or c["canonical"]["url"].endswith("/2024/01/")]
    urls = {cluster["canonical"]["url"], *(m["url"] for m in cluster["copies"])}
    assert cluster["canonical"]["url"] == srv.url("/2024/01/post-a/"), cluster
    assert not any(u.endswith("index.html") for u in urls), urls  # one page under two URLs: one member
