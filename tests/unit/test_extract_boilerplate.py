"""boilerplate at the function level: chrome marks, lifting, scores, the post area."""

from __future__ import annotations

import pytest
from lxml import etree

from copyhound.dedupe.extract.boilerplate import (
    ABSOLUTE,
    BLOCK_OVERHEAD,
    LINK_WEIGHT,
    STRONG,
    WEAK,
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


def test_surely_chrome() -> None:
    comments = _el("<div class='comments'><h1>x</h1></div>")
    assert surely_chrome(comments, ABSOLUTE, paragraphs=0)  # comments: always
    nav = _el("<nav><p>a</p></nav>")
    assert not surely_chrome(nav, STRONG, paragraphs=3)  # too few paragraphs on the page to judge
    assert surely_chrome(nav, STRONG, paragraphs=10)
    wrapper = _el("<aside>" + "<p>p</p>" * 6 + "</aside>")
    assert not surely_chrome(wrapper, STRONG, paragraphs=10)  # holds most paragraphs: may be the wrapper
    titled = _el("<aside><h1>Title</h1><p>p</p></aside>")
    assert not surely_chrome(titled, STRONG, paragraphs=10)


def test_text_length_counts_runs_of_space_once() -> None:
    assert text_length(_el("<div>a  b\n\n <span>c</span></div>")) == len("a b c")


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
