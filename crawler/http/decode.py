"""Bounded body decoding: content-encoding and charset.

Decompression is done here rather than by httpx so that output is capped per
chunk: a gzip bomb (kilobytes in, gigabytes out) stops at `max_bytes`
instead of expanding a whole network chunk in memory. The charset comes from
the BOM, then the Content-Type header, then `<meta charset>`, then detection
(charset-normalizer).
"""

from __future__ import annotations

import codecs
import re
import zlib

from charset_normalizer import from_bytes

from copyhound.crawler.errors import BodyRejected

__all__ = ["BodyDecoder", "decode_html", "looks_binary", "parse_content_type"]

ACCEPT_ENCODING = "gzip, deflate"  # only what we can decompress with a bound
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{1,40})""", re.I)
_DETECT_BYTES = 200_000  # charset detection looks at this much of the body
_WEB_DEFAULT = codecs.lookup("cp1252").name
WEB_DEFAULT_SLACK = 0.05  # chaos (0..1) windows-1252 may lose by and still be chosen
_SINGLE_BYTE = frozenset(codecs.lookup(n).name for n in ("latin-1", "cp1252", "ascii", "iso-8859-15"))
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


class BodyDecoder:
    """Undo a Content-Encoding chunk by chunk, never producing more than asked."""

    def __init__(self, encoding: str) -> None:
        enc = encoding.strip().lower()
        self._raw_deflate = False
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj()
            self._raw_deflate = True  # may turn out to be raw deflate (no zlib header)
        else:
            raise BodyRejected("decode", f"unsupported Content-Encoding {encoding!r}")

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded bytes of `data`, at most `room + 1` (one more than the
        caller accepts, so it can tell the cap was passed)."""
        if self._z is None:
            return data
        try:
            out = self._z.decompress(data, room + 1)
        except zlib.error as e:
            if self._raw_deflate:
                self._raw_deflate = False
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, room)
            raise BodyRejected("decode", f"corrupt compressed body: {e}") from e
        self._raw_deflate = False
        if self._z.unconsumed_tail:  # output hit the cap with input left over
            return out + b"\0"
        return out

    def flush(self, room: int) -> bytes:
        if self._z is None:
            return b""
        try:
            return self._z.flush(room + 1) if room >= 0 else b""
        except zlib.error as e:
            raise BodyRejected("decode", f"corrupt compressed body: {e}") from e


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """`text/html; charset=UTF-8` → ("text/html", "utf-8")."""
    if not value:
        return None, None
    parts = value.split(";")
    mime = parts[0].strip().lower() or None
    charset = None
    for p in parts[1:]:
        k, _, v = p.partition("=")
        if k.strip().lower() == "charset":
            charset = v.strip().strip("\"'").lower() or None
    return mime, charset


def looks_binary(body: bytes) -> bool:
    """Bytes no HTML page has: NULs early on (images, archives labelled text/html)."""
    head = body[:1024]
    return b"\0" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """The page text and the charset it was decoded with."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace"), name
    declared = [c for c in (_codec(header_charset), _meta_charset(body)) if c]
    for cs in declared:
        if cs in _SINGLE_BYTE and not body.isascii():
            # Pages labelled latin-1 but written in UTF-8 are common; valid
            # multi-byte UTF-8 is almost never an accident in legacy text.
            try:
                return body.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        try:
            return body.decode(cs), cs
        except (UnicodeDecodeError, LookupError):
            continue  # the declaration lies; try the next source
    if body.isascii():
        return body.decode("ascii"), "ascii"
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    cs = _detect(body[:_DETECT_BYTES])
    return body.decode(cs, errors="replace"), cs


def _detect(sample: bytes) -> str:
    """charset-normalizer's pick, biased to windows-1252: it is the legacy
    default the web falls back to (WHATWG), and short Western text that lies
    about being UTF-8 often scores a hair better as cp1257 or cp1250
    ('Crème brûlée' read as 'Crčme brūlée'). A clearly better fit (KOI8-R
    Russian, Shift_JIS...) still wins."""
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return "utf-8"
    web_default = next((m for m in matches if _codec(m.encoding) == _WEB_DEFAULT), None)
    if web_default is not None and web_default.chaos <= best.chaos + WEB_DEFAULT_SLACK:
        return _WEB_DEFAULT
    return _codec(best.encoding) or "utf-8"


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body, 0, 4096)
    return _codec(m.group(1).decode("ascii")) if m else None
