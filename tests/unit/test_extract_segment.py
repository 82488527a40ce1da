"""segment at the function level: one post, <article> listings, title listings."""

from __future__ import annotations

from lxml import etree

from copyhound.dedupe.extract.boilerplate import pick_container, resolve_chrome
from copyhound.dedupe.extract.html import parse_page
from copyhound.dedupe.extract.segment import Segment, count_in, listing_area, segment
from copyhound.dedupe.extract.textblocks import WalkResult, walk

PROSE = "A paragraph long enough to be prose, with no links in it, and a few more words here."


def _segments(body: str) -> tuple[WalkResult, list[Segment]]:
    """The page's segments, the area and content chosen as extraction does."""
    root = parse_page(f"<html><body>{body}</body></html>").root
    assert root is not None
    w = walk(root)
    is_chrome, _ = resolve_chrome(w.blocks, w.chrome_strength)
    content = [
        not c and (b.heading > 0 or b.link_chars <= 0.6 * len(b.text)) for b, c in zip(w.blocks, is_chrome, strict=True)
    ]
    container = listing_area(pick_container(w.scores, root), w.blocks, w.span, w.chrome_strength)
    lo, hi = w.span.get(container, (0, len(w.blocks) - 1))
    return w, segment(w.blocks, lo, hi, container, w.span, w.chrome_strength, content)


def _text(w: WalkResult, seg: Segment) -> list[str]:
    return [w.blocks[i].text for i in seg.indexes]


def _title(w: WalkResult, seg: Segment) -> str | None:
    return w.blocks[seg.title].text if seg.title is not None else None


def test_a_post_with_unlinked_section_headings_is_one_segment() -> None:
    w, segs = _segments(f"<article><h1>Post</h1><p>{PROSE}</p><h2>Part two</h2><p>{PROSE} 2</p></article>")
    assert len(segs) == 1
    assert _title(w, segs[0]) == "Post"
    assert _text(w, segs[0]) == [PROSE, "Part two", f"{PROSE} 2"]


def test_two_articles_are_two_posts_each_with_its_area() -> None:
    body = "".join(f"<article class='x'><h2>Post {n}</h2><p>{PROSE} {n}</p></article>" for n in (1, 2))
    w, segs = _segments(f"<main>{body}</main>")
    assert [_title(w, s) for s in segs] == ["Post 1", "Post 2"]
    assert [_text(w, s) for s in segs] == [[f"{PROSE} 1"], [f"{PROSE} 2"]]
    assert all(isinstance(s.area, etree._Element) and s.area.tag == "article" for s in segs)


def test_a_post_followed_by_article_cards_is_one_post() -> None:
    cards = "".join(f"<article><h3>Card {n}</h3><p>Short teaser {n}.</p></article>" for n in (1, 2))
    post = "".join(f"<p>{PROSE} {n}</p>" for n in range(5))
    w, segs = _segments(f"<main><h1>The post</h1>{post}{cards}</main>")
    assert len(segs) == 1
    assert _title(w, segs[0]) == "The post"
    assert f"{PROSE} 0" in _text(w, segs[0]) and "Short teaser 1." not in _text(w, segs[0])


def test_linked_titles_split_a_flat_listing() -> None:
    items = "".join(f"<h2><a href='/p{n}'>Item {n}</a></h2><p>{PROSE} {n}</p><p>more {n}</p>" for n in range(3))
    w, segs = _segments(f"<div class='list'>{items}</div>")
    assert [_title(w, s) for s in segs] == ["Item 0", "Item 1", "Item 2"]
    assert _text(w, segs[1]) == [f"{PROSE} 1", "more 1"]
    assert all(s.area is None for s in segs)  # flat: runs of blocks, no element per item


def test_linked_titles_inside_item_elements_take_the_element_as_area() -> None:
    item = "<div class='card'><h2><a href='/p{n}'>Item {n}</a></h2><p>{prose} {n}</p></div>"
    items = "".join(item.format(n=n, prose=PROSE) for n in range(3))
    w, segs = _segments(f"<section>{items}</section>")
    assert [_title(w, s) for s in segs] == ["Item 0", "Item 1", "Item 2"]
    assert [s.area.get("class") if s.area is not None else None for s in segs] == ["card"] * 3


def test_unlinked_headings_split_only_items_that_say_they_are_posts() -> None:
    posts = "".join(f"<div class='post'><h2>Post {n}</h2><p>{PROSE} {n}</p></div>" for n in range(2))
    w, segs = _segments(f"<section>{posts}</section>")
    assert [_title(w, s) for s in segs] == ["Post 0", "Post 1"]
    parts = "".join(f"<div class='part'><h2>Part {n}</h2><p>{PROSE} {n}</p></div>" for n in range(2))
    w, segs = _segments(f"<section>{parts}</section>")
    assert len(segs) == 1  # sections of one post share a shape but are not posts


def test_listing_area_widens_one_item_to_its_listing() -> None:
    long_item = f"<div class='item'><h2><a href='/a'>A</a></h2><p>{PROSE} {PROSE}</p></div>"
    short_item = "<div class='item'><h2><a href='/b'>B</a></h2><p>Short.</p></div>"
    root = parse_page(f"<html><body><div id='list'>{long_item}{short_item}</div></body></html>").root
    assert root is not None
    w = walk(root)
    best = pick_container(w.scores, root)
    assert best.get("class") == "item"  # the long item wins the scoring alone
    assert listing_area(best, w.blocks, w.span, w.chrome_strength).get("id") == "list"


def test_count_in() -> None:
    assert count_in([1, 3, 5, 7], 2, 6) == 2
    assert count_in([1, 3, 5, 7], 1, 7) == 4
    assert count_in([1, 3], 4, 2) == 0
