"""boilerplate at the function level: chrome marks, lifting, scores, the post area."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from copyhound.dedupe.extract.boilerplate import (
    ABSOLUTE,
    BLOCK_OVERHEAD,
    LINK_WEIGHT,
    STRONG,
    WEAK,
    PageParagraphs,
    block_score,
    chrome_mark,
    is_prose,
    pick_container,
    resolve_chrome,
    score_elements,
    surely_chrome,
    text_length,
)
from copyhound.dedupe.extract.html import parse_page
from copyhound.dedupe.extract.textblocks import Block, walk

PROSE = "A paragraph long enough to be prose, with no links in it, and a few more words here."


def _el(html: str) -> etree._Element:
    root = parse_page(f"<html><body>{html}</body></html>").root
    assert root is not None
    body = root.find("body")
    assert body is not None
    return body[0]


@pytest.mark.parametrize(
    ("html", "mark"),
    [
        ("<div>plain</div>", 0),
        ("<nav>x</nav>", STRONG),
        ("<header>x</header>", WEAK),
        ("<div role='navigation'>x</div>", STRONG),
        ("<div class='comments-area'>x</div>", ABSOLUTE),
        ("<div id='cookie-banner'>x</div>", ABSOLUTE),
        ("<div class='share-buttons'>x</div>", STRONG),
        ("<div class='ad'>x</div>", STRONG),  # a whole token
        ("<div class='shadow'>x</div>", 0),  # "ad" inside a word is not a token
        ("<div class='widget'>x</div>", WEAK),
        ("<div class='tag-newsletter post'>x</div>", 0),  # taxonomy class, not a component
        ("<div class='l-sidebar-fixed l-article-body'>x</div>", WEAK),  # names the body too
        ("<article class='sidebar'>x</article>", 0),  # never marked by class
    ],
)
def test_chrome_mark(html: str, mark: int) -> None:
    el = _el(html)
    assert chrome_mark(el, el.tag) == mark


def _paragraphs(n: int) -> PageParagraphs:
    return PageParagraphs(_el("<div>" + "<p>p</p>" * n + "</div>"))


def test_surely_chrome() -> None:
    comments = _el("<div class='comments'><h1>x</h1></div>")
    assert surely_chrome(comments, ABSOLUTE, _paragraphs(0))  # comments: always
    nav = _el("<nav><p>a</p></nav>")
    assert not surely_chrome(nav, STRONG, _paragraphs(3))  # too few paragraphs on the page to judge
    assert surely_chrome(nav, STRONG, _paragraphs(10))
    wrapper = _el("<aside>" + "<p>p</p>" * 5 + "</aside>")
    assert not surely_chrome(wrapper, STRONG, _paragraphs(10))  # holds half the paragraphs: may be the wrapper
    assert surely_chrome(wrapper, STRONG, _paragraphs(11))
    titled = _el("<aside><h1>Title</h1><p>p</p></aside>")
    assert not surely_chrome(titled, STRONG, _paragraphs(10))
    outer = _el("<div><p>in</p><p>nested <b>p</b></p></div>")  # its own tag is not one of its paragraphs
    assert surely_chrome(outer, STRONG, _paragraphs(5))
    assert not surely_chrome(outer, STRONG, _paragraphs(4))


def test_page_paragraphs_counts_only_as_far_as_asked() -> None:
    page = _paragraphs(6)
    assert page.at_least(4) and page.at_least(6) and page.at_least(0)
    assert not page.at_least(7)
    assert page.at_least(5)  # asking again after the end stays right
    assert not PageParagraphs(_el("<p>only the root</p>")).at_least(1)  # descendants only, as findall(".//p")


def test_text_length_counts_runs_of_space_once() -> None:
    assert text_length(_el("<div>a  b\n\n <span>c</span></div>")) == len("a b c")
    assert text_length(_el("<div>  a\u00a0\u2003b </div>")) == len(" a b ")  # unicode spaces, ends kept once
    assert text_length(_el("<div> </div>")) == 1
    assert text_length(_el("<div><span></span></div>")) == 0
    assert text_length(_el("<div>word</div>")) == 4
    assert text_length(_el("<div>\n<p>a</p>\n<p>b c</p>\n</div>")) == len(" a b c ")



@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.lists(st.sampled_from(["a", "bc", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "\u3000", "é"]), max_size=12))
def test_text_length_is_the_length_with_space_runs_collapsed(pieces: list[str]) -> None:
    el = etree.Element("div")
    el.text = "".join(pieces)
    assert text_length(el) == len(re.sub(r"\s+", " ", el.text))


def test_is_prose_and_block_score() -> None:
    assert is_prose(PROSE, 0)
    assert not is_prose(PROSE, len(PROSE) // 2)  # mostly linked
    assert not is_prose("short", 0)
    assert block_score(PROSE, 10, 0, False) == len(PROSE) - LINK_WEIGHT * 10 - BLOCK_OVERHEAD
    assert block_score(PROSE, 0, 0, True) == -len(PROSE)
    assert block_score("Heading", 7, 2, False) == -LINK_WEIGHT * 7


def test_resolve_chrome_lifts_a_weak_mark_holding_most_prose() -> None:
    root = parse_page(
        "<html><body><div class='widget'><h1>Title</h1>" + f"<p>{PROSE}</p>" * 3 + "</div>"
        "<div class='widget'><p>Follow us</p></div></body></html>"
    ).root
    assert root is not None
    w = walk(root)
    is_chrome, lifted = resolve_chrome(w.blocks, w.chrome_strength)
    assert lifted
    assert is_chrome == [False, False, False, False, True]


def test_resolve_chrome_never_lifts_comments() -> None:
    # The walk skips comment sections whole; blocks built by hand reach here
    # with the mark still on them, as they do when the fast path is off.
    section = _el("<div class='comments'></div>")
    post = Block(text="short post", elem=section.getparent(), tag="p")
    comments = [Block(text=PROSE, elem=section, tag="p", chrome=(section,)) for _ in range(4)]
    is_chrome, lifted = resolve_chrome([post, *comments], {section: ABSOLUTE})
    assert not lifted and is_chrome == [False, True, True, True, True]
    # the same prose under a weak mark is lifted
    is_chrome, lifted = resolve_chrome([post, *comments], {section: WEAK})
    assert lifted and is_chrome == [False] * 5


def test_score_elements_matches_the_walk_without_chrome() -> None:
    root = parse_page("<html><body><div><p>" + PROSE + "</p><p>two words</p></div></body></html>").root
    assert root is not None
    w = walk(root)
    scores, span = score_elements(w.blocks, [False] * len(w.blocks))
    assert span == w.span
    assert scores == pytest.approx(w.scores)


def test_pick_container_prefers_the_deepest_of_equal_scores_and_falls_back_to_body() -> None:
    root = parse_page(
        "<html><body><div id='outer'><div id='post'>" + f"<p>{PROSE}</p>" * 3 + "</div></div>"
        "<div id='menu'><p><a href='/a'>a link</a></p></div></body></html>"
    ).root
    assert root is not None
    w = walk(root)
    assert pick_container(w.scores, root).get("id") == "post"
    empty = parse_page("<html><body><div><p><a href='/x'>only a link</a></p></div></body></html>").root
    assert empty is not None
    assert pick_container(walk(empty).scores, empty).tag == "body"  # nothing scores above zero
