"""parse_page's attribute-flood guard: the "=" count that decides it is the
page text's own, counted on the UTF-8 bytes (non-ASCII text included)."""

from __future__ import annotations

import pytest

from copyhound.dedupe.extract.html import FLOOD_MIN_EQUALS, MAX_ATTRIBUTES, _equals_signs, parse_page


@pytest.mark.parametrize("text", ["", "a=b", "é=ü=日本=😀=", "=" * 10_000, "\ud800=\udfff"])
def test_equals_signs_counts_the_text_s_own(text: str) -> None:
    assert _equals_signs(text.encode("utf-8", "replace")) == text.count("=")


def _flood_page(extra_equals: int) -> str:
    """One <div> with more than MAX_ATTRIBUTES attributes on a tag over 8 KiB,
    and the rest of the page's "=" in non-ASCII text."""
    attrs = " ".join(f'a{i}="ü{i}"' for i in range(MAX_ATTRIBUTES + 1))
    filler = "é=日" * extra_equals
    return f"<html><body><div {attrs}>post</div><p>{filler}</p></body></html>"


@pytest.mark.parametrize(("over", "stripped"), [(0, False), (1, True)])
def test_flood_guard_threshold(over: int, stripped: bool) -> None:
    html = _flood_page(FLOOD_MIN_EQUALS - (MAX_ATTRIBUTES + 1) + over)
    assert html.count("=") == FLOOD_MIN_EQUALS + over
    root = parse_page(html).root
    assert root is not None
    div = root.find("body/div")
    assert div is not None
    assert len(div.attrib) == (0 if stripped else MAX_ATTRIBUTES + 1)
    assert div.text == "post"
