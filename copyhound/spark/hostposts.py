"""One host's pages → its comparable posts, site chrome stripped (pure).

Mirrors what `copyhound ingest` stores and clusters: a URL recorded twice is
one page (`merge_by_url`, as `store.pages.save_fetch` updates a stored page),
`copyhound.stages.chrome_pass` (chrome learned from every post of the host's
pages, in page then post order) and the live-post query of
`copyhound.stages.cluster_pass` (kind 'post', page status 200 or 304, at
least `min_post_words` words; `page_posts` counts the page's posts of kind 'post').
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from copyhound.dedupe.extract.sitechrome import learn_chrome_by_host, strip_chrome
from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.match.text import text_hash, word_count
from copyhound.dedupe.types import PostRecord
from copyhound.spark.records import PageFacts, post_id
from copyhound.store.pages import GONE_STATUSES

LIVE_STATUSES = (200, 304)


@dataclass(frozen=True, slots=True, kw_only=True)
class LivePost:
    key: str  # text hash: posts with the same key are exact copies
    text: str
    record: PostRecord  # text left empty: the election compares `words`
    compared: bool = True  # False: short, or on a page not live; stored (the report counts it), never clustered


def _merge(first: PageFacts, later: PageFacts) -> PageFacts:
    """A later record of a stored URL: its content under the first id and
    first-seen time; a failed later fetch keeps the content (unless gone)."""
    if later.has_content or later.status in GONE_STATUSES:
        return replace(later, page_id=first.page_id, fetched_at=first.fetched_at)
    return replace(first, status=later.status, host=later.host)


def merge_by_url(pages: Iterable[PageFacts]) -> list[PageFacts]:
    """The stored pages of these records, in page-id (= ingest) order."""
    by_url: dict[str, PageFacts] = {}
    seen: set[str] = set()
    for p in sorted(pages, key=lambda p: p.page_id):
        if p.record_key in seen:  # the same record again (a copied file): ingest skips it as stored
            continue
        seen.add(p.record_key)
        prev = by_url.get(p.url)
        by_url[p.url] = p if prev is None else _merge(prev, p)
    return sorted(by_url.values(), key=lambda p: p.page_id)


def live_posts(
    host: str, ordered: list[PageFacts], is_own_url: Callable[[str], bool],
    params: MinHashParams = DEFAULT_PARAMS,
) -> Iterator[LivePost]:
    """Every post of kind 'post' of `ordered` (one host's stored pages in
    page-id order, `merge_by_url`); `compared` marks the ones clustered."""
    chrome = learn_chrome_by_host((host, [q.text for q in p.posts]) for p in ordered if p.posts).get(host)
    for page in ordered:
        page_posts = sum(1 for q in page.posts if q.kind == "post")
        for q in page.posts:
            if q.kind != "post":
                continue
            text = strip_chrome(q.text, chrome) if chrome is not None else q.text
            # chrome_pass recounts only the texts it changed (store.pages counts split words)
            words = len(text.split()) if text == q.text else word_count(text)
            record = PostRecord(
                post_id=post_id(page.page_id, q.ordinal), page_id=page.page_id, url=page.url, host=page.host,
                text="", title=q.title, page_posts=page_posts, published=q.published or page.published,
                first_seen=page.fetched_at, canonical_link=page.canonical_link,
                robots_noindex=page.robots_noindex, links=tuple(str(x) for x in json.loads(q.links or "[]")),
                own_domain=bool(is_own_url(page.url)), ordinal=q.ordinal, words=words,
            )
            compared = page.status in LIVE_STATUSES and words >= params.min_post_words
            yield LivePost(key=text_hash(text), text=text if compared else "", record=record, compared=compared)


def is_gone(page: PageFacts) -> bool:
    """store.pages: a fetch answered 404/410 without content marks the page gone (its posts dropped)."""
    return page.status in GONE_STATUSES and not page.has_content


__all__ = ["LIVE_STATUSES", "LivePost", "is_gone", "live_posts", "merge_by_url"]
