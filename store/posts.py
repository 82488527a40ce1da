"""Reads of the `posts` table for the stages that run after a crawl: the
live posts the dedupe stage compares, post texts by id, and the site-chrome
pass's reads and rewrites.

(The crawl's per-page writes of posts are in store/pages.py.)
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from copyhound.store.packed_text import pack_text, unpack_text
from copyhound.store.pages import alias_page_ids
from copyhound.store.sql import chunks, marks, named_rows
from copyhound.store.temp_sets import temp_ints, temp_texts

CHROME_UPDATE_ROWS = 2_000  # posts rewritten per executemany by the chrome pass


@dataclass(frozen=True, slots=True, kw_only=True)
class LivePost:
    """A post on a live page, with what the clusters read of it. Listing items
    of kind 'teaser' take part too when long enough: a 70-word summary on a
    home page is an excerpt of its post; shorter ones stay out by `min_words`."""

    post_id: int
    page_id: int
    ordinal: int
    text_hash: str
    words: int
    title: str | None
    published: str | None
    links: str | None
    url: str
    host: str
    first_seen: str | None
    page_published: str | None
    published_hint: str | None
    canonical_link: str | None
    robots_noindex: int
    signed_hash: str | None  # the text hash its stored signature was made from, if any
    page_posts: int  # posts (and teasers) on its page
    permalink: str | None = None  # where the page's entry for the post links as the post's own page


_LIVE_POSTS = """
SELECT p.id AS post_id, p.page_id AS page_id, p.ordinal AS ordinal, p.text_hash AS text_hash,
       p.words AS words, p.title AS title, p.published AS published, p.links AS links,
       COALESCE(pg.final_url, pg.url) AS url, pg.host AS host, pg.first_seen AS first_seen,
       pg.published AS page_published, pg.published_hint AS published_hint,
       pg.canonical_link AS canonical_link, pg.robots_noindex AS robots_noindex,
       s.text_hash AS signed_hash, (SELECT count(*) FROM posts n WHERE n.page_id = p.page_id) AS page_posts,
       p.permalink AS permalink
FROM {source}
JOIN pages pg ON pg.id = p.page_id
LEFT JOIN signatures s ON s.post_id = p.id
WHERE pg.status IN (200, 304) AND pg.gone = 0 AND p.words >= ?
ORDER BY p.id
"""


def live_posts(
    db: Database,
    *,
    min_words: int,
    pages: Collection[int] | None = None,
    texts: Collection[str] | None = None,
    aliases: set[int] | None = None,
) -> list[LivePost]:
    """Posts and teasers with at least `min_words` words on pages that are
    live (status 200 or 304, not gone), in post id order; only those on
    `pages`, or only those holding one of `texts`, when given. A page stored
    under a second URL (`pages.alias_page_ids`, or `aliases` when the caller
    has them) holds no live post: it is one page, not a copy."""
    # CROSS JOIN: SQLite keeps the asked-for set as the outer loop (a TEMP
    # table has no statistics; an empty one must not become a scan of posts)
    if (pages is not None and not pages) or (texts is not None and not texts):
        return []
    source = "posts p"
    if pages is not None:  # the page's posts through UNIQUE(page_id, ordinal)
        source = f"{temp_ints(db, 'ch_live_pages', pages)} t CROSS JOIN posts p ON p.page_id = t.id"
    elif texts is not None:  # through posts_text_hash
        source = f"{temp_texts(db, 'ch_live_texts', texts)} t CROSS JOIN posts p ON p.text_hash = t.key"
    skip = alias_page_ids(db) if aliases is None else aliases
    rows = named_rows(db.execute(_LIVE_POSTS.format(source=source), [min_words]), LivePost)
    return [r for r in rows if r.page_id not in skip]


def hosts(db: Database) -> list[str]:
    """Every page host stored (read from the `pages_host` index)."""
    return [r[0] for r in db.execute("SELECT DISTINCT host FROM pages")]


def texts(db: Database, post_ids: Sequence[int]) -> dict[int, str]:
    """post id → stored (chrome-stripped) text."""
    out: dict[int, str] = {}
    for chunk in chunks(post_ids):
        out.update((int(a), unpack_text(b)) for a, b in db.execute(
            f"SELECT id, text FROM posts WHERE id IN ({marks(len(chunk))})", chunk))
    return out


def pack_raw(text: str | None) -> bytes | None:
    """`posts.raw_text` as stored: compressed (m010) like `text` (m011). Only
    the chrome pass reads it back, and on a site with chrome it is a second
    copy of nearly every post's text."""
    return None if text is None else pack_text(text)


def unpack_raw(value: bytes | str | None) -> str | None:
    """A stored `posts.raw_text`, compressed or (written before m010) plain."""
    return None if value is None else unpack_text(value)


def page_texts(db: Database) -> Iterator[tuple[str, list[str]]]:
    """(host, texts of the page's posts as extracted) for each page that is not gone."""
    cur = db.execute(
        "SELECT pages.host AS host, posts.page_id AS page_id, posts.raw_text AS raw, posts.text AS text "
        "FROM posts JOIN pages ON pages.id = posts.page_id WHERE pages.gone = 0 ORDER BY posts.page_id, posts.ordinal"
    )
    current: int | None = None
    host = ""
    found: list[str] = []
    for h, page_id, raw, text in cur:
        if page_id != current:
            if current is not None:
                yield host, found
            current, host, found = page_id, h, []
        found.append(unpack_text(text) if raw is None else unpack_text(raw))
    if current is not None:
        yield host, found


@dataclass(frozen=True, slots=True, kw_only=True)
class PostText:
    post_id: int
    host: str
    text: str  # as stored (chrome stripped)
    raw_text: str | None  # as extracted, when it differs from `text`


@dataclass(frozen=True, slots=True, kw_only=True)
class TextUpdate:
    post_id: int
    raw_text: str | None
    text: str
    text_hash: str
    words: int


def post_texts(db: Database, hosts: Collection[str] | None = None) -> Iterator[PostText]:
    """Each post's stored text and its text as extracted (decompressed): every
    post, or with `hosts` those on these hosts and those stored stripped of
    chrome (a `raw_text`); the others' texts are read and decompressed for nothing."""
    where = "" if hosts is None else (" WHERE posts.raw_text IS NOT NULL OR pages.host IN "
                                      f"(SELECT key FROM {temp_texts(db, 'ch_chrome_hosts', hosts)})")
    cur = db.execute(
        "SELECT posts.id AS post_id, pages.host AS host, posts.text AS text, posts.raw_text AS raw_text "
        "FROM posts JOIN pages ON pages.id = posts.page_id" + where
    )
    for post_id, host, text, raw in cur:
        yield PostText(post_id=int(post_id), host=host, text=unpack_text(text), raw_text=unpack_raw(raw))


def update_texts(db: Database, updates: Sequence[TextUpdate]) -> None:
    """Rewrite the posts' texts in one transaction."""
    rows = [(pack_raw(u.raw_text), pack_text(u.text), u.text_hash, u.words, u.post_id) for u in updates]
    with db.atomic():
        for chunk in chunks(rows, CHROME_UPDATE_ROWS):
            db.conn.executemany("UPDATE posts SET raw_text = ?, text = ?, text_hash = ?, words = ? WHERE id = ?",
                                chunk)


__all__ = [
    "LivePost", "PostText", "TextUpdate", "hosts", "live_posts", "pack_raw", "page_texts", "post_texts", "texts",
    "unpack_raw", "update_texts",
]
