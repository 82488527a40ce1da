"""Hostile and random input: extraction never raises and stays bounded."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copyhound.dedupe import main_text
from copyhound.dedupe.extract.page import extract_page
from copyhound.dedupe.types import ExtractedPage

TAGS = ["div", "p", "a", "article", "h2", "span", "ul", "li", "table", "td", "nav", "br", "script", "figure"]
ATTRS = ["", ' class="post"', ' class="comments"', ' href="/x"', " hidden", ' style="display:none"', ' id="main"']


def _check(ep: ExtractedPage) -> None:
    assert isinstance(ep, ExtractedPage)
    if not ep.posts:
        assert ep.error
    for post in ep.posts:
        assert post.text.strip()
        assert post.kind in ("post", "teaser")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_random_bytes(body: bytes) -> None:
    _check(extract_page(body, "http://fuzz.example/"))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_random_text(body: str) -> None:
    _check(extract_page(body, "http://fuzz.example/p"))
    assert isinstance(main_text(body), str)


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)))
    return "".join(parts)


@settings(max_examples=200, deadline=None)
@given(tag_soup(), st.sampled_from(["http://soup.example/a/b", "", "not a url", "http://[::1]:80/x"]))
def test_tag_soup_never_raises(html: str, url: str) -> None:
    _check(extract_page(html, url, {"link": "<%>; rel=canonical", "x-robots-tag": "googlebot:"}))


def test_attribute_flood_is_bounded() -> None:
    # libxml2 checks attributes pairwise: 200,000 on one tag would parse for minutes
    html = "<html><body><div " + " ".join(f'a{i}="{i}"' for i in range(200_000)) + ">the post text</div></body></html>"
    t0 = time.monotonic()
    ep = extract_page(html, "http://flood.example/")
    assert time.monotonic() - t0 < 10
    assert ep.posts[0].text == "the post text"


def test_huge_listing_is_linear() -> None:
    items = "".join(
        f'<div class="item"><h2><a href="/p{i}">Item number {i}</a></h2><p>{"word " * 40}end {i}.</p></div>'
        for i in range(3000)
    )
    t0 = time.monotonic()
    ep = extract_page(f"<html><body><main>{items}</main></body></html>", "http://big.example/")
    assert time.monotonic() - t0 < 10
    assert len(ep.posts) == 3000
    assert ep.posts[2999].title == "Item number 2999"
    assert ep.posts[2999].text.endswith("end 2999.")
