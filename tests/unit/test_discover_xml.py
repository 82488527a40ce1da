"""Sitemap and feed parsing of hostile XML on its own: entity expansion, XXE,
gzip bombs, garbage, URL caps. (Discovery through a real crawl:
tests/e2e/test_crawler_discovery.py.)"""

from __future__ import annotations

import gzip
from pathlib import Path

from copyhound.crawler.discover.feeds import parse_feed
from copyhound.crawler.discover.sitemaps import parse_sitemap

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(base: str, entries: list[tuple[str, str | None]]) -> str:
    rows = "".join(f"<url><loc>{base}{p}</loc>{f'<lastmod>{d}</lastmod>' if d else ''}</url>" for p, d in entries)
    return f'<?xml version="1.0"?><urlset {NS}>{rows}</urlset>'


def test_hostile_xml_is_not_expanded_or_fetched(tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
              + f']><urlset {NS}><url><loc>http://h.test/&lol9;</loc></url><url><loc>http://h.test/ok</loc></url>'
              "</urlset>")
    doc = parse_sitemap(laughs.encode())  # libxml2 gives up on the document; nothing expanded
    assert all(len(u) < 100 for u, _ in doc.urls)
    benign = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aa">]><urlset {NS}><url><loc>http://h.test/&a;</loc>'
              "</url><url><loc>http://h.test/ok</loc></url></urlset>")
    assert parse_sitemap(benign.encode()).urls == (("http://h.test/", None), ("http://h.test/ok", None))
    xxe = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           f'<urlset {NS}><url><loc>http://h.test/&e;</loc></url></urlset>')
    assert all("root:" not in u for u, _ in parse_sitemap(xxe.encode()).urls)
    bomb = gzip.compress(b"<urlset>" + b" " * 30_000_000 + b"</urlset>")
    assert parse_sitemap(bomb, max_bytes=1_000_000).urls == ()
    assert parse_sitemap(b"\x00\xffgarbage<<<").urls == ()
    many = urlset("http://h.test", [(f"/{i}", None) for i in range(100)]).encode()
    assert len(parse_sitemap(many, max_urls=10).urls) == 10
    assert parse_feed(b"<html><body>not a feed</body></html>") == []
