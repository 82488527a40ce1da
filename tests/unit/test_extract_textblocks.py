"""textblocks.walk at the function level: blocks, links, chrome, scores, spans."""

from __future__ import annotations

from lxml import etree

from copyhound.dedupe.extract.boilerplate import STRONG, WEAK, block_score
from copyhound.dedupe.extract.html import parse_page
from copyhound.dedupe.extract.textblocks import WalkResult, walk

PROSE = "Copies of this sentence travel far, and the walk keeps every word of it in one block."


def _walk(body: str, *, collect_links: bool = True) -> tuple[etree._Element, WalkResult]:
    root = parse_page(f"<html><head><title>T</title></head><body>{body}</body></html>").root
    assert root is not None
    return root, walk(root, collect_links=collect_links)


def _texts(w: WalkResult) -> list[str]:
    return [b.text for b in w.blocks]


def test_one_block_per_block_element_with_its_inline_text() -> None:
    _, w = _walk("<div><p>One <b>bold</b> <em>word</em>.</p><p>Two</p>tail of div</div>")
    assert _texts(w) == ["One bold word.", "Two", "tail of div"]
    assert [b.tag for b in w.blocks] == ["p", "p", "div"]
    assert [b.index for b in w.blocks] == [0, 1, 2]


def test_skipped_and_hidden_elements_give_no_text() -> None:
    body = (
        "<p>kept<script>var x = 1;</script><span class='sr-only'>Posted on</span></p>"
        "<p style='display: none'>hidden by style</p><p hidden>hidden attribute</p>"
        "<p style='DISPLAY: None'>hidden in capitals</p><p style='color:red;visibility:\thidden'>hidden with a tab</p>"
        "<figure><img src=a.jpg><figcaption>photo credit</figcaption></figure>"
        "<figure><blockquote>quoted text</blockquote></figure>"
    )
    _, w = _walk(body)
    assert _texts(w) == ["kept", "quoted text"]


def test_br_makes_lines_and_double_br_a_paragraph_break() -> None:
    _, w = _walk("<div>first<br>second<br><br>third</div>")
    assert _texts(w) == ["first\nsecond\n\nthird"]


def test_pre_keeps_its_lines() -> None:
    _, w = _walk("<pre>a = 1\nb = 2</pre><p>x\ny</p>")
    assert _texts(w) == ["a = 1\nb = 2", "x y"]


def test_table_cells_are_spaced_and_rows_grouped() -> None:
    _, w = _walk("<table><tbody><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></tbody></table><ul><li>x</li></ul>")
    assert _texts(w) == ["a b", "c", "x"]
    table = w.blocks[0].elem.getparent().getparent()
    assert table.tag == "table"
    assert w.blocks[0].group is table and w.blocks[1].group is table  # tbody groups as its table
    assert w.blocks[2].group is not None and w.blocks[2].group.tag == "ul"


def test_links_and_link_chars_belong_to_their_block() -> None:
    _, w = _walk(
        "<p>Read <a href='/a'>the first post</a> now.</p><p><a href='/b'>b</a></p><p><a href='/img'><img></a></p>"
    )
    first, second = w.blocks
    assert first.links == ["/a"] and first.link_chars == len("the first post")
    assert second.links == ["/b"] and second.link_density == 1.0
    assert w.anchors == ["/a", "/b", "/img"]  # the image link has no block but is a page link


def test_a_link_wrapping_several_blocks_links_each() -> None:
    _, w = _walk("<a href='/card'><h2>Title</h2><p>Excerpt text.</p></a>")
    assert [(b.text, b.links) for b in w.blocks] == [("Title", ["/card"]), ("Excerpt text.", ["/card"])]


def test_headings_and_h1_collected() -> None:
    _, w = _walk("<h1>Page title</h1><h3>Sub</h3><p>text</p>")
    assert [b.heading for b in w.blocks] == [1, 3, 0]
    assert [b.text for b in w.h1] == ["Page title"]


def test_chrome_marks_recorded_on_blocks() -> None:
    _, w = _walk("<header><p>Site name</p></header><main><p>body</p></main>")
    header = w.blocks[0].chrome[0]
    assert header.tag == "header" and w.chrome_strength[header] == WEAK
    assert w.blocks[1].chrome == ()


