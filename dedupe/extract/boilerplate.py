"""Which parts of a page are chrome, and where the post area is.

Two kinds of evidence, both language-independent:

* markup: HTML5 sectioning tags (`nav`, `aside`, `footer`, `header`), ARIA
  roles and class/id *names* (written by developers, in English on nearly every
  site whatever the page language) such as `comments`, `share`, `sidebar`;
* shape: prose (long text, few links) counts for an element, links and marked
  chrome count against (see `textblocks._block_score`); the post area is the
  element with the highest net score, so a menu or a related-posts list next
  to the post never joins it, while all posts of an archive page do.

Strong marks (comments, sharing, cookie and newsletter boxes...) always remove
their subtree; weak marks (`header`, `sidebar`, `meta`...) are lifted when the
marked element holds most of the page's prose: themes name whole-page wrappers
`site-header-wrap` or `layout-with-sidebar` too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:  # textblocks imports this module: the type only
    from copyhound.dedupe.extract.textblocks import Block


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _word_tuple(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WEAK = 1
STRONG = 2
ABSOLUTE = 3  # comments and consent boxes: never lifted, whatever they hold

# Share of the page's prose above which a weak / strong mark is lifted.
LIFT_WEAK = 0.5
LIFT_STRONG = 0.75
LIFT_MIN_PARAGRAPHS = 3

_TAG_MARKS = {"nav": STRONG, "aside": STRONG, "footer": STRONG, "header": WEAK, "form": WEAK, "menu": STRONG}
_ROLE_MARKS = {
    "navigation": STRONG,
    "banner": WEAK,
    "contentinfo": STRONG,
    "complementary": STRONG,
    "search": STRONG,
    "dialog": STRONG,
    "alertdialog": STRONG,
    "menu": STRONG,
    "menubar": STRONG,
    "toolbar": STRONG,
}
# Never marked by class/id: these hold the post on nearly every site, and
# WordPress-like themes put taxonomy classes on them ("tag-newsletter").
_NEVER_MARK = frozenset(("html", "body", "article", "main", "caption"))

# Substrings of one class word / id that name a component that is always chrome.
_ABSOLUTE_SUBSTR = ("comment", "disqus", "respond", "cookie", "consent", "gdpr")
# Substrings of one class word / id that name a chrome component.
_STRONG_SUBSTR = _word_tuple(
    "newsletter subscri signup sign-up optin breadcrumb share sharing social related recommend"
    " outbrain taboola zergnet advert sponsor popup modal mostread most-read most-popular mostpopular"
    " trending sidebar screen-reader visually-hidden visuallyhidden sr-only skip-link skiplink navbar"
    " read-next readnext more-stories morestories recirc byline author-bio authorbio about-author"
    " author-box pagination"
)
# Whole tokens (class words split on - and _) that name chrome; captions,
# credits and galleries are image furniture, which copies of a post swap.
_STRONG_TOKENS = _words(
    "ad ads adsense dfp banner-ad promo promos popular nav navigation menu overlay lightbox pager"
    " paging tags tagcloud toolbar printfriendly caption credit credits gallery slideshow"
    " carousel slider addthis reactions rating ratings follow"
)
# Weak: liftable when the element holds most of the page's prose (Blogger
# wraps its whole post list in <div class="widget Blog">).
_WEAK_TOKENS = _words(
    "widget widgets header footer masthead meta metadata author authors dateline categories category"
    " taxonomy keywords topics copyright legal disclaimer subnav tools actions utility login signin"
    " account search banner aside breadcrumbs"
)
# Whole class words that hide an element ("field-label-hidden" hides a label,
# not the field, so parts of words do not count).
_HIDDEN_WORDS = frozenset(("hidden", "hide", "d-none", "is-hidden", "invisible", "offscreen", "display-none"))
# Class words that describe a state or a taxonomy, not a component.
_IGNORED_PREFIXES = _word_tuple(
    "tag- category- categories- term- format- has- with- is- no- postid- page-id- author- theme- lang- js-"
)
_SPLIT = re.compile(r"[-_\s:]+")
# Content words: a class attribute that names chrome and the post body too
# ("l-sidebar-fixed l-article-body-segment") gets only a weak mark.
_CONTENT_TOKENS = frozenset(("content", "body", "text", "entry", "article", "story", "main", "post"))


def _word_mark(word: str) -> int:
    if word in _HIDDEN_WORDS:
        return STRONG
    if word.startswith(_IGNORED_PREFIXES):
        return 0
    for s in _ABSOLUTE_SUBSTR:
        if s in word:
            return ABSOLUTE
    for s in _STRONG_SUBSTR:
        if s in word:
            return STRONG
    toks = _SPLIT.split(word)
    mark = 0
    for t in toks:
        if t in _STRONG_TOKENS:
            return STRONG
        if t in _WEAK_TOKENS:
            mark = WEAK
    return mark


def chrome_mark(el: etree._Element, tag: str, names: list[str] | None = None) -> int:
    """0, WEAK, STRONG or ABSOLUTE for a block-level element. `names` are its
    attribute names when the caller has them: no look-up for absent ones."""
    mark = _TAG_MARKS.get(tag, 0)
    if names is None:
        names = el.keys()
    if not names:
        return 0 if tag in _NEVER_MARK else mark
    if "role" in names:
        role = el.get("role")
        if role:
            mark = max(mark, _ROLE_MARKS.get(role.strip().lower(), 0))
    if tag in _NEVER_MARK:
        return 0
    if "class" in names:
        cls = el.get("class")
        if cls:
            mark = max(mark, _value_mark(cls))
    if "id" in names:
        ident = el.get("id")
        if ident:
            mark = max(mark, _value_mark(ident))
    return mark


@lru_cache(maxsize=16384)
def _value_mark(value: str) -> int:
    """Mark of one class or id attribute (cached: class strings repeat across a site)."""
    mark = 0
    words = value.lower().split()
    for word in words:
        mark = max(mark, _word_mark(word))
        if mark == ABSOLUTE:
            return mark
    if mark == STRONG and any(t in _CONTENT_TOKENS for w in words for t in _SPLIT.split(w)):
        # "l-sidebar-fixed l-article-body-segment" (theverge-like) or
        # "content-with-sidebar": the element also names the post body, so
        # only a weak mark, which the size guard may lift.
        return WEAK
    return mark


def lifted_marks(
    strength: dict[etree._Element, int],
    chrome_prose: dict[etree._Element, tuple[int, int, bool]],
    total_prose: int,
) -> set[etree._Element]:
    """Marks on page-wide wrappers are not chrome: latimes.com's
    `<div class="Page-ad-margins">` or ASP.NET's whole-body `<form>`. A wrapper
    holds most of the page's prose (weak marks: half, strong: three quarters)
    *and* looks like the post area: the page's <h1>, or several paragraphs (a
    long footer blurb beside a short post is one paragraph, jpost.com).
    Comment sections are never lifted (a short post can draw long comments)."""
    lifted: set[etree._Element] = set()
    if total_prose <= 0:
        return lifted
    for el, (prose, paragraphs, has_h1) in chrome_prose.items():
        mark = strength.get(el, 0)
        share = LIFT_WEAK if mark == WEAK else LIFT_STRONG if mark == STRONG else 2.0
        if prose >= share * total_prose and (has_h1 or paragraphs >= LIFT_MIN_PARAGRAPHS):
            lifted.add(el)
    return lifted


# --------------------------------------------------------------------------- fast path


class PageParagraphs:
    """How many <p> the page holds, counted only as far as a question needs:
    most pages answer "at least four?" near their top, while counting them all
    up front (a whole-tree traversal) took a tenth of the walk's time."""

    __slots__ = ("_left", "_seen")

    def __init__(self, root: etree._Element) -> None:
        self._left: Iterator[etree._Element] | None = root.iterdescendants("p")
        self._seen = 0

    def at_least(self, n: int) -> bool:
        left = self._left
        while self._seen < n and left is not None:
            if next(left, None) is None:
                self._left = left = None
            else:
                self._seen += 1
        return self._seen >= n


