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

from dataclasses import dataclass, field

from lxml import etree

from copyhound.dedupe.extract.boilerplate import (
    STRONG,
    PageParagraphs,
    block_score,
    chrome_mark,
    surely_chrome,
    text_length,
)
from copyhound.dedupe.extract.elements import (
    BLOCK_TAGS,
    GROUPS,
    HEADINGS,
    LIST_ITEMS,
    NO_CLASS_CHECK,
    SKIP_TAGS,
    figure_with_text,
    hidden_class,
    hidden_style,
)


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
    return _Walk(root, collect_links).run()


@dataclass(slots=True)
class _Frame:
    """The net score and block range of what one element holds so far. A
    block counts for the frame of the block element that makes it."""

    elem: etree._Element
    score: float = 0.0
    first: int = -1  # first block index, -1 while it holds none
    last: int = -1

    def add(self, score: float, first: int, last: int) -> None:
        self.score += score
        if self.first < 0:
            self.first = first
        self.last = last


# What the walk does when an element starts, by tag: one dict look-up instead
# of a chain of set tests (the walk's most frequent decision). Block kinds are
# the ones <= _BLOCK once _SKIP is out.
_SKIP, _FIGURE, _BLOCK, _LINK, _BREAK, _CELL, _PLAIN, _CLASSED = range(8)
_KINDS: dict[str, int] = {
    **{t: _PLAIN for t in NO_CLASS_CHECK},  # inline, class never checked
    **{t: _BLOCK for t in BLOCK_TAGS},
    **{t: _SKIP for t in SKIP_TAGS},
    "figure": _FIGURE,  # a block, unless it holds only media
    "a": _LINK,
    "br": _BREAK,
    "td": _CELL,
    "th": _CELL,
}
_CLASS_CHECKED = frozenset((_LINK, _CLASSED))  # inline kinds a class may hide ("sr-only")