def test_surely_chrome_subtree_is_skipped_with_its_links() -> None:
    paragraphs = "".join(f"<p>{PROSE} {i}</p>" for i in range(6))
    _, w = _walk(f"<article>{paragraphs}</article><nav><a href='/x'>x</a><a href='/y'>y</a></nav>")
    assert all(t != "x" for t in _texts(w))  # no block of the nav
    assert len(w.skipped) == 1
    skipped = w.skipped[0]
    assert skipped.elem.tag == "nav" and skipped.mark >= STRONG
    assert skipped.links == ["/x", "/y"] and skipped.position == len(w.blocks)
    assert w.anchors[-2:] == ["/x", "/y"]
    _, quiet = _walk(f"<article>{paragraphs}</article><nav><a href='/x'>x</a></nav>", collect_links=False)
    assert quiet.skipped == [] and quiet.anchors == []


def test_scores_and_spans_sum_the_blocks_of_each_element() -> None:
    root, w = _walk(f"<div id='post'><p>{PROSE}</p><p>short</p></div><div><p>menu</p></div>")
    post = root.find(".//div[@id='post']")
    assert post is not None
    assert w.span[post] == (0, 1)
    expected = block_score(PROSE, 0, 0, False) + block_score("short", 0, 0, False)
    assert w.scores[post] == expected
    body = root.find("body")
    assert w.span[body] == (0, 2)
    assert w.scores[body] == expected + block_score("menu", 0, 0, False)


def test_skipped_chrome_is_charged_to_its_container() -> None:
    paragraphs = "".join(f"<p>{PROSE}</p>" for _ in range(5))
    root, w = _walk(f"<div id='wrap'><div id='post'>{paragraphs}</div><nav>menu words</nav></div>")
    wrap, post = root.find(".//div[@id='wrap']"), root.find(".//div[@id='post']")
    assert wrap is not None and post is not None
    assert w.scores[wrap] == w.scores[post] - len("menu words")


def test_deep_nesting_does_not_overflow() -> None:
    _, w = _walk("<div>" * 250 + "deep" + "</div>" * 250)
    assert _texts(w) == ["deep"]


def test_a_figure_with_text_is_a_block_of_its_own() -> None:
    _, w = _walk("<div>before<figure><pre>code</pre>caption words</figure>after</div>")
    assert [(b.text, b.tag) for b in w.blocks] == [
        ("before", "div"), ("code", "pre"), ("caption words", "figure"), ("after", "div"),
    ]


def test_a_hidden_block_neither_ends_nor_joins_the_block_around_it() -> None:
    _, w = _walk("<div>one <div hidden>gone</div>two <p style='Display : none'>gone</p>three</div>")
    assert _texts(w) == ["one two three"]


def test_class_hides_links_and_inline_elements_but_not_blocks_or_plain_inline() -> None:
    body = (
        "<p>a <a class='sr-only' href='/x'>skip</a><span class='visually-hidden'>label</span>"
        "<b class='hidden'>bold</b> b</p><div class='d-none'>block text</div>"
    )
    _, w = _walk(body)
    assert _texts(w) == ["a bold b", "block text"]
    assert w.anchors == []


def test_text_of_comments_and_their_tails_is_skipped() -> None:
    root = etree.fromstring("<html><body><p>kept<!-- note -->lost<?pi x?>lost too</p></body></html>")
    assert [b.text for b in walk(root).blocks] == ["kept"]


def test_link_without_text_keeps_its_href_for_the_next_block() -> None:
    # an image link between blocks: its href joins the next block (nothing but the link came between)
    _, w = _walk("<p>first</p><a href='/img'><img src='i.png'></a><p>second</p>")
    assert [(b.text, b.links) for b in w.blocks] == [("first", []), ("second", ["/img"])]
    _, w = _walk("<p>first</p>\n<a href='/img'><img src='i.png'></a>\n<p>second</p>")
    assert [(b.text, b.links) for b in w.blocks] == [("first", []), ("second", [])]  # white space ended it
