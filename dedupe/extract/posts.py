"""Building one post from its segment: its text (the kept blocks, trimmed
and rendered, less the site's chrome lines), title, permalink, date, the
links it carries for attribution, and its kind (a whole post or a teaser).

`build_posts` turns a page's segments (see `segment`) into `Post`s; the
rest are the steps, each about one part of a post.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from lxml import etree

from copyhound.dedupe.extract.boilerplate import ABSOLUTE, is_prose
from copyhound.dedupe.extract.dates import date_from_url
from copyhound.dedupe.extract.links import resolver
from copyhound.dedupe.extract.metadata import element_date, safe_join
from copyhound.dedupe.extract.segment import TITLE_MAX_ABOVE, Segment, count_in, usable_heading
from copyhound.dedupe.extract.sitechrome import HostChrome, strip_chrome
from copyhound.dedupe.extract.textblocks import Block, Skipped
from copyhound.dedupe.types import PageMeta, Post

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
# A heading is a linked title when at least this share of its text is the link.
TITLE_LINK_SHARE = 0.5
# `rel=bookmark`/`u-url` links read per entry (a post page may mark its related posts too).
MAX_MARKED_LINKS = 8



@dataclass(frozen=True, slots=True, kw_only=True)
class PageFacts:
    """What every post of one page is built from: the walk's blocks and
    marks, the page's metadata, and the choices made for the whole page."""

    blocks: list[Block]
    content: list[bool]  # block i is post text (not chrome, not a link list)
    h1: list[Block]
    strength: dict[etree._Element, int]
    skipped: list[Skipped]
    span: dict[etree._Element, tuple[int, int]]
    meta: PageMeta
    base: str | None
    chrome: HostChrome | None = None
    with_links: bool = True  # False: skip resolving links (main_text needs only the text)


def build_posts(segs: list[Segment], page: PageFacts) -> list[Post]:
    """One `Post` per segment with text. Several segments make a listing,
    whose items take their own title, permalink and date. Featured entries
    (outside the post area) count only on a listing: beside two or more
    entries, or beside a lone one that names another page as its post's own."""
    main = [s for s in segs if not s.featured]
    lone = main[0] if len(main) == 1 else None
    if len(main) < len(segs) and lone is not None and entry_permalink(page.blocks, lone, page) is None:
        segs = main  # a post page: its sidebar's featured post is not one of its posts
    listing = len(segs) > 1
    titles = [s.title for s in segs if s.title is not None]
    posts: list[Post] = []
    for seg in segs:
        if not listing:
            post = _single_post(seg, page, len(posts))
        elif seg is lone:  # a listing's only item in its area: titled from above, like a post page's entry
            post = _single_post(seg, page, len(posts))
            post = replace(post, kind="teaser" if is_teaser(post.text) else "post") if post else None
        else:
            post = _listing_item(seg, page, titles, len(posts))
        if post is not None:
            posts.append(post)
    return posts


def _text(idx: list[int], page: PageFacts) -> str | None:
    text = render(page.blocks, trim(page.blocks, idx))
    if page.chrome:
        text = strip_chrome(text, page.chrome)
    return text if text.strip() else None


def _single_post(seg: Segment, page: PageFacts, ordinal: int) -> Post | None:
    """The page's only entry. It names another page as the post's own (a month
    archive holding one post) when its title link, `rel=bookmark` or `u-url`
    points elsewhere; a post's own page names none."""
    blocks = page.blocks
    permalink = entry_permalink(blocks, seg, page)
    published = page.meta.published
    if permalink is not None and (title_i := entry_title(blocks, seg, page.content, page.strength)) is not None:
        # the entry's linked title is its title, not a sub-heading of its text
        idx = [i for i in seg.indexes if i != title_i]
        scope = _entry_scope(blocks, seg, title_i)
        # a listing's entry: its own date before the listing page's
        published = (element_date(scope) if scope is not None else None) or date_from_url(permalink) or published
    else:
        idx, title_i = single_post_title(blocks, seg, page.meta, page.h1, page.content)
    text = _text(idx, page)
    if text is None:
        return None
    title = blocks[title_i].text if title_i is not None else page_title(page.meta, page.h1)
    own = {u.partition("#")[0] for u in (permalink, page.base) if u}
    return Post(
        ordinal=ordinal,
        text=text,
        title=title,
        links=_links(seg, page, own),
        permalink=permalink,
        published=published,
    )


def entry_permalink(blocks: list[Block], seg: Segment, page: PageFacts) -> str | None:
    """Where a page's only entry links as the post's own page, when that is
    another page: the link on its title, else a `rel=bookmark` or `u-url` link
    in its area. None when any of them is this page (a post page linking its
    own title or date) or none is found."""
    found: list[str] = []
    t = entry_title(blocks, seg, page.content, page.strength)
    if t is not None and blocks[t].links and blocks[t].link_chars >= TITLE_LINK_SHARE * len(blocks[t].text):
        found.append(blocks[t].links[0])
    scope = _entry_scope(blocks, seg, t)
    if scope is not None:
        found.extend(marked_permalinks(scope))
    here = {page_key(u) for u in (page.base, page.meta.canonical_link, page.meta.og_url) if u}
    urls = [u for u in (safe_join(page.base, h) for h in found) if u and u.startswith(("http://", "https://"))]
    keys = {page_key(u) for u in urls}
    # one other page, named by all: several (related posts marked u-url) say nothing
    if len(keys) != 1 or keys & here:
        return None
    if page.base and _is_above(keys.pop(), page_key(page.base)):
        return None  # the site's name linking home, a breadcrumb: not this post's page
    return urls[0]


