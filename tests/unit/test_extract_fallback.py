"""Recall fallbacks (issue 15): a page whose only copy of the post sits in
<noscript> or <template>, and a page where no post area is found although it
shows prose, must not come back empty."""

from __future__ import annotations

import pytest

from copyhound.dedupe.extract.fallback import baseline_text, hidden_copy_chars, unwrap_hidden_copies
from copyhound.dedupe.extract.html import parse_page
from copyhound.dedupe.extract.page import extract_page, main_text
from copyhound.dedupe.extract.textblocks import walk

PARAS = [
    "Der Hafen lag still im Morgennebel, und die Fischer prüften ihre Netze, bevor die Flut kam und alles veränderte.",
    "Am Nachmittag kamen die ersten Boote zurück; die Ladung war klein, aber niemand beklagte sich über das Wetter.",
    "Abends saßen alle im Gasthaus am Kai und erzählten von früheren Jahren, als der Hering noch in Schwärmen kam.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)


@pytest.mark.parametrize("wrapper", ["noscript", "template"])
def test_only_copy_in_hidden_element_is_read(wrapper: str) -> None:
    shell = '<html><body><nav><a href="/">Start</a></nav><div id="app">Laden…</div>'
    html = f"{shell}<{wrapper}><article><h1>Hafen</h1>{BODY}</article></{wrapper}></body></html>"
    text = main_text(html)
    for p in PARAS:
        assert p in text
    page = extract_page(html, "http://127.0.0.1/hafen/")
    assert page.posts and PARAS[-1] in page.posts[0].text


def test_noscript_pixel_beside_visible_post_changes_nothing() -> None:
    pixel = '<noscript><img src="/px.gif"> Bitte JavaScript aktivieren.</noscript>'
    html = f"<html><body><article><h1>Hafen</h1>{BODY}</article>{pixel}</body></html>"
    text = main_text(html)
    assert "JavaScript" not in text
    assert PARAS[0] in text


def test_unwrap_keeps_text_and_tails_in_order() -> None:
    root = parse_page("<html><body><div>a <noscript>b <i>c</i> d</noscript> e</div></body></html>", {}).root
    assert root is not None
    assert hidden_copy_chars(root) >= 5
    unwrap_hidden_copies(root)
    assert " ".join(root.findtext(".//div", default="").split()) == "a b"
    assert " ".join("".join(root.find(".//div").itertext()).split()) == "a b c d e"  # type: ignore[union-attr]


def test_baseline_skips_link_lists() -> None:
    menu = '<ul><li><a href="/a">Alpha</a></li><li><a href="/b">Beta</a></li></ul>'
    root = parse_page(f"<html><body>{menu}{BODY}</body></html>", {}).root
    assert root is not None
    blocks = walk(root).blocks
    text = baseline_text(blocks, [False] * len(blocks))
    assert text.split("\n\n") == PARAS
