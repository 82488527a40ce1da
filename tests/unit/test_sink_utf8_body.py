"""The sink hashes the fetched bytes as they are when they are the page's
text in UTF-8 already: the stored body hash must be the same as when it
encodes the decoded text again, whatever the charset and BOM."""

from __future__ import annotations

import codecs

import pytest

from copyhound.crawler.warc.results import to_fetch_result
from copyhound.crawler.warc.types import WarcPage
from copyhound.stages.page_sink import _as_utf8, _extract
from copyhound.store.pages import body_hash

TEXT = "<html><head><title>Crème brûlée</title></head><body><p>Ünïcödé — “quotes” 東京</p></body></html>"
CASES = {
    "utf-8 declared": ("text/html; charset=utf-8", TEXT.encode("utf-8")),
    "utf-8 undeclared": ("text/html", TEXT.encode("utf-8")),
    "ascii": ("text/html", b"<html><body><p>plain words only</p></body></html>"),
    "utf-8 labelled latin-1": ("text/html; charset=iso-8859-1", TEXT.encode("utf-8")),
    "latin-1": ("text/html; charset=iso-8859-1", "<p>Crème brûlée à la carte</p>".encode("latin-1")),
    "utf-8 bom": ("text/html", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
    "utf-16 bom": ("text/html", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
    "broken utf-8 declared": ("text/html; charset=utf-8", TEXT.encode("utf-8")[:-40] + b"\xff\xfe<p>x</p>"),
    "cp1252 guessed": ("text/html", ("<p>Caf\u00e9 na\u00efve \u2014 r\u00e9sum\u00e9 " * 20).encode("cp1252")),
    "ascii sample, utf-8 after": ("text/html", b"<p>" + b"plain " * 2000 + "caf\u00e9".encode("cp1252") + b"</p>"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_hashed_bytes_are_the_text_in_utf8(name: str) -> None:
    content_type, body = CASES[name]
    page = WarcPage(source="t.warc", offset=0, record_id="<urn:x>", url="http://a.test/p/",
                    warc_date="2024-01-01T00:00:00Z", status=200, headers={"content-type": content_type}, body=body,
                    content_type=content_type)
    result = to_fetch_result(page, max_body_bytes=1 << 20)
    assert result is not None and result.text is not None
    reencoded = result.text.encode("utf-8", "replace")
    same = _as_utf8(result)
    assert same is None or same == reencoded
    parsed = _extract(result.text, result.url, dict(result.headers), False, same)
    assert parsed.prepared.body_hash == body_hash(reencoded)


def test_plain_utf8_and_ascii_pages_are_not_encoded_again() -> None:
    for name in ("utf-8 declared", "utf-8 undeclared", "ascii", "utf-8 labelled latin-1"):
        content_type, body = CASES[name]
        page = WarcPage(source="t.warc", offset=0, record_id="", url="http://a.test/", warc_date="", status=200,
                        headers={"content-type": content_type}, body=body, content_type=content_type)
        result = to_fetch_result(page, max_body_bytes=1 << 20)
        assert result is not None and _as_utf8(result) is body, name
