"""Site-level chrome: learned per host from the stored posts, stripped from them.

Extraction sees one page at a time; a sign-up line or comment prompt in
plain markup only gives itself away across many pages of its host. After a
crawl, each host's recurring chrome blocks are learned from the posts as
extracted (`raw_text`, else `text`), and every post of that host is stored
with those blocks removed. Re-learning always starts from the raw text, so a
block wrongly learned on a small site is restored once the site grows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from copyhound.dedupe.extract.sitechrome import learn_chrome_by_host, strip_chrome
from copyhound.dedupe.match.text import text_hash, word_count
from copyhound.store import posts as post_store
from copyhound.store.posts import TextUpdate

MEMO_CHARS = 6_000_000


@dataclass(frozen=True, slots=True)
class ChromeStats:
    hosts: int  # hosts where chrome was learned
    blocks: int  # chrome blocks learned over all hosts
    posts_changed: int  # posts whose stored text changed


def strip_site_chrome(db: Database) -> ChromeStats:
    """Learn each host's chrome and make every stored post's text agree with it."""
    chrome = learn_chrome_by_host(post_store.page_texts(db))
    updates: list[TextUpdate] = []
    # A post recurs on its page, its tag archives and the home page: strip
    # each distinct text of a host once (remembered up to MEMO_CHARS of text).
    memo: dict[tuple[str, str], str] = {}
    room = MEMO_CHARS
    # Only posts whose text may change: on a host with chrome, or stored stripped
    # (their host lost it). The rest keep their text: not read, not decompressed.
    for post in post_store.post_texts(db, hosts=set(chrome)):
        source = post.raw_text if post.raw_text is not None else post.text
        host_chrome = chrome.get(post.host)
        if host_chrome is None:
            wanted = source
        elif (wanted := memo.get((post.host, source))) is None:
            wanted = strip_chrome(source, host_chrome)
            if len(source) <= room:
                room -= len(source)
                memo[(post.host, source)] = wanted
        if wanted == post.text:
            continue
        updates.append(TextUpdate(post_id=post.post_id, raw_text=None if wanted == source else source, text=wanted,
                                  text_hash=text_hash(wanted), words=word_count(wanted)))
    post_store.update_texts(db, updates)
    return ChromeStats(hosts=len(chrome), blocks=sum(len(c.blocks) for c in chrome.values()),
                       posts_changed=len(updates))