def surely_chrome(el: etree._Element, mark: int, paragraphs: PageParagraphs) -> bool:
    """A strongly marked element that cannot be a page-wide wrapper (see
    `lifted_marks`): comment sections always; others when they hold
    no <h1> and under half of the page's paragraphs."""
    if mark == ABSOLUTE:
        return True
    if not paragraphs.at_least(FAST_SKIP_MIN_PARAGRAPHS):
        return False
    inside = 0
    for found in el.iterdescendants("h1", "p"):  # one pass for both questions
        if found.tag == "h1":
            return False
        inside += 1
    return paragraphs.at_least(2 * inside + 1)


def text_length(el: etree._Element) -> int:
    """Characters of an element's text, each run of white space counted once
    (one C-level serialisation: the cost of a skipped subtree). Counted from
    the words: twice as fast as summing the runs a regex finds."""
    text = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    words = text.split()
    if not words:
        return 1 if text else 0
    # the runs between words, and one at either end where the text starts or ends with space
    return sum(map(len, words)) + len(words) - 1 + text[0].isspace() + text[-1].isspace()


# Pages with fewer <p>s than this get no fast path: their text may sit in <div>s.
FAST_SKIP_MIN_PARAGRAPHS = 4


# --------------------------------------------------------------------------- scoring

