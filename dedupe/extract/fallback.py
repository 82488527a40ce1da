"""Recall fallbacks: what extraction does when the post area comes back empty
or nearly so although the page shows text (issue 15).

* hidden copies: a page whose only copy of the post sits in `<noscript>` (an
  app shell that renders it with script) or in a `<template>`: the walk skips
  both, so when they hold much more text than was found, they are unwrapped
  and the page is read again;
* baseline: no post found at all, yet the page has prose: the blocks that are
  neither chrome nor link lists, in page order (trafilatura's baseline does
  the same with the whole body), else every block.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from copyhound.dedupe.extract.boilerplate import text_length
from copyhound.dedupe.extract.textblocks import Block

HIDDEN_COPY_TAGS = ("noscript", "template")
# Unwrap hidden copies when they hold at least this many characters ...
HIDDEN_MIN_CHARS = 200
# ... and more than this many times the text found without them.
HIDDEN_OVER_FOUND = 2.0
# Baseline: blocks with a larger link share are menus and tag clouds.
BASELINE_MAX_LINK_SHARE = 0.5


def hidden_copy_chars(root: etree._Element) -> int:
    """Characters of text inside the page's <noscript> and <template> elements
    (outermost only: a nested one is counted with its parent)."""
    total = 0
    for el in root.iter(*HIDDEN_COPY_TAGS):
        if not any(a.tag in HIDDEN_COPY_TAGS for a in el.iterancestors()):
            total += text_length(el)
    return total


def wants_hidden_copy(root: etree._Element, found_chars: int) -> bool:
    """Is the post more likely in a hidden copy than in what was found?"""
    if next(root.iter(*HIDDEN_COPY_TAGS), None) is None:  # one C-level scan, most pages stop here
        return False
    hidden = hidden_copy_chars(root)
    return hidden >= HIDDEN_MIN_CHARS and hidden > HIDDEN_OVER_FOUND * found_chars


def unwrap_hidden_copies(root: etree._Element) -> None:
    """Replace every <noscript>/<template> by its content, in place (a
    <template> may hold a DocumentFragment in browsers; lxml parses it as
    plain children, which is what we read)."""
    for el in list(root.iter(*HIDDEN_COPY_TAGS)):
        parent = el.getparent()
        if parent is None:
            continue
        _unwrap(parent, el)


def _unwrap(parent: etree._Element, el: etree._Element) -> None:
    """lxml.html's drop_tag for plain etree elements: children and text move up."""
    pos = parent.index(el)
    text, tail = el.text or "", el.tail or ""
    children = list(el)
    if pos == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[pos - 1]
        prev.tail = (prev.tail or "") + text
    parent.remove(el)
    for i, child in enumerate(children):
        parent.insert(pos + i, child)
    if children:
        last = children[-1]
        last.tail = (last.tail or "") + tail
    elif pos == 0:
        parent.text = (parent.text or "") + tail
    else:
        prev = parent[pos - 1]
        prev.tail = (prev.tail or "") + tail


def baseline_text(blocks: Sequence[Block], is_chrome: Sequence[bool]) -> str:
    """Prose of a page where no post was found: non-chrome blocks that are not
    link lists, else every block that is not a link list, else every block."""

    def prose(b: Block) -> bool:
        return not b.heading and b.link_chars <= BASELINE_MAX_LINK_SHARE * len(b.text)

    picked = [b.text for i, b in enumerate(blocks) if not is_chrome[i] and prose(b)]
    if not picked:
        picked = [b.text for b in blocks if prose(b)] or [b.text for b in blocks]
    return "\n\n".join(picked)


__all__ = ["baseline_text", "hidden_copy_chars", "unwrap_hidden_copies", "wants_hidden_copy"]
