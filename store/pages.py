"""Writes and reads of the `pages` and `posts` tables.

A page row is keyed by its normalised URL. Its posts are keyed by
(page, ordinal) and rewritten only when their text changed, so a re-crawl
that brings the same text keeps the post ids and their signatures.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlite_utils import Database

from crawler.types import FetchResult
from dedupe.types import ExtractedPage, Post

# Statuses after which a page no longer holds its posts: it leaves its clusters.
GONE_STATUSES = frozenset({404, 410})


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredPage:
    id: int
    url: str
    links: tuple[str, ...]
    feed_links: tuple[str, ...]


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def stored_page(db: Database, url: str) -> StoredPage | None:
    row = db.execute("SELECT id, url, links FROM pages WHERE url = ?", [url]).fetchone()
    if row is None:
        return None
    links = json.loads(row[2] or "[]")
    if isinstance(links, dict):
        return StoredPage(id=row[0], url=row[1], links=tuple(links.get("links", ())),
                          feed_links=tuple(links.get("feeds", ())))
    return StoredPage(id=row[0], url=row[1], links=tuple(links), feed_links=())


def save_fetch(
    db: Database,
    result: FetchResult,
    extracted: ExtractedPage | None,
    *,
    run_id: int,
    text_hash: Callable[[str], str],
) -> int | None:
    """Store one fetch outcome (and its posts); returns the page id.

    Never loses what an earlier run stored: a failed re-fetch records the
    error but keeps the last good content and posts; a 304 only touches the
    fetch time; a 404/410 drops the page's posts (it left its clusters).
    Call inside the caller's transaction.
    """
    pages = db["pages"]
    prev = db.execute("SELECT id, body_hash FROM pages WHERE url = ?", [result.url]).fetchone()
    common = {
        "url": result.url,
        "host": host_of(result.final_url or result.url),
        "fetched_at": result.fetched_at,
        "last_run_id": run_id,
        "elapsed_ms": result.elapsed_ms,
        "depth": result.depth,
    }
    if result.published_hint:
        common["published_hint"] = result.published_hint
    if result.not_modified and prev is not None:
        pages.update(prev[0], {**common, "error_kind": None, "error": None, "gone": 0})
        return int(prev[0])
    fetch_cols = {
        **common,
        "final_url": result.final_url,
        "status": result.status,
        "headers": json.dumps(dict(result.headers)),
        "content_type": result.content_type,
        "charset": result.charset,
        "bytes": len(result.body) if result.body is not None else None,
        "redirects": json.dumps(list(result.redirects)),
        "error_kind": result.error.kind if result.error else None,
        "error": result.error.message if result.error else None,
    }
    if result.error is not None or result.body is None:
        gone = result.status in GONE_STATUSES
        if prev is None:
            return int(pages.insert({**fetch_cols, "first_seen": result.fetched_at, "gone": int(gone)}).last_pk)
        # Keep the last good body and posts unless the page is really gone.
        keep = {k: v for k, v in fetch_cols.items() if k not in ("content_type", "charset", "bytes", "headers")}
        pages.update(prev[0], {**keep, "gone": int(gone)})
        if gone:
            db.execute("DELETE FROM posts WHERE page_id = ?", [prev[0]])
        return int(prev[0])
    digest = body_hash(result.body)
    content = {
        **fetch_cols,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "body_hash": digest,
        "body": zlib.compress(result.body, 6),
        "gone": 0,
    }
    if extracted is not None:
        meta = extracted.meta
        content.update(
            title=meta.title,
            canonical_link=meta.canonical_link,
            canonical_links=json.dumps(list(meta.canonical_links)),
            og_url=meta.og_url,
            robots_noindex=int(meta.robots_noindex),
            published=meta.published,
            modified=meta.modified,
            author=meta.author,
            language=meta.language,
            links=json.dumps({"links": list(extracted.out_links), "feeds": list(extracted.feed_links)}),
            extraction_error=extracted.error,
        )
    if prev is None:
        page_id = int(pages.insert({**content, "first_seen": result.fetched_at}).last_pk)
    else:
        page_id = int(prev[0])
        pages.update(page_id, content)
    if extracted is not None:
        save_posts(db, page_id, extracted.posts, text_hash=text_hash)
    return page_id


def _post_area_links(post: Post) -> list[str]:
    """The post's links, its title link (permalink) included: an archive that
    links each post's title to the original does link back to it."""
    links = list(post.links)
    if post.permalink and post.permalink not in links:
        links.insert(0, post.permalink)
    return links


def save_posts(db: Database, page_id: int, posts: Sequence[Post], *, text_hash: Callable[[str], str]) -> None:
    """Make the page's posts equal to `posts`, keeping rows whose text is unchanged."""
    existing = {
        row[0]: (row[1], row[2])
        for row in db.execute(
            "SELECT ordinal, id, coalesce(raw_hash, text_hash) FROM posts WHERE page_id = ?", [page_id]
        )
    }
    for post in posts:
        th = text_hash(post.text)
        row = {
            "page_id": page_id,
            "ordinal": post.ordinal,
            "kind": post.kind,
            "title": post.title,
            "text": post.text,
            "text_hash": th,
            "raw_text": None,
            "raw_hash": th,
            "words": len(post.text.split()),
            "permalink": post.permalink,
            "published": post.published,
            "links": json.dumps(_post_area_links(post)),
        }
        old = existing.pop(post.ordinal, None)
        if old is None:
            db["posts"].insert(row)
        elif old[1] != th:
            # Changed text: a new row id, so signatures of the old text go with it.
            db.execute("DELETE FROM posts WHERE id = ?", [old[0]])
            db["posts"].insert(row)
        else:
            # Same text as extracted: keep the row (and any chrome stripped from it).
            keep = ("text", "text_hash", "raw_text", "raw_hash", "words")
            db["posts"].update(old[0], {k: v for k, v in row.items() if k not in keep})
    if existing:
        ids = [v[0] for v in existing.values()]
        db.execute(f"DELETE FROM posts WHERE id IN ({','.join('?' * len(ids))})", ids)
