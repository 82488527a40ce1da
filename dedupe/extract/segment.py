"""Split the post area into posts: one on a post page, several on archives.

Repetition is recognised from structure, in any language:

1. two or more `<article>` elements holding text: one post each (unless more
   prose lies outside them than in them: a post followed by article cards);
2. two or more *title headings* (a heading whose text is a link to another
   page: the permalink of a listing item). Each post is the largest element
   around its title that holds no other title (a `<div class="post">`, an
   `<li>`...), or, where titles and paragraphs are flat siblings, the run of
   blocks up to the next title;
3. headings opening same-shape items whose class says post, or that each
   carry a `<time>` (themes that do not link their titles);
4. otherwise the whole area is one post.

Sub-headings of one post are almost never links to other pages and its
sections do not call themselves posts, which keeps a long single post with
`<section><h2>` parts in one piece; listing items must also hold the text
between their titles, and no more prose may precede the first title than the
items hold (a post followed by "next story" cards is not a listing).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from lxml import etree

from copyhound.dedupe.extract.boilerplate import ABSOLUTE, STRONG, TEXT_MAX_LINK_SHARE, is_prose
from copyhound.dedupe.extract.textblocks import Block


@dataclass(slots=True)
class Segment:
    """Block indexes (into the page's block list) of one post's text, and its
    title block (not among the text blocks)."""

    indexes: list[int]
    title: int | None = None  # index of the title heading block
    # The post's area: its element (an <article>, a listing item, the post
    # area of a post page) when it has one, and its block range.
    area: etree._Element | None = None
    first: int = 0
    last: int = -1
    # An entry outside the post area (`featured_entries`): one of the page's
    # posts only when the page is a listing (`posts.build_posts` decides).
    featured: bool = False


def _is_link_target(href: str) -> bool:
    h = href.strip().lower()
    return bool(h) and not h.startswith(("#", "javascript:", "mailto:", "tel:", "data:"))


def usable_heading(b: Block, strength: dict[etree._Element, int]) -> bool:
    """A heading that may be a title: not inside strongly-marked chrome
    (the "Related posts" or "Leave a reply" headings)."""
    return b.heading > 0 and not any(strength.get(c, 0) >= STRONG for c in b.chrome)


def _usable(blocks: list[Block], i: int, strength: dict[etree._Element, int], content: list[bool]) -> bool:
    """`usable_heading`, or a heading whose chrome mark was lifted (`content`):
    Pelican's `<aside id="featured">` holding a 1,600-word post is the page's
    main text, and its title is a title."""
    return content[i] or usable_heading(blocks[i], strength)


def _title_heading(b: Block) -> bool:
    return bool(b.links) and _is_link_target(b.links[0]) and b.link_chars >= 0.5 * len(b.text)


def segment(
    blocks: list[Block],
    lo: int,
    hi: int,
    container: etree._Element,
    span: dict[etree._Element, tuple[int, int]],
    strength: dict[etree._Element, int],
    content: list[bool],
) -> list[Segment]:
    """Posts inside blocks[lo..hi] (the post area), and a listing's featured
    entries outside it. `content[i]` says whether block i is post text (not
    chrome, not a link list)."""
    segs = _area_segments(blocks, lo, hi, container, span, strength, content)
    featured = featured_entries(blocks, segs, container, span, strength)
    return sorted([*segs, *featured], key=lambda sg: sg.first) if featured else segs


def _area_segments(
    blocks: list[Block],
    lo: int,
    hi: int,
    container: etree._Element,
    span: dict[etree._Element, tuple[int, int]],
    strength: dict[etree._Element, int],
    content: list[bool],
) -> list[Segment]:
    # 1. <article> elements
    segs = _article_segments(blocks, lo, hi, container, span, strength, content)
    if segs:
        return segs

    # 2. title headings
    titles = [
        i
        for i in range(lo, hi + 1)
        if blocks[i].heading and _usable(blocks, i, strength, content) and _title_heading(blocks[i])
    ]
    titles = _top_level(blocks, titles)
    if len(titles) >= 2:
        segs = _segments_from_titles(blocks, titles, lo, hi, container, span, strength, content)
        if segs:
            return segs

    # 2b. untitled-link listings: items of one shape whose class says post
    # ("post", "entry", "hentry"...) or that carry a <time>, each opening
    # with a heading (old themes that do not link their titles)
    heads = [i for i in range(lo, hi + 1) if blocks[i].heading and _usable(blocks, i, strength, content)]
    heads = _top_level(blocks, heads)
    if len(heads) >= 2:
        segs = _segments_from_titles(blocks, heads, lo, hi, container, span, strength, content)
        if segs and _post_items([s.area for s in segs]):
            return segs

    # 3. one post
    return [_segment_of(blocks, lo, hi, strength, content, area=container)]


# An entry's title may stand this many blocks above the element its text was found in.
TITLE_MAX_ABOVE = 3


def featured_entries(
    blocks: list[Block],
    segs: list[Segment],
    container: etree._Element,
    span: dict[etree._Element, tuple[int, int]],
    strength: dict[etree._Element, int],
) -> list[Segment]:
    """A listing's entries set apart from it: Pelican's stock theme shows the
    newest post in full in an `<aside id="featured">` above the list of
    summaries, on the home, category, tag and author pages alike. An
    `<article>` outside the listing area, marked as chrome only by marks
    weaker than a comment section's, whose first heading links to another
    page at the items' title level or above and which holds prose, is one
    more entry of the listing, however its wrapper is marked. Whether the
    page is a listing is for `posts.build_posts` to say: a lone entry may be
    a listing's only other item or a post page's post."""
    level = _title_level(blocks, segs)
    if level is None:
        return []
    root = container.getroottree().getroot()
    out: list[Segment] = []
    for art in root.iter("article"):
        if art is container or art not in span or _inside(art, container) or _inside(container, art):
            continue
        if out and out[-1].area is not None and _inside(art, out[-1].area):
            continue
        seg = _featured(blocks, art, span[art], strength, level)
        if seg is not None:
            out.append(seg)
    return out


def _title_level(blocks: list[Block], segs: list[Segment]) -> int | None:
    """The lowest level of the entries' titles: theirs, else the heading just
    above a lone entry's text (Pelican's `<header>` over its `entry-content`)."""
    levels = [blocks[sg.title].heading for sg in segs if sg.title is not None]
    if levels:
        return max(levels)
    if len(segs) != 1:
        return None
    for i in range(segs[0].first - 1, max(segs[0].first - 1 - TITLE_MAX_ABOVE, -1), -1):
        if blocks[i].heading:
            return blocks[i].heading
        if is_prose(blocks[i].text, blocks[i].link_chars):
            break
    return None


def _featured(
    blocks: list[Block], art: etree._Element, where: tuple[int, int], strength: dict[etree._Element, int], level: int
) -> Segment | None:
    """The entry that `art` holds, or None when it is no listing entry."""
    a, z = where
    marks = {c for c in blocks[a].chrome if c is art or _inside(art, c)}
    if any(strength.get(c, 0) >= ABSOLUTE for c in marks):
        return None
    title = next((i for i in range(a, z + 1) if blocks[i].heading), None)
    if title is None or blocks[title].heading > level or not _title_heading(blocks[title]):
        return None
    text = [
        i
        for i in range(title + 1, z + 1)
        if all(c in marks for c in blocks[i].chrome)
        and (blocks[i].heading or blocks[i].link_chars <= TEXT_MAX_LINK_SHARE * len(blocks[i].text))
    ]
    if not any(is_prose(blocks[i].text, blocks[i].link_chars) for i in text):
        return None
    return Segment(text, title, art, a, z, featured=True)


def _top_level(blocks: list[Block], heads: list[int]) -> list[int]:
    """Of two or more headings, those at the highest level present (items' titles, not their sub-heads)."""
    if len(heads) < 2:
        return heads
    level = min(blocks[i].heading for i in heads)
    return [i for i in heads if blocks[i].heading == level]


def _article_segments(
    blocks: list[Block],
    lo: int,
    hi: int,
    container: etree._Element,
    span: dict[etree._Element, tuple[int, int]],
    strength: dict[etree._Element, int],
    content: list[bool],
) -> list[Segment] | None:
    """One post per outermost `<article>` holding text, when there are two or
    more; None when there are fewer."""
    articles: list[etree._Element] = []
    for art in container.iter("article"):
        if art is container or art not in span:
            continue
        if articles and _inside(art, articles[-1]):
            continue
        a, z = span[art]
        if any(content[i] and not blocks[i].heading for i in range(a, z + 1)):
            articles.append(art)
    if len(articles) < 2:
        return None
    inside = [span[a] for a in articles]
    if _prose(blocks, content, lo, hi, skip=inside) > 0.5 * sum(_prose(blocks, content, a, z) for a, z in inside):
        # More prose outside the <article>s than in them: a post followed
        # by "more stories" cards set as <article>s. The post is the rest.
        return [_segment_of(blocks, lo, hi, strength, content, area=container, skip=inside)]
    segs = [_segment_of(blocks, *span[a], strength, content, area=a) for a in articles]
    titled = [s for s in segs if s.title is not None]
    # Listing items all have titles or none do: untitled <article>s beside
    # titled ones are embeds or related-post boxes inside the post.
    return titled if titled else segs


_POST_CLASS_TOKENS = frozenset(("post", "entry", "hentry", "article", "story", "teaser", "excerpt"))


def _post_items(units: list[etree._Element | None]) -> bool:
    """Listing items without title links: elements of one shape (tag and
    class words) that say they hold posts, or that each carry a <time>.
    Sections of one long post share a shape too but say neither."""
    if any(u is None for u in units):
        return False
    shapes = {_signature(u) for u in units}  # type: ignore[arg-type]
    if len(shapes) != 1:
        return False
    _, classes = shapes.pop()
    words = {t for c in classes for t in re.split(r"[-_]", c.lower())}
    if words & _POST_CLASS_TOKENS:
        return True
    return all(next(u.iter("time"), None) is not None for u in units)  # type: ignore[union-attr]


def _inside(el: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _segment_of(
    blocks: list[Block],
    a: int,
    z: int,
    strength: dict[etree._Element, int],
    content: list[bool],
    *,
    area: etree._Element | None = None,
    skip: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> Segment:
    """Post text blocks of blocks[a..z] (less the `skip` ranges); its title is
    the first usable heading before the first paragraph of prose."""
    keep = [i for i in range(a, z + 1) if not any(s <= i <= e for s, e in skip)] if skip else range(a, z + 1)
    title = None
    for i in keep:
        b = blocks[i]
        if b.heading and _usable(blocks, i, strength, content):
            title = i
            break
        if content[i] and is_prose(b.text, b.link_chars):
            break
    return Segment([i for i in keep if content[i] and i != title], title, area, a, z)


def _prose(blocks: list[Block], content: list[bool], a: int, z: int, skip: list[tuple[int, int]] | None = None) -> int:
    """Characters of prose text in blocks[a..z], outside the `skip` ranges."""
    n = 0
    for i in range(a, z + 1):
        b = blocks[i]
        if content[i] and not b.heading and is_prose(b.text, b.link_chars):
            if skip and any(s <= i <= e for s, e in skip):
                continue
            n += len(b.text)
    return n


def _segments_from_titles(
    blocks: list[Block],
    titles: list[int],
    lo: int,
    hi: int,
    container: etree._Element,
    span: dict[etree._Element, tuple[int, int]],
    strength: dict[etree._Element, int],
    content: list[bool],
) -> list[Segment] | None:
    # How many titles each element holds: a post's element holds exactly one.
    count: dict[etree._Element, int] = {}
    for t in titles:
        for anc in blocks[t].elem.iterancestors():
            if anc is container:
                break
            count[anc] = count.get(anc, 0) + 1
    segs: list[Segment] = []
    structural = 0
    for n, t in enumerate(titles):
        unit = None
        for anc in blocks[t].elem.iterancestors():
            if anc is container or count.get(anc, 0) != 1:
                break
            unit = anc
        nxt = titles[n + 1] - 1 if n + 1 < len(titles) else hi
        if unit is not None and span.get(unit, (t, t))[1] > t:
            a, z = span[unit]
            a, z = max(a, t), min(z, nxt)
            structural += 1
        else:
            a, z, unit = t, nxt, None
        segs.append(Segment([i for i in range(a, z + 1) if content[i] and i != t], t, unit, a, z))

    # Listing items hold the text between their titles; "related story" links
    # set as headings between a post's paragraphs hold none of it (nbcdfw.com).
    def prose(i: int) -> int:
        b = blocks[i]
        return len(b.text) if content[i] and not b.heading and is_prose(b.text, b.link_chars) else 0

    covered = sum(prose(i) for sg in segs for i in sg.indexes)
    if covered < 0.5 * sum(prose(i) for i in range(titles[0], hi + 1)):
        return None
    # Prose before the first title: a post followed by "next/previous story"
    # cards is not a listing (autoindustriya.com), nor, when titles are flat,
    # a post whose sub-headings link elsewhere (nbcdfw.com's "related story"
    # <h3>s between paragraphs).
    before = sum(prose(i) for i in range(lo, titles[0]))
    flat = structural < len(titles) // 2 + 1
    if (flat and before) or before > 0.5 * covered:
        return None
    return segs


def count_in(sorted_indexes: list[int], a: int, z: int) -> int:
    """How many of the sorted indexes lie in a..z (bisect: listings can hold
    thousands of items)."""
    return bisect_right(sorted_indexes, z) - bisect_left(sorted_indexes, a) if a <= z else 0


def _signature(el: etree._Element) -> tuple[str, frozenset[str]]:
    """Tag and class words without numbers: what repeated listing items share
    ("post-12 post" and "post-9 post" are the same shape)."""
    classes = el.get("class") or ""
    return str(el.tag), frozenset(w for w in classes.split() if not any(ch.isdigit() for ch in w))


def listing_area(
    container: etree._Element,
    blocks: list[Block],
    span: dict[etree._Element, tuple[int, int]],
    strength: dict[etree._Element, int],
) -> etree._Element:
    """Widen the post area to the whole listing when it is one item of one.

    On a teaser listing every item scores low (a title link, a sentence, a
    "continue reading" link), so the best-scoring element is one item. If that
    element (or an ancestor) has two or more siblings of the same shape that
    each hold a title heading, the listing is their parent.
    """
    titles = [i for i, b in enumerate(blocks) if b.heading and usable_heading(b, strength) and _title_heading(b)]
    if len(titles) < 2:
        return container

    def titles_in(el: etree._Element) -> int:
        a, z = span.get(el, (1, 0))
        return count_in(titles, a, z)

    node = container
    for _ in range(LISTING_MAX_CLIMB):
        if titles_in(node) > 1:
            break  # above the item level: not one item of a listing
        parent = node.getparent()
        if parent is None or node.tag in ("body", "html"):
            break
        if titles_in(node) == 1:
            sig = _signature(node)
            items = sum(1 for sib in parent if sib.tag == node.tag and _signature(sib) == sig and titles_in(sib) == 1)
            if items >= 2:
                return parent
        node = parent
    return container


# How many levels above the best-scoring element a listing item may start.
LISTING_MAX_CLIMB = 6
