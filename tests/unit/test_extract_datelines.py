"""Datelines at either end of a post are not its text: a short line that is
mostly digits, or one holding a <time> ("Dec 2, 2023 by Chiyo Marsh")."""

from __future__ import annotations

from copyhound.dedupe.extract.page import extract_page

BODY = ("A stubborn chimney gathers that printer beside one distant baker. Every humble lighthouse carries "
        "every lighthouse after the gentle ladder and the restless workshop down by the river.")


def _page(meta: str, tail: str = "") -> str:
    return f"""<html><head><title>A short post</title></head><body><main><article class="h-entry">
      <h1 class="p-name">A short post</h1>{meta}
      <div class="e-content"><p>{BODY}</p><p>{BODY} Again.</p></div>{tail}</article></main></body></html>"""


def test_a_byline_with_a_time_element_is_no_post_text() -> None:
    meta = '<p><time class="dt-published" datetime="2023-12-02T13:05:00Z">Dec 2, 2023</time> by Chiyo Marsh</p>'
    ep = extract_page(_page(meta), "https://partner.example/2023/12/02/a-short-post.html")
    assert ep.posts[0].text == f"{BODY}\n\n{BODY} Again."


def test_a_short_sentence_without_a_date_stays() -> None:
    ep = extract_page(_page("<p>Written on the ferry by Chiyo.</p>"), "https://partner.example/p.html")
    assert ep.posts[0].text.startswith("Written on the ferry by Chiyo.")


def test_a_long_paragraph_with_a_time_element_stays() -> None:
    tail = f'<p>Updated on <time datetime="2024-01-05">5 January 2024</time>: {BODY}</p>'
    ep = extract_page(_page("", tail), "https://partner.example/p.html")
    assert ep.posts[0].text.endswith(BODY)