# Scoring of one block: per-block overhead in characters, so that runs of short
# fragments (bylines, dates, menus) score below zero; linked text counts twice
# against, so link lists pull no container toward them.
BLOCK_OVERHEAD = 20
LINK_WEIGHT = 2.0
# Blocks above this link share are link lists (menus, tag clouds), not text.
TEXT_MAX_LINK_SHARE = 0.6
# A block is prose when it is this long and mostly unlinked.
PROSE_MIN_CHARS = 60
PROSE_MAX_LINK_SHARE = 0.3


def is_prose(text: str, link_chars: int) -> bool:
    return len(text) >= PROSE_MIN_CHARS and link_chars < PROSE_MAX_LINK_SHARE * len(text)


def resolve_chrome(blocks: list[Block], strength: dict[etree._Element, int]) -> tuple[list[bool], bool]:
    """Per block: is it chrome, once the marks of page-wide wrappers are lifted?
    And was any mark lifted?"""
    total = 0
    per_mark: dict[etree._Element, tuple[int, int, bool]] = {}
    for b in blocks:
        if not b.chrome:
            if is_prose(b.text, b.link_chars):
                total += len(b.text)
            continue
        prose = is_prose(b.text, b.link_chars)
        if prose:
            total += len(b.text)
        if prose or b.heading == 1:
            n = len(b.text) if prose else 0
            paragraphs = 1 + b.text.count("\n\n") if prose else 0  # <br><br>-separated ones count too
            for c in b.chrome:
                p, k, h = per_mark.get(c, (0, 0, False))
                per_mark[c] = (p + n, k + paragraphs, h or b.heading == 1)
    lifted = lifted_marks(strength, per_mark, total)
    if not lifted:
        return [bool(b.chrome) for b in blocks], False
    return [any(c not in lifted for c in b.chrome) for b in blocks], True


def block_score(text: str, link_chars: int, heading: int, chrome: bool) -> float:
    n = len(text)
    if chrome:
        return -float(n)
    if heading:
        return -LINK_WEIGHT * link_chars
    return n - LINK_WEIGHT * link_chars - BLOCK_OVERHEAD


def score_elements(
    blocks: list[Block], is_chrome: list[bool]
) -> tuple[dict[etree._Element, float], dict[etree._Element, tuple[int, int]]]:
    """Net score of every element that holds text, and the range of block
    indexes it holds (blocks are in document order, so a subtree is a range)."""
    scores: dict[etree._Element, float] = {}
    span: dict[etree._Element, tuple[int, int]] = {}
    for i, b in enumerate(blocks):
        s = block_score(b.text, b.link_chars, b.heading, is_chrome[i])
        el: etree._Element | None = b.elem
        while el is not None:
            prev = span.get(el)
            if prev is None:
                span[el] = (i, i)
                scores[el] = s
            else:
                span[el] = (prev[0], i)
                scores[el] += s
            el = el.getparent()
    return scores, span


_CANDIDATE_TAGS = frozenset(["body", "div", "section", "article", "main", "td", "center", "form", "blockquote"])


def pick_container(scores: dict[etree._Element, float], root: etree._Element) -> etree._Element:
    """The container element with the highest net score; on ties the deepest."""
    best = None
    best_score = float("-inf")
    best_depth = -1
    for el, score in scores.items():
        if el.tag not in _CANDIDATE_TAGS:
            continue
        if score > best_score + 1e-9:
            best, best_score, best_depth = el, score, -1
        elif abs(score - best_score) <= 1e-9 and best is not None:
            if best_depth < 0:
                best_depth = sum(1 for _ in best.iterancestors())
            d = sum(1 for _ in el.iterancestors())
            if d > best_depth:
                best, best_depth = el, d
    if best is None or best_score <= 0:
        body = root.find("body")
        return body if body is not None else root
    return best
