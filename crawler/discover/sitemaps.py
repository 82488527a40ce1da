"""Sitemaps (urlset, sitemap index, gzipped) and the XML reading they share
with feeds.

XML from the web is parsed with entity expansion, DTD loading and network
access off and lxml's huge-tree limits on, streaming (`iterparse`, elements
cleared as read), so a billion-laughs file, an external entity or a 50 MB
sitemap costs bounded memory and fetches nothing (issue 7).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

__all__ = ["SitemapDoc", "gunzip_capped", "iter_xml", "local_name", "parse_iso_date", "parse_sitemap"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SitemapDoc:
    """What one sitemap document lists: pages with their `lastmod`, or
    (an index) further sitemaps."""

    is_index: bool = False
    urls: tuple[tuple[str, str | None], ...] = ()  # (loc, lastmod ISO 8601 or None)
    sitemaps: tuple[str, ...] = ()


def gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    """`data` gunzipped when it is gzip (magic bytes, whatever the headers
    said), never more than `max_bytes`: a bomb is cut off, not expanded."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, max_bytes)
    except zlib.error:
        return b""
    return out


def local_name(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rsplit("}", 1)[-1].lower()


def iter_xml(data: bytes, tags: frozenset[str]) -> Iterator[tuple[str, etree._Element]]:
    """(local name, element) for each closed element named in `tags`, plus
    ("#root", root) first; elements are cleared once yielded."""
    root_seen = False
    try:
        for event, el in etree.iterparse(
            io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False,
            huge_tree=False, recover=True, remove_comments=True, remove_pis=True,
        ):
            name = local_name(el.tag)
            if event == "start":
                if not root_seen:
                    root_seen = True
                    yield "#root", el
                continue
            if name in tags:
                yield name, el
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
    except etree.LxmlError:
        return  # truncated or broken beyond recovery: keep what was read


def _text(el: etree._Element, name: str) -> str | None:
    for child in el:
        if local_name(child.tag) == name:
            t = (child.text or "").strip()
            return t or None
    return None


def parse_iso_date(value: str | None) -> str | None:
    """A W3C/ISO 8601 date or datetime as ISO 8601 (UTC when zoned), or None."""
    if not value:
        return None
    v = value.strip()
    if v.endswith(("Z", "z")):
        v = v[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    if len(v) == 10 and v[4] == "-":  # date only: keep it a date
        return dt.date().isoformat()
    return dt.isoformat()


def parse_sitemap(data: bytes, *, max_urls: int = 50_000, max_bytes: int = 50_000_000) -> SitemapDoc:
    """Read a sitemap (gzip or not); at most `max_urls` entries are kept."""
    data = gunzip_capped(data, max_bytes)
    is_index = False
    urls: list[tuple[str, str | None]] = []
    sitemaps: list[str] = []
    for name, el in iter_xml(data, frozenset({"url", "sitemap"})):
        if name == "#root":
            is_index = local_name(el.tag) == "sitemapindex"
            continue
        loc = _text(el, "loc")
        if not loc:
            continue
        if name == "sitemap":
            if len(sitemaps) < max_urls:
                sitemaps.append(loc)
        elif len(urls) < max_urls:
            urls.append((loc, parse_iso_date(_text(el, "lastmod"))))
        if len(urls) >= max_urls and len(sitemaps) >= max_urls:
            break
    return SitemapDoc(is_index=is_index, urls=tuple(urls), sitemaps=tuple(sitemaps))
