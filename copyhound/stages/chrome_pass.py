"""Site-level chrome: learned per host from the stored posts, stripped from them.

Extraction sees one page at a time; a sign-up line or comment prompt in
plain markup only gives itself away across many pages of its host. After a
crawl, each host's recurring chrome blocks are learned from the posts as
extracted (`raw_text`, else `text`), and every post of that host is stored
with those blocks removed. Re-learning always starts from the raw text, so a
block wrongly learned on a small site is restored once the site grows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from copyhound.dedupe.extract.sitechrome import learn_chrome_by_host, strip_chrome
from copyhound.dedupe.match.text import text_hash, word_count

BATCH_ROWS = 2_000
MEMO_CHARS = 6_000_000


@dataclass(frozen=True, slots=True)
class ChromeStats:
    hosts: int  # hosts where chrome was learned
    blocks: int  # chrome blocks learned over all hosts
    posts_changed: int  # posts whose stored text changed


def _page_texts(db: Database) -> Iterator[tuple[str, list[str]]]:
    cur = db.execute(
        "SELECT pages.host, posts.page_id, coalesce(posts.raw_text, posts.text) FROM posts "
        "JOIN pages ON pages.id = posts.page_id WHERE pages.gone = 0 ORDER BY posts.page_id, posts.ordinal"
    )
    current: int | None = None
    host = ""
    texts: list[str] = []
    for h, page_id, text in cur:
        if page_id != current:
            if current is not None:
                yield host, texts
            current, host, texts = page_id, h, []
        texts.append(text)
    if current is not None:
        yield host, texts


def strip_site_chrome(db: Database) -> ChromeStats:
    """Learn each host's chrome and make every stored post's text agree with it."""
    chrome = learn_chrome_by_host(_page_texts(db))
    changed = 0
    updates: list[tuple[str | None, str, str, int, int]] = []
    # A post recurs on its page, its tag archives and the home page: strip
    # each distinct text of a host once (remembered up to MEMO_CHARS of text).
    memo: dict[tuple[str, str], str] = {}
    room = MEMO_CHARS
    cur = db.execute(
        "SELECT posts.id, pages.host, posts.text, posts.raw_text FROM posts JOIN pages ON pages.id = posts.page_id"
    )
    for post_id, host, text, raw in cur:
        source = raw if raw is not None else text
        host_chrome = chrome.get(host)
        if host_chrome is None:
            wanted = source
        elif (wanted := memo.get((host, source))) is None:
            wanted = strip_chrome(source, host_chrome)
            if len(source) <= room:
                room -= len(source)
                memo[(host, source)] = wanted
        if wanted == text:
            continue
        changed += 1
        updates.append((None if wanted == source else source, wanted, text_hash(wanted), word_count(wanted), post_id))
    with db.atomic():
        for i in range(0, len(updates), BATCH_ROWS):
            db.conn.executemany(
                "UPDATE posts SET raw_text = ?, text = ?, text_hash = ?, words = ? WHERE id = ?",
                updates[i : i + BATCH_ROWS],
            )
    return ChromeStats(hosts=len(chrome), blocks=sum(len(c.blocks) for c in chrome.values()), posts_changed=changed)