def entry_title(
    blocks: list[Block], seg: Segment, content: list[bool], strength: dict[etree._Element, int] | None = None
) -> int | None:
    """The entry's title block: the segment's, else a heading that opens its
    area before any prose (Pelican's featured `<article>`), else one just
    above it (Jekyll's `<h2>` over the `e-content` the text was found in)."""
    if seg.title is not None:
        return seg.title
    for i in range(seg.first, min(seg.last + 1, len(blocks))):
        if blocks[i].heading:
            return i
        if is_prose(blocks[i].text, blocks[i].link_chars):
            break
    for i in range(seg.first - 1, max(seg.first - 1 - TITLE_MAX_ABOVE, -1), -1):
        if is_prose(blocks[i].text, blocks[i].link_chars):
            break
        if blocks[i].heading:
            # a title in the entry's <header> (a weak mark) still is its title
            return i if content[i] or (strength is not None and usable_heading(blocks[i], strength)) else None
    return None


def _entry_scope(blocks: list[Block], seg: Segment, title_i: int | None) -> etree._Element | None:
    """The element holding the entry: its area, widened to take in a title above it."""
    area = seg.area
    if area is None or title_i is None:
        return area
    title_el = blocks[title_i].elem
    scope: etree._Element | None = area
    while scope is not None and not any(e is scope for e in title_el.iterancestors()):
        scope = scope.getparent()
    return scope if scope is not None else area


def marked_permalinks(area: etree._Element) -> list[str]:
    """hrefs of the links marked as an entry's permalink: `rel=bookmark`
    (WordPress, HTML) and the microformats `u-url`, in page order."""
    out: list[str] = []
    for a in area.iter("a"):
        href = a.get("href")
        if not href or href.strip().startswith("#"):
            continue
        if "bookmark" in (a.get("rel") or "").lower().split() or "u-url" in (a.get("class") or "").split():
            out.append(href)
            if len(out) >= MAX_MARKED_LINKS:
                break
    return out


# Query parameters that never make another page (tracking, comment replies).
_NOISE_PARAMS = re.compile(r"^(utm_\w*|fbclid|gclid|ref|replytocom)=", re.I)
_INDEX_FILE = re.compile(r"/(index|default)\.(html?|php|aspx?)$", re.I)


def page_key(url: str) -> str:
    """`url` as one page: no fragment, no tracking parameters, no directory
    index file, no trailing slash; scheme and host in lower case."""
    head, _, query = url.partition("#")[0].partition("?")
    scheme, sep, rest = head.partition("://")
    host, slash, path = rest.partition("/")
    path = _INDEX_FILE.sub("/", slash + path).rstrip("/")
    kept = "&".join(q for q in query.split("&") if q and not _NOISE_PARAMS.match(q))
    return f"{scheme.lower()}{sep}{host.lower()}{path}" + (f"?{kept}" if kept else "")


def _is_above(target: str, here: str) -> bool:
    """True when `target` (a `page_key`) is the site's root or a folder above `here`."""
    return target.count("/") <= 2 or (here.startswith(target + "/") and "?" not in target)


def _listing_item(seg: Segment, page: PageFacts, titles: list[int], ordinal: int) -> Post | None:
    blocks = page.blocks
    text = _text(seg.indexes, page)
    if text is None:
        return None
    title_i = seg.title
    permalink = None
    if title_i is not None and blocks[title_i].links:
        permalink = safe_join(page.base, blocks[title_i].links[0])
    elif seg.area is not None:
        marked = marked_permalinks(seg.area)
        permalink = safe_join(page.base, marked[0]) if marked else overlay_link(seg.area, page.base)
    own = {u.partition("#")[0] for u in (permalink, page.base) if u}
    return Post(
        ordinal=ordinal,
        text=text,
        title=blocks[title_i].text if title_i is not None else None,
        links=_links(seg, page, own),
        permalink=permalink,
        # the item's own date, never the page's
        published=item_date(blocks, seg, page.span, titles) or date_from_url(permalink),
        kind="teaser" if is_teaser(text) else "post",
    )


def _links(seg: Segment, page: PageFacts, own: set[str]) -> tuple[str, ...]:
    if not page.with_links:
        return ()
    return post_links(page.blocks, seg, page.strength, page.skipped, page.base, own)


_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_ELLIPSIS = ("…", "...", "[…]", "[...]", "(…)", "(...)", "…]", "→", "»")


def word_count(text: str) -> int:
    """Words, counting CJK scripts (written without spaces) as two characters a word."""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(text)) + cjk // 2 if cjk else len(_WORD.findall(text))


def _norm_title(s: str) -> str:
    return " ".join(_WORD.findall(s.casefold()))


def _dateline(b: Block) -> bool:
    """A short line that is mostly digits (a date, a time, "4 min read") or
    holds a `<time>` ("<time>Dec 2, 2023</time> by Chiyo Marsh": six words
    that kept a 51-word republished post from matching its original)."""
    t = b.text
    if len(t) > DATELINE_MAX_CHARS:
        return False
    digits = sum(ch.isdigit() for ch in t)
    return digits >= DATELINE_DIGIT_SHARE * (len(t) - t.count(" ")) or next(b.elem.iter("time"), None) is not None


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
