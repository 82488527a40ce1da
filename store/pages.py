"""Writes and reads of the `pages` and `posts` tables.

A page row is keyed by its normalised URL. Its posts are keyed by
(page, ordinal) and rewritten only when their text changed, so a re-crawl
that brings the same text keeps the post ids and their signatures.

This is the crawl's per-page write path: plain SQL on the connection (a few
statements a page), no sqlite-utils table helpers, which look the schema up
again on every call.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlite_utils import Database

from copyhound.crawler.discover.urls import alias_key, alias_rank
from copyhound.crawler.types import FetchResult
from copyhound.dedupe.match.text import word_count
from copyhound.dedupe.types import ExtractedPage, Post
from copyhound.store.packed_text import pack_text
from copyhound.store.sql import chunks, marks

# Statuses after which a page no longer holds its posts: it leaves its clusters.
GONE_STATUSES = frozenset({404, 410})
BODY_ZLIB_LEVEL = 1  # 3x cheaper than 6 for ~15% more bytes: this runs for every page


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredPage:
    id: int
    url: str
    links: tuple[str, ...]
    feed_links: tuple[str, ...]
    single_post: bool = False  # holds one post of its own (see `single_post`)


def single_post(url: str, permalinks: Sequence[str | None]) -> bool:
    """A page holding one post (`permalinks`: one per post) whose entry names
    no other page as its permalink (a post's own page, not a listing of one entry)."""
    if len(permalinks) != 1:
        return False
    link = permalinks[0]
    return link is None or link.split("#", 1)[0].rstrip("/") == url.split("#", 1)[0].rstrip("/")


@dataclass(frozen=True, slots=True, kw_only=True)
class PreparedBody:
    """The CPU work of storing a page, done beside its extraction (in a worker
    process): compressed body, body hash, and per post its text hash, word
    count and links as stored (JSON)."""

    body_zlib: bytes | None  # None: not kept (an archived body: its WARC record holds it)
    body_hash: str
    post_hashes: tuple[str, ...]
    post_words: tuple[int, ...] = ()
    post_links: tuple[str, ...] = ()


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def prepare_body(
    body: bytes, extracted: ExtractedPage | None, text_hash: Callable[[str], str], *, keep_body: bool = True,
    facts: Callable[[str], tuple[str, int]] | None = None,
) -> PreparedBody:
    """`keep_body=False` stores the hash only: for a page read from a WARC,
    which holds the body already (`warc_records` says where), compressing it
    again was a tenth of ingest's CPU, and nothing reads `pages.body` back.
    `facts` gives a post's text hash and word count at once (`text.text_facts`)."""
    posts = extracted.posts if extracted is not None else ()
    pairs = [facts(p.text) for p in posts] if facts is not None else [(text_hash(p.text), word_count(p.text))
                                                                        for p in posts]
    return PreparedBody(
        body_zlib=zlib.compress(body, BODY_ZLIB_LEVEL) if keep_body else None,
        body_hash=body_hash(body),
        post_hashes=tuple(h for h, _ in pairs),
        post_words=tuple(n for _, n in pairs),
        post_links=tuple(json.dumps(_post_area_links(p)) for p in posts),
    )


def stored_page(db: Database, url: str) -> StoredPage | None:
    row = db.execute(
        "SELECT id, url, links, (SELECT count(*) FROM posts WHERE page_id = pages.id),"
        " (SELECT permalink FROM posts WHERE page_id = pages.id ORDER BY ordinal LIMIT 1),"
        " COALESCE(final_url, url) FROM pages WHERE url = ?", [url]).fetchone()
    if row is None:
        return None
    page_id, page_url, stored_links, n_posts, first_permalink, final_url = row
    links = json.loads(stored_links or "[]")
    one = n_posts == 1 and single_post(final_url, [first_permalink])
    if isinstance(links, dict):
        return StoredPage(id=page_id, url=page_url, links=tuple(links.get("links", ())),
                          feed_links=tuple(links.get("feeds", ())), single_post=one)
    return StoredPage(id=page_id, url=page_url, links=tuple(links), feed_links=(), single_post=one)


_SAME_BODY = """
SELECT id, COALESCE(final_url, url), host, body_hash, canonical_link FROM pages
WHERE gone = 0 AND status IN (200, 304) AND body_hash IN (
  SELECT body_hash FROM pages WHERE gone = 0 AND status IN (200, 304) AND body_hash IS NOT NULL
  GROUP BY host, body_hash HAVING count(*) > 1)
"""


def alias_page_ids(db: Database) -> set[int]:
    """Pages that are another stored page under a second URL: the same host,
    the same bytes, and either URLs that differ only by a query, a trailing
    index file or a trailing slash (`urls.alias_key`), or a `rel=canonical`
    in those bytes naming one of the URLs (WordPress's `/?p=ID` shortlink
    served without its redirect). The page whose URL ranks first
    (`urls.alias_rank`), or the one the canonical names, stands for them all;
    the others are never cluster members.

    The bytes are the evidence: normalising `/index.html` away would be a guess
    that fails on servers answering `/dir/` with something else."""
    same: dict[tuple[str, str], list[tuple[int, str, str | None]]] = {}
    for page_id, url, host, digest, canonical in db.execute(_SAME_BODY):
        same.setdefault((host, digest), []).append((int(page_id), url, canonical))
    out: set[int] = set()
    for members in same.values():
        out.update(aliases_of_one_body(members))
    return out


def aliases_of_one_body(members: Sequence[tuple[int, str, str | None]]) -> set[int]:
    """Which of one host's live pages with the same bytes, as (page id, URL,
    rel=canonical), are aliases (see `alias_page_ids`; the Spark job calls it too)."""
    named = {alias_key(c) for _, _, c in members if c}
    # one canonical for all (the same bytes say the same; a Link header may not): it names the page
    keep = [(alias_rank(u), pid) for pid, u, _ in members if alias_key(u) in named] if len(named) == 1 else []
    if keep:  # the canonical names one of these URLs: every other one is that page
        return {pid for pid, _, _ in members} - {min(keep)[1]}
    groups: dict[str, list[tuple[tuple[bool, bool, bool, str], int]]] = {}
    for pid, url, _ in members:
        groups.setdefault(alias_key(url), []).append((alias_rank(url), pid))
    return {pid for g in groups.values() for _, pid in sorted(g)[1:]}


def any_with_content(db: Database, urls: Sequence[str]) -> bool:
    """Did one of these URLs bring a body?"""
    sql = "SELECT 1 FROM pages WHERE url IN ({}) AND body_hash IS NOT NULL LIMIT 1"
    return any(db.execute(sql.format(marks(len(c))), c).fetchone() for c in chunks(urls))


def fetch_errors(db: Database, urls: Sequence[str]) -> list[tuple[str, str]]:
    """(url, why it failed: the error, else `HTTP <status>`) for these URLs' stored pages."""
    out: list[tuple[str, str]] = []
    for c in chunks(urls):
        out += [(str(u), str(e)) for u, e in db.execute(
            f"SELECT url, coalesce(error, 'HTTP ' || status) FROM pages WHERE url IN ({marks(len(c))})", c)]
    return out


def _insert(db: Database, table: str, row: dict[str, object]) -> int:
    cols = ", ".join(row)
    marks = ", ".join("?" * len(row))
    cur = db.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
    return int(cur.lastrowid or 0)


def _update(db: Database, table: str, row_id: int, row: dict[str, object]) -> None:
    sets = ", ".join(f"{c} = ?" for c in row)
    db.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*row.values(), row_id])


