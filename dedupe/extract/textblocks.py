"""One walk over the parsed tree: text blocks with the facts later stages need.

A *block* is the text of one block-level element (paragraph, heading, list
item, table row...) with its inline descendants, the links inside it and the
chrome-marked elements above it. The walk also collects every `<a href>` and
the page's `<h1>` texts, and sums each element's net content score and block
range on its own stack (see `boilerplate.block_score`), so choosing the post
area needs no second pass. Subtrees that are surely chrome (comment sections;
strongly marked ones without the <h1> or most paragraphs) are charged their
text length in one C-level call and skipped: most elements of a news page.

The walk is iterative (`lxml.etree.iterwalk`), so deep trees cannot overflow
the Python stack; libxml2 caps nesting depth at 256 at parse time anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from copyhound.dedupe.extract.boilerplate import STRONG, block_score, chrome_mark, surely_chrome, text_length

# Elements whose whole subtree is never text: scripts, media, form controls.
SKIP_TAGS = frozenset(
    [
        "head",
        "title",  # misplaced in the body, libxml2 keeps it there; browsers never show it
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "map",
        "button",
        "select",
        "textarea",
        "input",
        "datalist",
        "dialog",
        "link",
        "meta",
        "source",
        "track",
    ]
)
# Elements that start and end a block of text.
BLOCK_TAGS = frozenset(
    [
        "html",
        "body",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "li",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "figure",
        "figcaption",
        "form",
        "fieldset",
        "legend",
        "address",
        "hr",
        "center",
        "details",
        "summary",
        "menu",
        "hgroup",
    ]
)
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LIST_ITEMS = frozenset(("li", "dt", "dd", "tr"))


@dataclass(slots=True)
class Block:
    """Text of one block-level element, in document order."""

    text: str
    elem: etree._Element
    tag: str
    index: int = 0
    heading: int = 0  # 1..6 for h1..h6
    link_chars: int = 0
    links: list[str] = field(default_factory=list)
    chrome: tuple[etree._Element, ...] = ()  # chrome-marked ancestors, outermost first
    group: etree._Element | None = None  # the list/table this item belongs to

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


@dataclass(slots=True)
class Skipped:
    """A chrome subtree the walk skipped without making blocks of it."""

    elem: etree._Element
    mark: int
    position: int  # index of the first block after it
    links: list[str]


@dataclass(slots=True)
class WalkResult:
    blocks: list[Block]
    chrome_strength: dict[etree._Element, int]  # marked element -> 1 weak / 2 strong
    anchors: list[str]  # every href in page order
    h1: list[Block]  # the <h1> blocks, chrome or not
    scores: dict[etree._Element, float]  # element -> net score of its blocks
    span: dict[etree._Element, tuple[int, int]]  # element -> (first, last) block index
    skipped: list[Skipped]  # chrome subtrees skipped whole, with their links


def walk(root: etree._Element, *, collect_links: bool = True) -> WalkResult:
    """Blocks of the whole page, in document order (iterative: no recursion).

    Also sums, for every element holding text, the net score of its blocks
    (`boilerplate.block_score`, chrome taken from the marks as they stand)
    and the range of block indexes it holds: a subtree is a range of blocks.
    """
    blocks: list[Block] = []
    strength: dict[etree._Element, int] = {}
    anchors: list[str] = []
    h1: list[Block] = []
    scores: dict[etree._Element, float] = {}
    span: dict[etree._Element, tuple[int, int]] = {}
    skipped: list[Skipped] = []

    parts: list[str] = []  # text pieces of the block being built
    link_chars = 0
    links: list[str] = []
    in_link = 0
    open_links: list[etree._Element] = []
    # Every open element: [elem, score, first block, last block]; open block
    # elements: (elem, tag, frame). A block counts for its block element's frame.
    stack: list[tuple[etree._Element, str, list]] = []
    frames: list[list] = []
    chrome_stack: list[etree._Element] = []
    group_stack: list[etree._Element] = []
    skip, block_tags, headings, list_items = SKIP_TAGS, BLOCK_TAGS, HEADINGS, LIST_ITEMS

    def flush() -> None:
        nonlocal link_chars, links
        raw = "".join(parts)
        parts.clear()
        text = _lines(raw) if _BR in raw else " ".join(raw.split())
        if text:
            elem, tag, frame = stack[-1] if stack else (root, "html", None)
            if in_link and open_links:
                # a link wrapping several blocks (a listing card) links each of them
                href = open_links[-1].get("href")
                if href and href not in links:
                    links.insert(0, href)
            heading = headings.get(tag, 0)
            lc = min(link_chars, len(text))
            blk = Block(
                text=text,
                elem=elem,
                tag=tag,
                index=len(blocks),
                heading=heading,
                link_chars=lc,
                links=links,
                chrome=tuple(chrome_stack),
                group=group_stack[-1] if group_stack and tag in list_items else None,
            )
            if frame is not None:
                frame[1] += block_score(text, lc, heading, bool(chrome_stack))
                if frame[2] < 0:
                    frame[2] = len(blocks)
                frame[3] = len(blocks)
            blocks.append(blk)
            if heading == 1:
                h1.append(blk)
            links = []  # the block keeps this list: start a new one
        elif links:  # links without text (an image link) belong to no block
            links = []
        link_chars = 0

    has_text = False  # does `parts` hold more than whitespace?
    in_pre = 0  # inside how many <pre>s
    paragraphs = len(root.findall(".//p"))
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if type(tag) is not str:
            continue
        if event == "start":
            if tag in skip or (tag == "figure" and not _figure_with_text(el)):
                walker.skip_subtree()
                continue
            style = el.get("style")
            if (style and _hidden_style(style)) or el.get("hidden") is not None:
                walker.skip_subtree()
                continue
            frame = [el, 0.0, -1, -1]
            if tag in block_tags:
                if has_text:
                    flush()
                    has_text = False
                elif parts:  # whitespace only: no block
                    parts.clear()
                    link_chars = 0
                    if links:
                        links = []
                mark = chrome_mark(el, tag)
                if mark >= STRONG and surely_chrome(el, mark, paragraphs):
                    # Its blocks could only count against the containers around
                    # it: charge its text length in one C-level call, skip it.
                    if frames:
                        frames[-1][1] -= text_length(el)
                    if collect_links:
                        hrefs = [h for a in el.iter("a") if (h := a.get("href"))]
                        if hrefs:
                            anchors.extend(hrefs)
                            skipped.append(Skipped(el, mark, len(blocks), hrefs))
                    walker.skip_subtree()
                    continue
                stack.append((el, tag, frame))
                if tag == "pre":
                    in_pre += 1
                if mark:
                    strength[el] = mark
                    chrome_stack.append(el)
                if tag in _GROUPS:
                    group_stack.append(el if tag != "tbody" else (group_stack[-1] if group_stack else el))
            elif tag == "a":
                if _hidden_class(el.get("class")):
                    walker.skip_subtree()
                    continue
                href = el.get("href")
                if href:
                    anchors.append(href)
                    links.append(href)
                in_link += 1
                open_links.append(el)
            elif tag == "br":
                parts.append(_BR)
            elif tag in ("td", "th"):
                parts.append(" ")
            elif tag not in _NO_CLASS_CHECK and _hidden_class(el.get("class")):
                walker.skip_subtree()
                continue
            frames.append(frame)
            text = el.text
            if text:
                if in_pre and "\n" in text:  # code keeps its lines
                    text = text.replace("\n", _BR)
                parts.append(text)
                if not has_text and not text.isspace():
                    has_text = True
                if in_link:
                    link_chars += len(text.strip())
        else:  # end
            if frames and frames[-1][0] is el:
                if tag in block_tags and parts:
                    if has_text:
                        flush()
                        has_text = False
                    else:
                        parts.clear()
                        link_chars = 0
                        if links:
                            links = []
                _, score, first, last = frames.pop()
                if first >= 0:
                    span[el] = (first, last)
                    scores[el] = score
                    if frames:
                        parent = frames[-1]
                        parent[1] += score
                        if parent[2] < 0:
                            parent[2] = first
                        parent[3] = last
                if tag in block_tags:
                    stack.pop()
                    if tag == "pre":
                        in_pre -= 1
                    if chrome_stack and chrome_stack[-1] is el:
                        chrome_stack.pop()
                    if group_stack and group_stack[-1] is el:
                        group_stack.pop()
                elif tag == "a":
                    open_links.pop()
                    in_link -= 1
            tail = el.tail
            if tail:
                if in_pre and "\n" in tail:
                    tail = tail.replace("\n", _BR)
                parts.append(tail)
                if not has_text and not tail.isspace():
                    has_text = True
                if in_link:
                    link_chars += len(tail.strip())
    if has_text:
        flush()
    return WalkResult(blocks, strength, anchors, h1, scores, span, skipped)


def _lines(raw: str) -> str:
    """Text with <br> breaks: one line per <br>, a paragraph break ("\n\n")
    where two or more follow each other (Blogger writes paragraphs so)."""
    out: list[str] = []
    blank = False
    for line in raw.split(_BR):
        line = " ".join(line.split())
        if not line:
            blank = True
            continue
        if out:
            out.append("\n\n" if blank else "\n")
        out.append(line)
        blank = False
    return "".join(out)


_BR = "\x00"  # line-break marker inside a block (NUL never survives parsing)
_GROUPS = frozenset(("ul", "ol", "dl", "table", "tbody"))


# Inline elements hidden from readers ("screen-reader-text" labels such as
# "Posted on", "Skip to content") are dropped; other inline classes are kept
# because a link inside a sentence is part of the sentence.
_INLINE_HIDDEN = re.compile(r"screen-reader|sr-only|visually-?hidden|(?:^|\s)(?:hidden|d-none|offscreen)(?:\s|$)", re.I)
_NO_CLASS_CHECK = frozenset(("b", "i", "em", "strong", "br", "img", "sup", "sub", "u", "small"))


def _figure_with_text(el: etree._Element) -> bool:
    """A <figure> holding a table, quote or code is text; an image figure (the
    picture, its caption and credit) is media furniture, dropped as
    trafilatura does: copies of a post swap pictures and credits."""
    return any(True for _ in el.iter("table", "blockquote", "pre", "code"))


def _hidden_class(cls: str | None) -> bool:
    return bool(cls) and _INLINE_HIDDEN.search(cls) is not None  # type: ignore[arg-type]


def _hidden_style(style: str) -> bool:
    if "none" not in style and "hidden" not in style:
        return False
    s = style.replace(" ", "").lower()
    return "display:none" in s or "visibility:hidden" in s


__all__ = ["Block", "WalkResult", "walk"]
