"""RSS and Atom feeds: the entries' links with their publication dates, kept
as publication signals for the canonical election."""

from __future__ import annotations

import email.utils
from datetime import UTC

from copyhound.crawler.discover.sitemaps import gunzip_capped, iter_xml, local_name, parse_iso_date

__all__ = ["FEED_TYPES", "is_feed_root", "parse_feed", "parse_rfc822_date"]

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json",
                        "application/rdf+xml", "application/xml", "text/xml"})
_ENTRY_TAGS = frozenset({"item", "entry"})


def is_feed_root(name: str) -> bool:
    return name in ("rss", "feed", "rdf")


def parse_rfc822_date(value: str | None) -> str | None:
    """An RSS `pubDate` (RFC 822) as ISO 8601 UTC; ISO dates (dc:date) too."""
    if not value:
        return None
    try:
        dt = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return parse_iso_date(value)
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.isoformat()


def _entry(el: object) -> tuple[str | None, str | None]:
    link = guid = None
    published = updated = None
    for child in el:  # type: ignore[attr-defined]
        name = local_name(child.tag)
        if name == "link":
            href = child.get("href")
            if href is not None:  # Atom
                if child.get("rel", "alternate") == "alternate" and link is None:
                    link = href.strip()
            elif child.text and link is None:  # RSS
                link = child.text.strip()
        elif name == "guid" and child.text and child.get("isPermaLink", "true") != "false":
            guid = child.text.strip()
        elif name in ("pubdate", "published", "issued", "date", "created"):
            published = published or (child.text or "").strip() or None
        elif name in ("updated", "modified"):
            updated = updated or (child.text or "").strip() or None
    url = link or (guid if guid and guid.startswith(("http://", "https://")) else None)
    raw = published or updated
    return url, parse_rfc822_date(raw) if raw else None


def parse_feed(data: bytes, *, max_entries: int = 50_000, max_bytes: int = 10_000_000) -> list[tuple[str, str | None]]:
    """(entry URL, published ISO 8601 or None) for each entry of an RSS/Atom feed."""
    data = gunzip_capped(data, max_bytes)
    out: list[tuple[str, str | None]] = []
    for name, el in iter_xml(data, _ENTRY_TAGS):
        if name == "#root":
            if not is_feed_root(local_name(el.tag)):
                return []
            continue
        url, published = _entry(el)
        if url:
            out.append((url, published))
            if len(out) >= max_entries:
                break
    return out