def save_fetch(
    db: Database,
    result: FetchResult,
    extracted: ExtractedPage | None,
    *,
    run_id: int,
    text_hash: Callable[[str], str],
    prepared: PreparedBody | None = None,
    new_posts: dict[int, int] | None = None,
) -> int:
    """Store one fetch outcome (and its posts); returns the page id, and fills
    `new_posts` with {ordinal: post id} of the posts inserted.

    Never loses what an earlier run stored: a failed re-fetch records the
    error but keeps the last good content and posts; a 304 only touches the
    fetch time; a 404/410 drops the page's posts (it left its clusters).
    Call inside the caller's transaction.
    """
    prev = db.conn.execute("SELECT id, body_hash FROM pages WHERE url = ?", [result.url]).fetchone()
    previous = None if prev is None else _Previous(id=int(prev[0]), body_hash=prev[1])
    common = _common_cols(result, run_id)
    if result.not_modified and previous is not None:
        _update(db, "pages", previous.id, {**common, "error_kind": None, "error": None, "gone": 0})
        return previous.id
    if result.error is not None or result.body is None:
        return _save_failure(db, result, previous, _fetch_cols(result, common))
    prepared = prepared or prepare_body(result.body, extracted, text_hash)
    return _save_content(db, result, previous, _fetch_cols(result, common), extracted, prepared,
                         text_hash=text_hash, new_posts=new_posts)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Previous:
    """The stored row of a page fetched before."""

    id: int
    body_hash: str | None


def _common_cols(result: FetchResult, run_id: int) -> dict[str, object]:
    """What every fetch outcome records, a 304 included."""
    common: dict[str, object] = {
        "host": host_of(result.final_url or result.url),
        "fetched_at": result.fetched_at,
        "last_run_id": run_id,
        "elapsed_ms": result.elapsed_ms,
        "depth": result.depth,
    }
    if result.published_hint:
        common["published_hint"] = result.published_hint
    return common


