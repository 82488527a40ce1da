"""What kind of HTML element this is, for the text walk (`textblocks.walk`).

Which elements are never text (scripts, media, form controls), which start
and end a block of text, which group list items, and which are hidden from
readers by an attribute, a style or a class.
"""

from __future__ import annotations

import re

from lxml import etree

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
GROUPS = frozenset(("ul", "ol", "dl", "table", "tbody"))


# Inline elements hidden from readers ("screen-reader-text" labels such as
# "Posted on", "Skip to content") are dropped; other inline classes are kept
# because a link inside a sentence is part of the sentence.
_INLINE_HIDDEN = re.compile(r"screen-reader|sr-only|visually-?hidden|(?:^|\s)(?:hidden|d-none|offscreen)(?:\s|$)", re.I)
NO_CLASS_CHECK = frozenset(("b", "i", "em", "strong", "br", "img", "sup", "sub", "u", "small"))


def figure_with_text(el: etree._Element) -> bool:
    """A <figure> holding a table, quote or code is text; an image figure (the
    picture, its caption and credit) is media furniture, dropped as
    trafilatura does: copies of a post swap pictures and credits."""
    return any(True for _ in el.iter("table", "blockquote", "pre", "code"))


def hidden_class(cls: str | None) -> bool:
    if not cls:
        return False
    return _INLINE_HIDDEN.search(cls) is not None


def hidden_style(style: str) -> bool:
    # CSS property names and keywords are case-insensitive, and any white
    # space may sit around the colon ("DISPLAY: None", "display:\tnone").
    s = style.lower()
    if "none" not in s and "hidden" not in s:
        return False
    s = "".join(s.split())
    return "display:none" in s or "visibility:hidden" in s


__all__ = [
    "BLOCK_TAGS",
    "GROUPS",
    "HEADINGS",
    "LIST_ITEMS",
    "NO_CLASS_CHECK",
    "SKIP_TAGS",
    "figure_with_text",
    "hidden_class",
    "hidden_style",
]
