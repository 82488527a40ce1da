"""One WARC record → what the in-process pipeline would store for it (pure).

`fetch_result` is the crawl's view of a recorded response (status, headers,
decoded text; a redirect or an error status carries no text), and
`page_facts` runs the same extraction as the crawl's page sink
(`copyhound.stages.page_sink._extract`) and keeps what clustering reads: the
page's metadata and its posts, with text hash, word count and post-area
links as `store.pages` stores them.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

from copyhound.crawler.http.decode import decode_html, looks_binary, parse_content_type
from copyhound.crawler.types import FetchResult
from copyhound.dedupe.extract.page import extract_page
from copyhound.dedupe.types import Post
from copyhound.spark.warcinput import WarcPage
from copyhound.store.pages import host_of

HTML_TYPES = ("text/html", "application/xhtml+xml")
ID_BITS_RECORD = 24  # records per WARC file (Common Crawl files hold ~40k)
ID_BITS_ORDINAL = 12  # posts per page


@dataclass(frozen=True, slots=True, kw_only=True)
class PostFacts:
    ordinal: int
    kind: str
    title: str | None
    text: str  # as extracted; site chrome is stripped per host later
    published: str | None
    links: str  # JSON list, as stored


@dataclass(frozen=True, slots=True, kw_only=True)
class PageFacts:
    page_id: int  # (file index, record index): the order an in-process ingest stores pages in
    url: str
    host: str
    status: int
    fetched_at: str
    canonical_link: str | None = None
    robots_noindex: bool = False
    published: str | None = None
    posts: tuple[PostFacts, ...] = ()


def page_id(file_index: int, record_index: int) -> int:
    return (file_index << ID_BITS_RECORD) | record_index


def post_id(page: int, ordinal: int) -> int:
    """Increasing with (page, ordinal), as SQLite row ids are in an in-process ingest."""
    return (page << ID_BITS_ORDINAL) | min(ordinal, (1 << ID_BITS_ORDINAL) - 1)


def _body(page: WarcPage) -> bytes:
    """The payload as the crawler's client would hand it over: content-encoding undone."""
    enc = dict(page.headers).get("content-encoding", "").lower()
    if enc in ("gzip", "x-gzip", "deflate"):
        try:
            return zlib.decompress(page.body, 47 if "gzip" in enc else zlib.MAX_WBITS)
        except zlib.error:
            return page.body  # many archives store the decoded payload under the original header
    return page.body


def fetch_result(page: WarcPage) -> FetchResult:
    """The crawl's FetchResult for a recorded response: text only for an HTML 2xx."""
    headers = dict(page.headers)
    base = FetchResult(url=page.url, final_url=page.url, depth=0, status=page.status, headers=headers,
                       fetched_at=page.warc_date, etag=headers.get("etag"), last_modified=headers.get("last-modified"))
    mime, header_charset = parse_content_type(headers.get("content-type"))
    if page.status >= 300 or (mime is not None and mime not in HTML_TYPES):
        return base
    body = _body(page)
    if looks_binary(body):
        return base
    text, charset = decode_html(body, header_charset)
    return FetchResult(url=page.url, final_url=page.url, depth=0, status=page.status, headers=headers, body=body,
                       text=text, content_type=mime or "text/html", charset=charset, fetched_at=page.warc_date,
                       etag=base.etag, last_modified=base.last_modified)


def _links(post: Post) -> str:
    """store.pages._post_area_links: the title link counts as attribution too."""
    links = list(post.links)
    if post.permalink and post.permalink not in links:
        links.insert(0, post.permalink)
    return json.dumps(links)


def page_facts(page: WarcPage, pid: int) -> PageFacts:
    result = fetch_result(page)
    base = PageFacts(page_id=pid, url=page.url, host=host_of(page.url), status=page.status,
                     fetched_at=page.warc_date)
    if result.text is None:
        return base
    ex = extract_page(result.text, page.url, dict(result.headers))
    posts = tuple(PostFacts(ordinal=p.ordinal, kind=p.kind, title=p.title, text=p.text, published=p.published,
                            links=_links(p)) for p in ex.posts)
    return PageFacts(page_id=pid, url=page.url, host=base.host, status=page.status, fetched_at=page.warc_date,
                     canonical_link=ex.meta.canonical_link, robots_noindex=ex.meta.robots_noindex,
                     published=ex.meta.published, posts=posts)


