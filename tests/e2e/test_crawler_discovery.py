"""Discovery beyond links: robots Sitemap lines, /sitemap.xml, sitemap
indexes, gzip, lastmod, RSS/Atom feeds, through a real crawl. (Hostile XML
parsed on its own: tests/unit/test_discover_xml.py.)"""

from __future__ import annotations

import gzip
from pathlib import Path

from support.crawlserver import CrawlServer, Page, crawl, pages

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
XML = "application/xml"


def urlset(base: str, entries: list[tuple[str, str | None]]) -> str:
    rows = "".join(f"<url><loc>{base}{p}</loc>{f'<lastmod>{d}</lastmod>' if d else ''}</url>" for p, d in entries)
    return f'<?xml version="1.0"?><urlset {NS}>{rows}</urlset>'


def test_sitemap_index_gzip_and_lastmod_reach_the_pages(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        b = srv.base
        srv.add("/robots.txt", Page(content_type="text/plain",
                                    body=f"User-agent: *\nDisallow: /private/\nSitemap: {b}/maps/index.xml\n"))
        srv.html("/", [])  # the home page links nowhere: only the sitemaps know the posts
        srv.add("/maps/index.xml", Page(content_type=XML, body=(
            f'<sitemapindex {NS}><sitemap><loc>{b}/maps/posts.xml.gz</loc></sitemap>'
            f'<sitemap><loc>{b}/maps/index.xml</loc></sitemap>'  # includes itself: read once
            f'<sitemap><loc>{b}/maps/pages.xml</loc></sitemap></sitemapindex>')))
        srv.add("/maps/posts.xml.gz", Page(content_type="application/gzip", body=gzip.compress(urlset(b, [
            ("/p1", "2024-03-01T10:00:00+02:00"), ("/p2?utm_source=sitemap", "2024-03-02"),
            ("/private/p3", None)]).encode())))
        srv.add("/maps/pages.xml", Page(content_type=XML, body=urlset(b, [("/about", None)]),
                                        gzip=True))  # Content-Encoding gzip this time
        srv.add("/sitemap.xml", Page(content_type=XML, body=urlset(b, [("/from-default", None)])))
        for p in ("/p1", "/p2", "/about", "/from-default"):
            srv.html(p, [])
        stats, _ = crawl(tmp_path / "s.db", [srv.url("/")])
        counts = srv.counts()
    rows = pages(tmp_path / "s.db")
    assert {u for u, r in rows.items() if r["status"] == 200} == {
        f"{b}/", f"{b}/p1", f"{b}/p2", f"{b}/about", f"{b}/from-default"}
    assert rows[f"{b}/p1"]["published_hint"] == "2024-03-01T08:00:00+00:00"
    assert rows[f"{b}/p2"]["published_hint"] == "2024-03-02"
    assert counts["/maps/index.xml"] == 1 and "/private/p3" not in counts
    assert rows[f"{b}/private/p3"]["error_kind"] == "robots-disallowed"
    assert not any("/maps/" in u for u in rows)  # documents are not pages
    assert stats.documents == 4


def test_feeds_linked_from_pages_give_dates(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        b = srv.base
        srv.add("/robots.txt", Page(status=404, body="", content_type="text/plain"))
        srv.html("/", ["/feed.xml"], extra='<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
                                           '<link rel="alternate" type="application/atom+xml" href="/atom">')
        srv.add("/feed.xml", Page(content_type="application/rss+xml", body=(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>/</link>'
            f"<item><link>{b}/post-1?utm_source=rss</link><pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate></item>"
            f'<item><guid isPermaLink="true">{b}/post-2</guid></item>'
            "</channel></rss>")))
        srv.add("/atom", Page(content_type="application/atom+xml", body=(
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" '
            f'href="{b}/post-3"/><published>2024-01-01T00:00:00Z</published></entry></feed>')))
        srv.add("/sitemap.xml", Page(status=404, body=""))
        for p in ("/post-1", "/post-2", "/post-3"):
            srv.html(p, [])
        crawl(tmp_path / "f.db", [srv.url("/")])
        counts = srv.counts()
    rows = pages(tmp_path / "f.db")
    assert rows[f"{b}/post-1"]["published_hint"] == "2024-03-05T08:30:00+00:00"
    assert rows[f"{b}/post-2"]["status"] == 200
    assert rows[f"{b}/post-3"]["published_hint"] == "2024-01-01T00:00:00+00:00"
    assert counts["/feed.xml"] == 1  # linked with <a> and <link rel=alternate>: read once, as a feed
    assert f"{b}/feed.xml" not in rows


def test_garbage_and_huge_robots_txt(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        srv.add("/robots.txt", Page(content_type="text/plain",
                                    body=b"\x00\x01\xff garbage\nDisallow /nope\n" + b"#" * 3_000_000
                                    + b"\nUser-agent: *\nDisallow: /after-the-cap\n"))
        srv.html("/", ["/a", "/after-the-cap"])
        srv.html("/a", [])
        srv.html("/after-the-cap", [])
        crawl(tmp_path / "g.db", [srv.url("/")])
        counts = srv.counts()
    assert counts["/a"] == 1
    assert counts["/after-the-cap"] == 1  # rules past the 512 KB cap are not read