def _fetch_cols(result: FetchResult, common: dict[str, object]) -> dict[str, object]:
    """What an answered fetch (or a failed one) records about the response."""
    return {
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


def _save_failure(db: Database, result: FetchResult, prev: _Previous | None, cols: dict[str, object]) -> int:
    """A fetch with no body: recorded, keeping the last good body and posts
    unless the page is really gone (404/410), when its posts are dropped."""
    gone = result.status in GONE_STATUSES
    if prev is None:
        return _insert(db, "pages", {"url": result.url, **cols, "first_seen": result.fetched_at, "gone": int(gone)})
    keep = {k: v for k, v in cols.items() if k not in ("content_type", "charset", "bytes", "headers")}
    _update(db, "pages", prev.id, {**keep, "gone": int(gone)})
    if gone:
        db.conn.execute("DELETE FROM posts WHERE page_id = ?", [prev.id])
    return prev.id


def _meta_cols(extracted: ExtractedPage) -> dict[str, object]:
    meta = extracted.meta
    return {
        "title": meta.title,
        "canonical_link": meta.canonical_link,
        "canonical_links": json.dumps(list(meta.canonical_links)),
        "og_url": meta.og_url,
        "robots_noindex": int(meta.robots_noindex),
        "published": meta.published,
        "modified": meta.modified,
        "author": meta.author,
        "language": meta.language,
        "links": json.dumps({"links": list(extracted.out_links), "feeds": list(extracted.feed_links)}),
        "extraction_error": extracted.error,
    }


def _save_content(
    db: Database, result: FetchResult, prev: _Previous | None, cols: dict[str, object],
    extracted: ExtractedPage | None, prepared: PreparedBody, *, text_hash: Callable[[str], str],
    new_posts: dict[int, int] | None,
) -> int:
    """A fetched body: the page row, then its posts unless the bytes are the same as last time."""
    content: dict[str, object] = {
        **cols,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "body_hash": prepared.body_hash,
        "body": prepared.body_zlib,
        "gone": 0,
        **(_meta_cols(extracted) if extracted is not None else {}),
    }
    if prev is None:
        page_id = _insert(db, "pages", {"url": result.url, **content, "first_seen": result.fetched_at})
    else:
        page_id = prev.id
        _update(db, "pages", page_id, content)
        if prev.body_hash == prepared.body_hash:
            return page_id  # the same bytes as last time: the same posts
    if extracted is not None:
        inserted = save_posts(db, page_id, extracted.posts, text_hash=text_hash, prepared=prepared,
                              new_page=prev is None)
        if new_posts is not None:
            new_posts.update(inserted)
    return page_id


def _post_area_links(post: Post) -> list[str]:
    """The post's links, its title link (permalink) included: an archive that
    links each post's title to the original does link back to it."""
    links = list(post.links)
    if post.permalink and post.permalink not in links:
        links.insert(0, post.permalink)
    return links


_POST_COLS = ("page_id", "ordinal", "kind", "title", "text", "text_hash", "raw_text", "raw_hash", "words",
              "permalink", "published", "links")
_INSERT_POST = f"INSERT INTO posts ({', '.join(_POST_COLS)}) VALUES ({', '.join('?' * len(_POST_COLS))})"
# Same text as extracted: keep the row, and any chrome stripped from its text.
_UPDATE_POST = "UPDATE posts SET kind = ?, title = ?, permalink = ?, published = ?, links = ? WHERE id = ?"


def save_posts(
    db: Database,
    page_id: int,
    posts: Sequence[Post],
    *,
    text_hash: Callable[[str], str],
    prepared: PreparedBody | None = None,
    new_page: bool = False,
) -> dict[int, int]:
    """Make the page's posts equal to `posts`, keeping rows whose text is
    unchanged; returns {ordinal: id} of the rows inserted (new or changed text).
    `new_page`: the page row was just inserted, so it has no posts to look up."""
    existing = {} if new_page else {
        row[0]: (row[1], row[2])
        for row in db.conn.execute(
            "SELECT ordinal, id, coalesce(raw_hash, text_hash) FROM posts WHERE page_id = ?", [page_id]
        )
    }
    n = len(posts)
    if prepared is None or not (len(prepared.post_hashes) == len(prepared.post_words) == len(prepared.post_links) == n):
        hashes = [text_hash(p.text) for p in posts]
        words = [word_count(p.text) for p in posts]
        all_links = [json.dumps(_post_area_links(p)) for p in posts]
    else:
        hashes, words, all_links = list(prepared.post_hashes), list(prepared.post_words), list(prepared.post_links)
    inserts, updates, deletes = [], [], []
    for post, th, count, links in zip(posts, hashes, words, all_links, strict=True):
        old = existing.pop(post.ordinal, None)
        if old is not None and old[1] == th:
            updates.append((post.kind, post.title, post.permalink, post.published, links, old[0]))
            continue
        if old is not None:
            # Changed text: a new row id, so signatures of the old text go with it.
            deletes.append((old[0],))
        inserts.append((page_id, post.ordinal, post.kind, post.title, pack_text(post.text), th, None, th,
                        count, post.permalink, post.published, links))
    deletes.extend((v[0],) for v in existing.values())
    if deletes:
        db.conn.executemany("DELETE FROM posts WHERE id = ?", deletes)
    if updates:
        db.conn.executemany(_UPDATE_POST, updates)
    return {row[1]: int(db.conn.execute(_INSERT_POST, row).lastrowid or 0) for row in inserts}
