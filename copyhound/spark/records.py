"""One WARC record → what the in-process pipeline would store for it (pure).

The record goes through the same steps as `copyhound ingest`: the WARC
reader's `WarcPage`, `crawler.warc.results.to_fetch_result` (the crawl's view
of a recorded response: URL normalised, HTML only, body cap), then the
extraction of the crawl's page sink (`stages.page_sink._extract`). `page_facts`
keeps what clustering reads: the page's metadata and its posts, with the
post-area links as `store.pages` stores them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from copyhound.crawler.types import CrawlConfig
from copyhound.crawler.warc.results import to_fetch_result
from copyhound.crawler.warc.types import WarcPage
from copyhound.dedupe.extract.page import extract_page
from copyhound.dedupe.types import Post
from copyhound.store.pages import body_hash, host_of

MAX_BODY_BYTES = CrawlConfig(seeds=()).max_body_bytes  # the crawl's (and ingest's) own cap
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
    permalink: str | None = None  # where the page's entry links as the post's own page


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """A response's place and revisit lookup keys (`crawler.warc.revisits`): a
    revisit in any file may name it. Carried on its page's facts, or alone for
    a response no page is stored for (not HTML, or a URL ingest would not store)."""

    file: int  # index in the job's sorted file list
    offset: int
    uri: str
    date: str
    digest: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PageFacts:
    page_id: int  # (file index, record index): the order an in-process ingest stores pages in
    record_key: str  # WARC-Record-ID (or file:offset): ingest stores a record once, whatever file repeats it
    url: str
    host: str
    status: int
    fetched_at: str
    canonical_link: str | None = None
    robots_noindex: bool = False
    published: str | None = None
    published_hint: str | None = None  # the fetch's date hint (store.pages keeps it for the election)
    title: str | None = None
    body_hash: str | None = None  # as store.pages keeps it: the page held content once
    posts: tuple[PostFacts, ...] = ()
    # a fetch that failed (or had no HTML) keeps a stored page's earlier posts, as store.pages.save_fetch does
    has_content: bool = False
    origin: Origin | None = None  # a response record's (a resolved revisit has none)


def page_id(file_index: int, record_index: int) -> int:
    return (file_index << ID_BITS_RECORD) | record_index


def post_id(page: int, ordinal: int) -> int:
    """Increasing with (page, ordinal), as SQLite row ids are in an in-process ingest."""
    return (page << ID_BITS_ORDINAL) | min(ordinal, (1 << ID_BITS_ORDINAL) - 1)


def _links(post: Post) -> str:
    """store.pages._post_area_links: the title link counts as attribution too."""
    links = list(post.links)
    if post.permalink and post.permalink not in links:
        links.insert(0, post.permalink)
    return json.dumps(links)


def page_facts(page: WarcPage, pid: int, origin: Origin | None = None) -> PageFacts | None:
    """None for a record `copyhound ingest` would not store (a URL the crawler would not fetch)."""
    result = to_fetch_result(page, max_body_bytes=MAX_BODY_BYTES)
    if result is None:
        return None
    url = result.final_url or result.url
    key = page.record_id or f"{page.source}:{page.offset}"
    base = PageFacts(page_id=pid, record_key=key, url=result.url, host=host_of(url), status=result.status,
                     fetched_at=result.fetched_at, origin=origin)
    if result.error is not None or result.text is None:
        return base
    ex = extract_page(result.text, url, dict(result.headers))
    posts = tuple(PostFacts(ordinal=p.ordinal, kind=p.kind, title=p.title, text=p.text, published=p.published,
                            links=_links(p), permalink=p.permalink) for p in ex.posts)
    return PageFacts(page_id=pid, record_key=key, url=result.url, host=base.host, status=result.status,
                     fetched_at=result.fetched_at, canonical_link=ex.meta.canonical_link,
                     robots_noindex=ex.meta.robots_noindex, published=ex.meta.published,
                     published_hint=result.published_hint, title=ex.meta.title,
                     body_hash=body_hash(result.body) if result.body is not None else None, posts=posts,
                     has_content=True, origin=origin)


__all__ = ["ID_BITS_RECORD", "Origin", "PageFacts", "PostFacts", "page_facts", "page_id", "post_id"]
