"""A `WarcPage` as the crawler would have fetched it: a `FetchResult`.

Ingest stores archive records through the crawl's own sink, so a page read
from a WARC and the same page fetched live are stored identically (the round
trip of issue 12). The same rules as `http.fetch` apply: HTML only, charset
from the header or sniffed, binary bodies refused, redirects recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urljoin

from copyhound.crawler.discover.urls import make_normalizer
from copyhound.crawler.http.decode import decode_html, looks_binary, parse_content_type
from copyhound.crawler.types import FetchError, FetchResult
from copyhound.crawler.warc.types import WarcPage

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# `normalize_url` with the default stripped parameters, bound once: lower-casing
# them again for every record was two thirds of the URL's cost (0.02 ms a record)
_normalize_url = make_normalizer()


def fetched_at(warc_date: str) -> str:
    """WARC-Date (`...Z`) in the crawler's `fetched_at` form (`...+00:00`, seconds)."""
    return _utc_seconds(warc_date) or datetime.now(UTC).isoformat(timespec="seconds")


@lru_cache(maxsize=1024)
def _utc_seconds(warc_date: str) -> str | None:
    """Cached: a crawler writes many records a second, and parsing was a tenth of this module's time."""
    try:
        when = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def to_fetch_result(page: WarcPage, *, max_body_bytes: int) -> FetchResult | None:
    """The fetch result for an archived response; None when its URL is not one the crawler would fetch."""
    url = _normalize_url(page.url)
    if url is None:
        return None
    h = dict(page.headers)
    base = _Base(url=url, headers=h, status=page.status, fetched_at=fetched_at(page.warc_date))
    if page.status in _REDIRECTS:
        location = h.get("location")
        if not location:
            return base.result(error=FetchError(kind="bad-redirect", message="redirect without Location"))
        return base.result(final_url=urljoin(url, location.strip()))
    if page.status >= 300 or page.status < 200:
        return base.result(error=FetchError(kind="http-status", message=f"HTTP {page.status}"))
    mime, header_charset = parse_content_type(h.get("content-type"))
    if len(page.body) > max_body_bytes:
        return base.result(error=FetchError(kind="too-large", message=f"body exceeds the {max_body_bytes}-byte cap"))
    if looks_binary(page.body):
        return base.result(error=FetchError(kind="not-html", message="binary bytes labelled as HTML"))
    text, charset = decode_html(page.body, header_charset)
    return base.result(body=page.body, text=text, content_type=mime or "text/html", charset=charset)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Base:
    """The fields every result for one record shares."""

    url: str
    headers: dict[str, str]
    status: int
    fetched_at: str

    def result(
        self, *, final_url: str | None = None, error: FetchError | None = None, body: bytes | None = None,
        text: str | None = None, content_type: str | None = None, charset: str | None = None,
    ) -> FetchResult:
        return FetchResult(url=self.url, final_url=final_url or self.url, depth=0, status=self.status,
                           headers=self.headers, etag=self.headers.get("etag"),
                           last_modified=self.headers.get("last-modified"), fetched_at=self.fetched_at, error=error,
                           body=body, text=text, content_type=content_type, charset=charset)
