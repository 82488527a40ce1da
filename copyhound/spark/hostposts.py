"""One host's pages → its comparable posts, site chrome stripped (pure).

Mirrors what `copyhound ingest` stores and clusters: a URL recorded twice is
one page (`merge_by_url`, as `store.pages.save_fetch` updates a stored page),
`copyhound.stages.chrome_pass` (chrome learned from every post of the host's
pages, in page then post order) and the live-post query of
`copyhound.store.posts.live_posts` (posts and listing teasers of at least
`min_post_words` words on pages of status 200 or 304, a page under a second
URL left out as `store.pages.alias_page_ids` does; `page_posts` counts every
post and teaser of the page).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from copyhound.dedupe.extract.sitechrome import learn_chrome_by_host, strip_chrome
from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.match.text import text_hash, word_count
from copyhound.dedupe.types import PostRecord
from copyhound.spark.records import PageFacts, PostFacts, post_id
from copyhound.store.pages import GONE_STATUSES, aliases_of_one_body

LIVE_STATUSES = (200, 304)


@dataclass(frozen=True, slots=True, kw_only=True)
class LivePost:
    key: str  # text hash: posts with the same key are exact copies
    text: str
    kind: str  # 'post' or 'teaser' (a listing's entry), as stored
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
    """Every post and teaser of `ordered` (one host's stored pages in page-id
    order, `merge_by_url`); `compared` marks the ones clustered."""
    chrome = learn_chrome_by_host((host, [q.text for q in p.posts]) for p in ordered if p.posts).get(host)
    aliases = _alias_ids(ordered)
    for page in ordered:
        live = page.status in LIVE_STATUSES and page.page_id not in aliases
        for q in page.posts:
            text = strip_chrome(q.text, chrome) if chrome is not None else q.text
            record = _record(page, q, words=word_count(text), is_own_url=is_own_url)
            compared = live and record.words >= params.min_post_words
            yield LivePost(key=text_hash(text), text=text if compared else "", kind=q.kind, record=record,
                           compared=compared)


def _record(page: PageFacts, q: PostFacts, *, words: int, is_own_url: Callable[[str], bool]) -> PostRecord:
    return PostRecord(
        post_id=post_id(page.page_id, q.ordinal), page_id=page.page_id, url=page.url, host=page.host,
        text="", title=q.title, page_posts=len(page.posts),
        published=q.published or page.published or page.published_hint, first_seen=page.fetched_at,
        canonical_link=page.canonical_link, robots_noindex=page.robots_noindex,
        links=tuple(str(x) for x in json.loads(q.links or "[]")), own_domain=bool(is_own_url(page.url)),
        ordinal=q.ordinal, words=words, permalink=q.permalink,
    )


def _alias_ids(ordered: list[PageFacts]) -> set[int]:
    """store.pages.alias_page_ids over one host's pages: live pages with the same bytes."""
    same: dict[str, list[tuple[int, str, str | None]]] = {}
    for p in ordered:
        if p.status in LIVE_STATUSES and p.body_hash is not None and not is_gone(p):
            same.setdefault(p.body_hash, []).append((p.page_id, p.url, p.canonical_link))
    return {pid for members in same.values() if len(members) > 1 for pid in aliases_of_one_body(members)}


def is_gone(page: PageFacts) -> bool:
    """store.pages: a fetch answered 404/410 without content marks the page gone (its posts dropped)."""
    return page.status in GONE_STATUSES and not page.has_content


__all__ = ["LIVE_STATUSES", "LivePost", "is_gone", "live_posts", "merge_by_url"]
