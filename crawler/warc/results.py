"""A `WarcPage` as the crawler would have fetched it: a `FetchResult`.

Ingest stores archive records through the crawl's own sink, so a page read
from a WARC and the same page fetched live are stored identically (the round
trip of issue 12). The same rules as `http.fetch` apply: HTML only, charset
from the header or sniffed, binary bodies refused, redirects recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin

from copyhound.crawler.discover.urls import normalize_url
from copyhound.crawler.http.decode import decode_html, looks_binary, parse_content_type
from copyhound.crawler.types import FetchError, FetchResult
from copyhound.crawler.warc.types import WarcPage

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def fetched_at(warc_date: str) -> str:
    """WARC-Date (`...Z`) in the crawler's `fetched_at` form (`...+00:00`, seconds)."""
    try:
        when = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        when = datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def to_fetch_result(page: WarcPage, *, max_body_bytes: int) -> FetchResult | None:
    """The fetch result for an archived response; None when its URL is not one the crawler would fetch."""
    url = normalize_url(page.url)
    if url is None:
        return None
    h = dict(page.headers)
    base = dict(url=url, final_url=url, depth=0, status=page.status, headers=h, etag=h.get("etag"),
                last_modified=h.get("last-modified"), fetched_at=fetched_at(page.warc_date))
    if page.status in _REDIRECTS:
        location = h.get("location")
        if not location:
            return FetchResult(**base, error=FetchError(kind="bad-redirect", message="redirect without Location"))
        return FetchResult(**{**base, "final_url": urljoin(url, location.strip())})
    if page.status >= 300 or page.status < 200:
        return FetchResult(**base, error=FetchError(kind="http-status", message=f"HTTP {page.status}"))
    mime, header_charset = parse_content_type(h.get("content-type"))
    if len(page.body) > max_body_bytes:
        too_large = FetchError(kind="too-large", message=f"body exceeds the {max_body_bytes}-byte cap")
        return FetchResult(**base, error=too_large)
    if looks_binary(page.body):
        return FetchResult(**base, error=FetchError(kind="not-html", message="binary bytes labelled as HTML"))
    text, charset = decode_html(page.body, header_charset)
    return FetchResult(**base, body=page.body, text=text, content_type=mime or "text/html", charset=charset)