class _Walk:
    """The walk's state and one handler per kind of element (block, link,
    inline), in the manner of trafilatura's `main_extractor` handlers. `run`
    drives them over `etree.iterwalk`; text pieces and the end of an inline
    element (most events) it handles itself, with the pieces and the <pre> and
    link depths in locals: a method call for each cost the walk 5%.

    Frames are made on demand: only about one element in eight ever holds a
    block, and making a frame for each cost the walk a sixth of its time."""

    __slots__ = (
        "anchors", "blocks", "chrome_stack", "collect_links", "frames", "group_stack", "h1", "link_chars",
        "links", "open", "open_links", "paragraphs", "parts", "result", "root", "stack", "strength",
    )

    def __init__(self, root: etree._Element, collect_links: bool) -> None:
        self.root = root
        self.collect_links = collect_links
        self.blocks: list[Block] = []
        self.strength: dict[etree._Element, int] = {}
        self.anchors: list[str] = []
        self.h1: list[Block] = []
        self.result = WalkResult(self.blocks, self.strength, self.anchors, self.h1, {}, {}, [])
        self.parts: list[str] = []  # text pieces of the block being built
        self.link_chars = 0  # characters of `parts` inside links
        self.links: list[str] = []
        self.open_links: list[etree._Element] = []
        self.open: list[etree._Element] = []  # every open element
        self.frames: list[_Frame | None] = []  # their frames, None until one is needed
        # open block elements: (element, tag, its place in `open`); the blocks made inside are its own
        self.stack: list[tuple[etree._Element, str, int]] = []
        self.chrome_stack: list[etree._Element] = []
        self.group_stack: list[etree._Element] = []
        self.paragraphs = PageParagraphs(root)

    def run(self) -> WalkResult:
        # elements only: comments and processing instructions (and their tails) are no text
        walker = etree.iterwalk(self.root, events=("start", "end"), tag=etree.Element)
        parts, opens, frames, kinds = self.parts, self.open, self.frames, _KINDS
        in_pre = in_link = 0  # inside how many <pre>s / links
        for event, el in walker:
            tag: str = el.tag  # type: ignore[assignment]  # an element's tag (tag=etree.Element): a str
            if event == "start":
                kind = kinds.get(tag, _CLASSED)
                if kind == _SKIP or not self.start(el, tag, kind):
                    walker.skip_subtree()
                    continue
                if kind == _BREAK:
                    parts.append(_BR)
                elif kind == _CELL:
                    parts.append(" ")
                elif kind == _LINK:
                    in_link += 1
                elif tag == "pre":
                    in_pre += 1
                opens.append(el)
                frames.append(None)
                text = el.text
            else:
                if opens and opens[-1] is el:  # not the end of a skipped element
                    kind = kinds.get(tag, _CLASSED)
                    if kind <= _BLOCK:
                        self.close_block(el, tag)
                        if tag == "pre":
                            in_pre -= 1
                    else:
                        opens.pop()
                        frame = frames.pop()
                        if frame is not None and frame.first >= 0:
                            self.close_frame(el, frame)
                        if kind == _LINK:
                            self.open_links.pop()
                            in_link -= 1
                text = el.tail
            if text:  # the element's text or tail: a piece of the current block (the hottest path)
                if in_pre and "\n" in text:  # code keeps its lines
                    text = text.replace("\n", _BR)
                parts.append(text)
                if in_link:
                    self.link_chars += len(text.strip())
        if parts:
            self.end_block()
        return self.result

    def frame(self, depth: int) -> _Frame:
        """The frame of the open element at `depth` (negative: from the top)."""
        found = self.frames[depth]
        if found is None:
            found = self.frames[depth] = _Frame(self.open[depth])
        return found

    # -- start of an element: False skips its subtree ------------------------------------------

    def start(self, el: etree._Element, tag: str, kind: int) -> bool:
        """Media-only figures, elements hidden by a style or an attribute, and
        inline elements hidden by their class are skipped; blocks and links
        are opened. The attribute names come in one call: most elements have
        one or two, and asking for five absent ones cost more."""
        names = el.keys()
        if names:
            if "style" in names:
                style = el.get("style")
                if style and hidden_style(style):
                    return False
            if "hidden" in names or ("class" in names and kind in _CLASS_CHECKED and hidden_class(el.get("class"))):
                return False
        if kind <= _BLOCK:
            return (kind != _FIGURE or figure_with_text(el)) and self.open_block(el, tag, names)
        if kind == _LINK:
            self.open_link(el, names)
        return True

    def open_block(self, el: etree._Element, tag: str, names: list[str]) -> bool:
        """A block element ends the block before it; chrome that is surely
        chrome is charged and skipped (False), other marks are stacked."""
        if self.parts:
            self.end_block()
        mark = chrome_mark(el, tag, names)
        if mark >= STRONG and surely_chrome(el, mark, self.paragraphs):
            self.skip_chrome(el, mark)
            return False
        self.stack.append((el, tag, len(self.open)))
        if mark:
            self.strength[el] = mark
            self.chrome_stack.append(el)
        if tag in GROUPS:
            groups = self.group_stack
            groups.append(el if tag != "tbody" else (groups[-1] if groups else el))
        return True

    def skip_chrome(self, el: etree._Element, mark: int) -> None:
        """Its blocks could only count against the containers around it:
        charge its text length in one C-level call; keep its links."""
        if self.open:
            self.frame(-1).score -= text_length(el)
        if self.collect_links:
            hrefs = [h for a in el.iter("a") if (h := a.get("href"))]
            if hrefs:
                self.anchors.extend(hrefs)
                self.result.skipped.append(Skipped(el, mark, len(self.blocks), hrefs))

    def open_link(self, el: etree._Element, names: list[str]) -> None:
        href = el.get("href") if "href" in names else None
        if href:
            self.anchors.append(href)
            self.links.append(href)
        self.open_links.append(el)

    # -- the end of an element ----------------------------------------------------

    def close_block(self, el: etree._Element, tag: str) -> None:
        """The block element's text is a block; its frame closes; its marks end."""
        if self.parts:
            self.end_block()
        self.open.pop()
        frame = self.frames.pop()
        if frame is not None and frame.first >= 0:
            self.close_frame(el, frame)
        self.stack.pop()
        if self.chrome_stack and self.chrome_stack[-1] is el:
            self.chrome_stack.pop()
        if self.group_stack and self.group_stack[-1] is el:
            self.group_stack.pop()

    def close_frame(self, el: etree._Element, frame: _Frame) -> None:
        """The element's range and score are final: record them, add them to its parent."""
        self.result.span[el] = (frame.first, frame.last)
        self.result.scores[el] = frame.score
        if self.open:
            parent = self.frames[-1]
            if parent is None:
                parent = self.frames[-1] = _Frame(self.open[-1])
            parent.add(frame.score, frame.first, frame.last)

    # -- blocks -----------------------------------------------------------------------------

    def end_block(self) -> None:
        """Make a block of the pieces gathered so far, or drop them when they
        are only whitespace."""
        raw = "".join(self.parts)
        self.parts.clear()
        link_chars, self.link_chars = self.link_chars, 0
        if raw.isspace():  # no block
            if self.links:
                self.links = []
            return
        text = _lines(raw) if _BR in raw else " ".join(raw.split())
        if text:
            self.add_block(text, link_chars)
            self.links = []  # the block keeps this list: start a new one
        elif self.links:  # links without text (an image link) belong to no block
            self.links = []

    def add_block(self, text: str, link_chars: int) -> None:
        elem, tag, depth = self.stack[-1] if self.stack else (self.root, "html", -1)
        if self.open_links:
            # a link wrapping several blocks (a listing card) links each of them
            href = self.open_links[-1].get("href")
            if href and href not in self.links:
                self.links.insert(0, href)
        heading = HEADINGS.get(tag, 0)
        lc = min(link_chars, len(text))
        index = len(self.blocks)
        chrome = self.chrome_stack
        group = self.group_stack[-1] if self.group_stack and tag in LIST_ITEMS else None
        blk = Block(text, elem, tag, index, heading, lc, self.links, tuple(chrome) if chrome else (), group)
        if depth >= 0:
            self.frame(depth).add(block_score(text, lc, heading, bool(self.chrome_stack)), index, index)
        self.blocks.append(blk)
        if heading == 1:
            self.h1.append(blk)


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

__all__ = ["Block", "WalkResult", "walk"]
