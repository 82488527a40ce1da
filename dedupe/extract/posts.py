"""Building one post from its blocks: text, title, links, date, kind.

Helpers of `extract` (one page's segments into `Post`s), kept apart so each
module stays small: rendering and trimming the text, the post's title on a
post page, its permalink and links, its date in a listing, teaser or post.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

from lxml import etree

from copyhound.dedupe.extract.boilerplate import ABSOLUTE, is_prose
from copyhound.dedupe.extract.metadata import element_date, safe_join
from copyhound.dedupe.extract.segment import Segment, count_in
from copyhound.dedupe.extract.textblocks import Block, Skipped
from copyhound.dedupe.types import PageMeta

# Listing items shorter than this (in words) are teasers, not whole posts.
TEASER_MAX_WORDS = 60
# A listing item in one paragraph, or ending in an ellipsis, is an excerpt up to this length.
EXCERPT_MAX_WORDS = 150
# Datelines: short blocks (at most this long) of mostly (this share) digits.
DATELINE_MAX_CHARS = 50
DATELINE_DIGIT_SHARE = 0.3
# Chrome inside a post's area gives the post its links when under this share
# of its text is linked: an "originally appeared on" note, not a share bar.
NOTE_MAX_LINK_SHARE = 0.5

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_ELLIPSIS = ("…", "...", "[…]", "[...]", "(…)", "(...)", "…]", "→", "»")
_UNFOLLOWABLE = ("javascript:", "mailto:", "data:", "tel:", "#", "about:", "sms:", "ftp:", "file:")


def word_count(text: str) -> int:
    """Words, counting CJK scripts (written without spaces) as two characters a word."""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(text)) + cjk // 2 if cjk else len(_WORD.findall(text))


def _norm_title(s: str) -> str:
    return " ".join(_WORD.findall(s.casefold()))


def _dateline(b: Block) -> bool:
    """A short line that is mostly digits: a date, a time, "4 min read"."""
    t = b.text
    if len(t) > DATELINE_MAX_CHARS:
        return False
    digits = sum(ch.isdigit() for ch in t)
    return digits >= DATELINE_DIGIT_SHARE * (len(t) - t.count(" "))


def _one_word(b: Block) -> bool:
    t = b.text
    return not b.heading and b.group is None and len(t) < 40 and _WORD.fullmatch(t) is not None and t.isalpha()


def trim(blocks: list[Block], idx: list[int]) -> list[int]:
    """Drop repeated one-word placeholders, datelines at either end of a post
    and headings at its end. (Linked headings stay: gift guides link their product sub-headings,
    9to5mac.com.)"""
    # A one-word line repeated within a post is a placeholder ("Advertisement"
    # three times over latimes.com's article), not text.
    words = Counter(blocks[i].text for i in idx if _one_word(blocks[i]))
    if words and max(words.values()) > 1:
        idx = [i for i in idx if words.get(blocks[i].text, 0) < 2]
    lo, hi = 0, len(idx)
    while lo < hi and lo < 2 and _dateline(blocks[idx[lo]]):
        lo += 1
    while hi > lo and len(idx) - hi < 2 and _dateline(blocks[idx[hi - 1]]):
        hi -= 1
    while hi > lo and blocks[idx[hi - 1]].heading:  # a heading over nothing: "Related", "Comments"
        hi -= 1
    return idx[lo:hi]


def render(blocks: list[Block], idx: list[int]) -> str:
    """Paragraphs separated by a blank line; items of one list or table one per line."""
    out: list[str] = []
    prev_group = None
    for i in idx:
        b = blocks[i]
        if b.group is not None and b.group is prev_group and out:
            out[-1] += "\n" + b.text
        else:
            out.append(b.text)
        prev_group = b.group
    return "\n\n".join(out)


def overlay_link(area: etree._Element, base: str | None) -> str | None:
    """A listing item whose title is not a link: its permalink is the link
    without text (Hugo's card overlay, a featured-image link)."""
    for a in area.iter("a"):
        href = a.get("href")
        if href and not href.strip().startswith("#") and not "".join(a.itertext()).strip():
            return safe_join(base, href)
    return None


def _is_note(el: etree._Element) -> bool:
    """A chrome element that reads as a sentence with links, not a link list."""
    text = " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())
    linked = sum(len(" ".join("".join(a.itertext()).split())) for a in el.iter("a"))
    return bool(text) and linked < NOTE_MAX_LINK_SHARE * len(text)


def post_links(
    blocks: list[Block],
    seg: Segment,
    strength: dict[etree._Element, int],
    skipped: list[Skipped],
    base: str | None,
    own: set[str],
) -> tuple[str, ...]:
    """Links in the post's area, in page order, for attribution: its text and
    the notes around it ("originally appeared on ..." asides, source lines),
    not its title, not links to its own page (`own`: permalink, page URL,
    fragments ignored) and not comment sections."""
    found: list[tuple[int, int, list[str]]] = []
    for i in range(seg.first, seg.last + 1):
        b = blocks[i]
        if i == seg.title or not b.links:
            continue
        # chrome inside the area counts when it is a note, not a link list
        # (share bars, tag lists) and not a comment section
        if not b.chrome or (
            b.link_chars < NOTE_MAX_LINK_SHARE * len(b.text)
            and not any(strength.get(c, 0) >= ABSOLUTE for c in b.chrome)
        ):
            found.append((i, 1, b.links))
    for sk in skipped:
        if sk.mark >= ABSOLUTE:
            continue
        if seg.area is not None:
            inside = any(a is seg.area for a in sk.elem.iterancestors())
        else:
            inside = seg.first < sk.position <= seg.last
        if inside and _is_note(sk.elem):
            found.append((sk.position, 0, sk.links))
    seen: dict[str, None] = {}
    resolve = resolver(base)
    for _, _, hrefs in sorted(found, key=lambda f: (f[0], f[1])):
        for href in hrefs:
            u = resolve(href)
            if u and u.partition("#")[0] not in own:
                seen.setdefault(u, None)
    return tuple(seen)


def _is_page_title(text: str, meta_title: str | None, h1: list[Block]) -> bool:
    t = _norm_title(text)
    if not t:
        return False
    if any(_norm_title(h.text) == t for h in h1):
        return True
    return bool(meta_title) and t in _norm_title(meta_title)  # type: ignore[arg-type]


def page_title(meta: PageMeta, h1: list[Block]) -> str | None:
    """A post page's title: the <h1> that the <title>/og:title repeats, else the
    first <h1> outside chrome, else the <title>/og:title itself."""
    for b in h1:
        if meta.title and _norm_title(b.text) and _norm_title(b.text) in _norm_title(meta.title):
            return b.text
    for b in h1:
        if not b.chrome:
            return b.text
    return meta.title


def is_teaser(text: str) -> bool:
    """A listing item showing a summary: short; or one paragraph (Hugo's
    70-word summaries); or cut off with an ellipsis."""
    n = word_count(text)
    if n < TEASER_MAX_WORDS:
        return True
    return n < EXCERPT_MAX_WORDS and ("\n\n" not in text.strip() or text.rstrip().endswith(_ELLIPSIS))


def page_links(anchors: list[str], base: str | None) -> tuple[str, ...]:
    """Every followable link, absolute, once, in page order."""
    seen: dict[str, None] = {}
    resolve = resolver(base)
    for href in anchors:
        u = resolve(href)
        if u:
            seen.setdefault(u, None)
    return tuple(seen)


def resolver(base: str | None) -> Callable[[str], str | None]:
    """href -> absolute http(s) URL, or None for javascript:, mailto:, bare
    fragments and the like. Absolute and root-relative hrefs (most of a page's
    hundreds) skip `urljoin`, which costs a few microseconds each."""
    try:
        parts = urlsplit(base or "")
    except ValueError:
        parts = urlsplit("")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None

    def resolve(href: str) -> str | None:
        h = href.strip()
        if not h or h[0] == "#" or h[:11].lower().startswith(_UNFOLLOWABLE):
            return None
        if h.startswith(("http://", "https://")) and _PLAIN.fullmatch(h):
            return h
        if origin and h[0] == "/" and h[1:2] != "/" and _PLAIN.fullmatch(h) and "/." not in h:
            return origin + h
        u = safe_join(base, h)
        return u if u and u.startswith(("http://", "https://")) else None

    return resolve


# URLs urljoin would return unchanged: no spaces, controls, backslashes or
# brackets (IPv6 hosts, which urljoin validates), and
# no empty query or fragment at the end (dot segments are checked apart)
_PLAIN = re.compile(r"[^\s\\\[\]\x00-\x1f\x7f]*[^\s\\\[\]\x00-\x1f\x7f#?]")


def single_post_title(
    blocks: list[Block], seg: Segment, meta: PageMeta, h1: list[Block], content: list[bool]
) -> tuple[list[int], int | None]:
    """On a post page the first heading is the post's title only when it is the
    page's title (its h1, og:title or <title>); otherwise it is a sub-heading
    of the text. Short blocks before the title (kicker, date) are dropped."""
    t = seg.title
    idx = seg.indexes
    if t is None:
        return idx, None
    if blocks[t].heading == 1 or _is_page_title(blocks[t].text, meta.title, h1):
        return [i for i in idx if i > t or is_prose(blocks[i].text, blocks[i].link_chars)], t
    if content[t]:
        idx = sorted([*idx, t])
    return idx, None


def item_date(
    blocks: list[Block], seg: Segment, span: dict[etree._Element, tuple[int, int]], titles: list[int]
) -> str | None:
    """The `<time datetime>` of a listing item: inside the largest element
    around its title that holds no other item's title."""
    if seg.title is None:
        return None
    el = blocks[seg.title].elem
    for anc in el.iterancestors():
        a, z = span.get(anc, (seg.title, seg.title))
        if count_in(titles, a, z) > 1:  # holds another item's title too
            break
        el = anc
    return element_date(el)
