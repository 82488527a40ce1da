"""Decode and parse one page, once, into an lxml tree; refuse what cannot be a page.

Every later stage (boilerplate, segmentation, metadata) works on the tree made
here. Bad input never raises: `parse_page` returns a `ParseResult` whose
`error` says why there is no tree (empty, binary, enormous, unparsable).

Parser choice, measured on the 181 pages of shared/bench/extraction-scrapinghub
(pages per CPU-second, one process): lxml.html.document_fromstring(str) ~480,
lxml.etree.fromstring(utf-8 bytes, HTMLParser) ~900, selectolax/lexbor ~1,900
parse only but ~1,400 with one Python traverse. We use plain `lxml.etree` on
UTF-8 bytes: half the parse cost of lxml.html (no custom element classes),
`iterwalk` and ancestor iteration run in C, and the total extraction stays well
above the speed target (see bench/extraction_bench.sh).
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from lxml import etree

# Pages above this are refused rather than parsed: bounded time and memory.
MAX_HTML_BYTES = 12 * 1024 * 1024
# Share of control bytes in the first KiB above which the body is not text.
MAX_CONTROL_SHARE = 0.05

_CHARSET_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.I)
_CHARSET_HEADER = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.I)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")

_LOCAL = threading.local()


def _parser() -> etree.HTMLParser:
    """One parser per thread: lxml parsers (and their error logs) are not thread-safe."""
    p = getattr(_LOCAL, "parser", None)
    if p is None:
        p = _LOCAL.parser = etree.HTMLParser(
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
            no_network=True,
            encoding="utf-8",
            default_doctype=False,
        )
    return p


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The parsed root (`<html>` element) or the reason there is none."""

    root: etree._Element | None
    error: str | None = None
    # Why the tree may be incomplete (libxml2 stops nesting at 256 levels):
    # becomes the page's error if no post is found.
    warning: str | None = None


def _lookup(name: bytes | str | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def decode_body(body: bytes, headers: Mapping[str, str] | None = None) -> str:
    """Bytes to text: BOM, then strict UTF-8, then the Content-Type charset,
    then <meta charset>, then charset-normalizer's guess, then cp1252 (never fails)."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(enc, "replace")
    declared: list[str] = []
    ctype = (headers or {}).get("content-type", "")
    m = _CHARSET_HEADER.search(ctype)
    if m and (named := _lookup(m.group(1))):
        declared.append(named)
    m2 = _CHARSET_META.search(body[:4096])
    if m2 and (named := _lookup(m2.group(1))):
        declared.append(named)
    # Strict UTF-8 first: text in a legacy single-byte or CJK encoding almost
    # never decodes as valid UTF-8, while servers that label UTF-8 pages
    # ISO-8859-1 by default are common (the header would win and garble them).
    for enc in ["utf-8", *declared]:
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        if len(body) < 512:  # too little text for a statistical guess
            raise ValueError
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None and best.encoding:
            return body.decode(best.encoding, "replace")
    except Exception:  # a guesser failure must not fail the page
        pass
    return body.decode(declared[0] if declared else "cp1252", "replace")


# libxml2 checks each new attribute against the element's others: a tag with
# 200,000 attributes takes minutes to parse. Tags this long are looked at, and
# their attributes dropped when there are more than MAX_ATTRIBUTES of them.
_LONG_TAG_CHARS = 8192
MAX_ATTRIBUTES = 1000
# Parsing stays fast below ~20,000 attributes on one element (0.65 s at 20,000),
# and a page with fewer "=" in all cannot hold such an element.
FLOOD_MIN_EQUALS = 20_000
_LONG_TAG = re.compile(r"<([a-zA-Z][\w:-]{0,40})(\s[^<>]{" + str(_LONG_TAG_CHARS) + r",})>")


def _strip_attribute_flood(m: re.Match[str]) -> str:
    return f"<{m.group(1)}>" if m.group(2).count("=") > MAX_ATTRIBUTES else m.group(0)


def _equals_signs(data: bytes) -> int:
    """How many "=" the UTF-8 page holds (as many as its text: no multi-byte
    sequence holds an ASCII byte). One vectorised compare: str.count goes a
    character at a time, 13 ms over the 181 benchmark pages, 2.5% of extraction."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == _EQUALS))


_EQUALS = ord("=")


def parse_page(html: str | bytes, headers: Mapping[str, str] | None = None) -> ParseResult:
    """Parse a page into an lxml tree, or say why it cannot be one."""
    if html is None or len(html) == 0:
        return ParseResult(None, "empty document")
    if len(html) > MAX_HTML_BYTES:
        return ParseResult(None, f"document too large ({len(html)} > {MAX_HTML_BYTES} bytes)")
    if isinstance(html, bytes):
        head = html[:1024]
        if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and (
            b"\x00" in head or len(_CONTROL.findall(head)) > MAX_CONTROL_SHARE * len(head)
        ):
            return ParseResult(None, "binary content, not HTML")
        text = decode_body(html, headers)
    else:
        text = html
        if "\x00" in text[:1024]:
            return ParseResult(None, "binary content, not HTML")
    if not text or text.isspace():  # (stops at the first letter; strip() may copy the page)
        return ParseResult(None, "empty document")
    data = text.encode("utf-8", "replace")
    if _equals_signs(data) > FLOOD_MIN_EQUALS:  # cheap pre-check: the regex costs 0.4 ms a page
        data = _LONG_TAG.sub(_strip_attribute_flood, text).encode("utf-8", "replace")
    parser = _parser()
    try:
        # None for a document without elements (the HTML parser recovers), whatever the stubs say
        root: etree._Element | None = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        return ParseResult(None, f"unparsable HTML: {exc}".splitlines()[0][:200])
    if root is None:
        return ParseResult(None, "unparsable HTML: no root element")
    warning = None
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "depth" in entry.message:
            warning = "document nested too deeply (over 256 levels); no post text found"
            break
    return ParseResult(root, warning=warning)
