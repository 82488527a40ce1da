"""Site-level chrome: text blocks that recur across the pages of one host.

Markup does not always say what is chrome (a sign-up line in a plain `<p>`,
a comment prompt in an unnamed `<div>`). Seen across many pages of one host,
it gives itself away: the same short block recurs on page after page whatever
the rest of the page says. Learning runs on stored post texts, so the
pipeline can (re)learn a host's chrome from its database at any time.

The trap is that a post's own paragraphs recur too: on its single page, on
every tag archive it is filed under, on the home page. What tells them apart:

* a post's paragraphs travel together (one long run of blocks that always
  appear side by side), chrome is a short run (`MAX_CHROME_WORDS`);
* a post is the main content of some page (its own single page: at least
  half the words), chrome is the main content of no page with other text;
* chrome recurs next to *different* content (`MIN_PAGES` pages whose other
  blocks all differ), not on copies of one page under several URLs;
* a post's first paragraph, also shown alone as its excerpt on the home and
  tag pages, is *bound* to its second paragraph (wherever that appears, the
  first is right beside it); a sign-up line is bound to the last paragraph of
  every post, a comment prompt to none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from copyhound.dedupe.match.text import CHARS_PER_WORD, no_space_chars

# A run of blocks must recur on at least this many pages with different other content.
MIN_PAGES = 3
# Runs longer than this are never chrome: sign-up lines, prompts, footers are short.
MAX_CHROME_WORDS = 80
# A run that makes up this share of a page's words, on a page with at least
# DOMINANT_MIN_OTHER_WORDS other words, is that page's content, not chrome.
DOMINANT_SHARE = 0.5
DOMINANT_MIN_OTHER_WORDS = 15
# A run bound to this many blocks or fewer (always right beside them) is part of
# a post: a paragraph has one neighbour before and one after.
MAX_BOUND_NEIGHBOURS = 2
# A run that is the whole text of its post on this share of its pages is a
# post (a short one, or an excerpt on listings): chrome sits beside post text.
ALONE_SHARE = 0.5
# A run between paragraphs of one post on this share of its pages is part of
# posts (a quotation shared by a few posts): chrome sits at a post's start or end.
INSIDE_SHARE = 0.25
# Rounds of the position check (dropping a candidate can put another inside).
POSITION_ROUNDS = 3
# Only this many pages per host are read: learning stays bounded on huge hosts.
MAX_PAGES = 5000

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True, kw_only=True)
class HostChrome:
    """Normalised text blocks learned as chrome on one host."""

    blocks: frozenset[str] = field(default_factory=frozenset)
    pages: int = 0  # how many pages it was learned from

    def __bool__(self) -> bool:
        return bool(self.blocks)


EMPTY = HostChrome()


def normalise_block(text: str) -> str:
    """Fingerprint of a block: case-folded, whitespace collapsed, numbers
    generalised ("3 Comments" and "12 Comments" are the same chrome)."""
    return _DIGITS.sub("0", " ".join(text.casefold().split()))


def split_blocks(text: str) -> list[str]:
    return [b for b in (p.strip() for p in text.split("\n\n")) if b]


def blocks_and_fingerprints(text: str) -> tuple[list[str], list[str]]:
    """`split_blocks(text)` and the `normalise_block` of each, with the
    case folding and number generalising done once over the whole text
    (per block, they were most of the chrome pass's time)."""
    raw = split_blocks(text)
    folded = split_blocks(_DIGITS.sub("0", text.casefold()))
    if len(folded) != len(raw):  # folding never adds or removes a blank line; stay exact if it ever does
        return raw, [normalise_block(b) for b in raw]
    return raw, [" ".join(b.split()) for b in folded]


def page_blocks(post_texts: Iterable[str]) -> list[str]:
    """One page's blocks for `learn_chrome`, from the texts of its stored posts
    in page order (the pipeline learns a host's chrome from its database)."""
    return [b for text in post_texts for b in split_blocks(text)]


def _words(text: str) -> int:
    # Whitespace-separated tokens: the thresholds are rough sizes, and a regex
    # word count over every block of every page cost most of the learning time.
    # A Japanese paragraph has no spaces: its characters count, as in word_count.
    cjk = no_space_chars(text)
    return len(text.split()) + cjk // CHARS_PER_WORD if cjk else len(text.split())


class _FingerprintMemo:
    """Fingerprints of each distinct text, remembered up to `max_chars` of
    text: a post recurs on its page, its tag archives and the home page."""

    def __init__(self, max_chars: int = 6_000_000) -> None:
        self._memo: dict[str, list[str]] = {}
        self._room = max_chars

    def fingerprints(self, text: str) -> list[str]:
        found = self._memo.get(text)
        if found is None:
            found = blocks_and_fingerprints(text)[1]
            if len(text) <= self._room:
                self._room -= len(text)
                self._memo[text] = found
        return found


def learn_chrome(pages: Iterable[Sequence[str]], *, min_pages: int = MIN_PAGES) -> HostChrome:
    """Learn one host's chrome from its pages, each given as its post-area
    blocks (paragraphs) in order: `page_blocks(texts of the page's posts)`.
    Where each post starts is unknown here, so the position rules need
    `learn_chrome_by_host` (the pipeline's path).

    Then `strip_chrome(post.text, chrome)` for stored posts, or
    `extract_page(html, url, headers, chrome=chrome)` when re-extracting; a
    post left empty was nothing but chrome."""
    norm_pages: list[list[str]] = []
    for n, page in enumerate(pages):
        if n >= MAX_PAGES:
            break
        blocks = [normalise_block(b) for b in page]
        norm_pages.append([b for b in blocks if b])
    return _learn(norm_pages, min_pages)


Run = tuple[str, ...]
# Where a run sits: (page index, first block, end block), end exclusive.
Spot = tuple[int, int, int]


def _runs(norm_pages: list[list[str]], where: dict[str, set[int]], frequent: set[str]
          ) -> tuple[dict[Run, set[int]], dict[Run, dict[str, set[int]]], dict[Run, list[Spot]]]:
    """Runs: maximal stretches of frequent blocks, side by side, that recur on
    exactly the same pages (a post's paragraphs, a three-line comment prompt);
    with, per run, the pages on which each block sits right next to it, and
    where on each page it sits."""
    runs: dict[Run, set[int]] = {}
    beside: dict[Run, dict[str, set[int]]] = {}
    spots: dict[Run, list[Spot]] = {}
    for i, blocks in enumerate(norm_pages):
        start = 0
        for j in range(len(blocks) + 1):
            b = blocks[j] if j < len(blocks) else ""
            if j > start and b in frequent and where[b] == where[blocks[start]]:
                continue
            if j > start and blocks[start] in frequent:
                run = tuple(blocks[start:j])
                runs.setdefault(run, set()).add(i)
                spots.setdefault(run, []).append((i, start, j))
                near = beside.setdefault(run, {})
                for k in (start - 1, j):
                    if 0 <= k < len(blocks):
                        near.setdefault(blocks[k], set()).add(i)
            start = j
    return runs, beside, spots


def _learn(norm_pages: list[list[str]], min_pages: int, post_of: list[list[int]] | None = None) -> HostChrome:
    """`learn_chrome` over pages given as block fingerprints; `post_of[p][k]`
    says which of page p's posts block k belongs to (None: unknown)."""
    where: dict[str, set[int]] = {}
    for i, blocks in enumerate(norm_pages):
        for b in blocks:
            where.setdefault(b, set()).add(i)
    frequent = {b for b, ps in where.items() if len(ps) >= min_pages}
    if not frequent:
        return HostChrome(pages=len(norm_pages))
    block_words = {b: _words(b) for b in where}
    page_words = [sum(block_words[b] for b in blocks) for blocks in norm_pages]
    runs, beside, spots = _runs(norm_pages, where, frequent)
    candidates: list[Run] = []
    for run, on_pages in runs.items():
        if len(on_pages) < min_pages:
            continue
        words = sum(block_words[b] for b in run)
        if words > MAX_CHROME_WORDS:
            continue
        members = set(run)
        dominant = any(
            page_words[p]
            and words >= DOMINANT_SHARE * page_words[p]
            and page_words[p] - words >= DOMINANT_MIN_OTHER_WORDS
            for p in on_pages
        )
        if dominant:
            continue
        # Blocks bound to the run: wherever they appear, the run is right
        # beside them. A post's first paragraph, also shown alone as the
        # excerpt on the home and tag pages, is bound to its second paragraph
        # (one block, at most two); a sign-up line is bound to the last
        # paragraph of every post, a comment prompt to none.
        bound = sum(1 for b, pages_beside in beside[run].items() if b not in members and pages_beside == where[b])
        if 1 <= bound <= MAX_BOUND_NEIGHBOURS:
            continue
        contexts = {frozenset(b for b in norm_pages[p] if b not in members) for p in on_pages}
        if len(contexts) < min_pages:
            continue  # the same page under several URLs, not chrome
        candidates.append(run)
    if post_of is not None:
        candidates = _in_chrome_positions(candidates, spots, norm_pages, post_of)
    return HostChrome(blocks=frozenset(b for run in candidates for b in run), pages=len(norm_pages))


def _in_chrome_positions(candidates: list[Run], spots: dict[Run, list[Spot]], norm_pages: list[list[str]],
                         post_of: list[list[int]]) -> list[Run]:
    """The candidate runs that sit where chrome sits: beside a post's text, at
    its start or end. A run that is the whole text of the post holding it
    (a short post, an excerpt on a listing) is that post; a run between
    paragraphs of one post (a quotation shared by a few posts) is part of it.
    Dropping one candidate can put another between post text, hence rounds."""
    kept = candidates
    for _round in range(POSITION_ROUNDS):
        chrome = {b for run in kept for b in run}
        now = [run for run in kept if not _is_post_content(spots[run], norm_pages, post_of, chrome)]
        if len(now) == len(kept):
            break
        kept = now
    return kept


def _is_post_content(run_spots: list[Spot], norm_pages: list[list[str]], post_of: list[list[int]],
                     chrome: set[str]) -> bool:
    """Alone in its post, between its post's paragraphs, or always beside the
    same paragraph (a post's last paragraph, the cut-off end of an excerpt):
    chrome sits beside *different* posts."""
    alone: set[int] = set()
    inside: set[int] = set()
    before_it: set[str | None] = set()
    after_it: set[str | None] = set()
    for page, start, end in run_spots:
        blocks, posts = norm_pages[page], post_of[page]
        first, last = posts[start], posts[end - 1]
        before = [blocks[k] for k in range(start) if posts[k] == first and blocks[k] not in chrome]
        after = [blocks[k] for k in range(end, len(blocks)) if posts[k] == last and blocks[k] not in chrome]
        if not before and not after:
            alone.add(page)
        elif before and after:
            inside.add(page)
        before_it.add(before[-1] if before else None)
        after_it.add(after[0] if after else None)
    pages = len({page for page, _s, _e in run_spots})
    attached = (len(before_it) == 1 and None not in before_it) or (len(after_it) == 1 and None not in after_it)
    return attached or len(alone) >= ALONE_SHARE * pages or len(inside) >= INSIDE_SHARE * pages


def learn_chrome_by_host(
    pages: Iterable[tuple[str, Iterable[str]]], *, min_pages: int = MIN_PAGES
) -> dict[str, HostChrome]:
    """Chrome of every host, from (host, texts of the page's posts) per stored
    page: what the pipeline reads from its `posts` table after a crawl. Hosts
    where nothing recurs are left out."""
    by_host: dict[str, tuple[list[list[str]], list[list[int]]]] = {}
    memo = _FingerprintMemo()
    for host, texts in pages:
        host_pages, host_posts = by_host.setdefault(host, ([], []))
        if len(host_pages) < MAX_PAGES:  # what learning reads, and all it keeps in memory
            blocks: list[str] = []
            post_of: list[int] = []
            for n, text in enumerate(texts):
                found = memo.fingerprints(text)
                blocks.extend(found)
                post_of.extend([n] * len(found))
            host_pages.append(blocks)
            host_posts.append(post_of)
    learned = {host: _learn(norm_pages, min_pages, post_of) for host, (norm_pages, post_of) in by_host.items()}
    return {host: chrome for host, chrome in learned.items() if chrome}


def is_chrome_block(text: str, chrome: HostChrome | None) -> bool:
    return bool(chrome) and normalise_block(text) in chrome.blocks  # type: ignore[union-attr]


def strip_chrome(text: str, chrome: HostChrome | None) -> str:
    """The text without the blocks learned as chrome on its host."""
    if not chrome:
        return text
    raw, fingerprints = blocks_and_fingerprints(text)
    return "\n\n".join(b for b, f in zip(raw, fingerprints, strict=True) if f not in chrome.blocks)
