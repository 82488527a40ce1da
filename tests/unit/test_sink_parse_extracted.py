"""The hunt stores a copy with the extraction its verification made
(`extract_fetched`, then `StoreSink.parse_extracted`): that must be what the
sink's own `parse` would have stored, for any charset, BOM or status."""

from __future__ import annotations

import asyncio

import pytest
from sqlite_utils import Database

from copyhound.crawler.warc.results import to_fetch_result
from copyhound.crawler.warc.types import WarcPage
from copyhound.stages.page_sink import StoreSink, extract_fetched
from tests.unit.test_sink_utf8_body import CASES

POST = ("<html><head><title>T</title><link rel=canonical href='/orig/'></head><body><nav><a href='/'>Home</a></nav>"
        "<article><h1><a href='/p/1/'>One</a></h1><p>" + "word " * 120 + "</p></article></body></html>")
PAGES = {**CASES, "post with canonical": ("text/html", POST.encode())}


def _page(content_type: str, body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> WarcPage:
    return WarcPage(source="t.warc", offset=0, record_id="<urn:x>", url="http://a.test/dir/p/?utm_source=x",
                    warc_date="2024-01-01T00:00:00Z", status=status,
                    headers={"content-type": content_type, **(headers or {})}, body=body, content_type=content_type)


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_extracted_beforehand_parses_as_the_sink_parses_it(name: str) -> None:
    result = to_fetch_result(_page(*PAGES[name]), max_body_bytes=1 << 20)
    assert result is not None
    extracted = extract_fetched(result)
    assert extracted is not None
    sink = StoreSink(Database(memory=True), None, 1)
    given, own = sink.parse_extracted(result, extracted), asyncio.run(sink.parse(result))
    assert given == own
    assert given.payload.extracted is extracted  # type: ignore[union-attr]  # not extracted a second time


@pytest.mark.parametrize(("status", "headers", "body"), [
    (301, {"location": "/elsewhere/"}, b""), (404, {}, POST.encode()), (200, {}, b"\x00\x01\x02" * 400),
])
def test_a_page_the_sink_would_not_extract_is_not_extracted(status: int, headers: dict[str, str], body: bytes) -> None:
    result = to_fetch_result(_page("text/html", body, status, headers), max_body_bytes=1 << 20)
    assert result is not None
    assert extract_fetched(result) is None
