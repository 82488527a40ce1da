"""WARC records as plain values, read with FastWARC.

A stand-in with the interface of the WARC reader (`crawler/warc/reader.py`,
branch `warc`): an iterator of frozen `WarcPage` values, and one `WarcProblem`
when a file cannot be read to its end. To be replaced by that reader when it
lands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

MAX_BODY_BYTES = 10 * 1024 * 1024  # the crawl's default page cap: larger bodies are cut, as a crawl would


@dataclass(frozen=True, slots=True, kw_only=True)
class WarcPage:
    url: str
    warc_date: str
    record_id: str
    offset: int
    status: int
    headers: tuple[tuple[str, str], ...]  # HTTP response headers, names lower-cased
    body: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class WarcProblem:
    path: str
    offset: int
    message: str


def read_warc(stream: BinaryIO, path: str) -> Iterator[WarcPage | WarcProblem]:
    """The HTTP response records of one WARC file, in file order; a read
    error ends the file with one `WarcProblem` (the records before it stand)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    offset = 0
    records = 0
    try:
        for rec in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True):
            offset = rec.stream_pos
            http = rec.http_headers
            if http is None:
                continue
            uri = rec.headers.get("WARC-Target-URI") or ""
            records += 1
            yield WarcPage(
                url=uri.strip("<>"),
                warc_date=rec.headers.get("WARC-Date") or "",
                record_id=rec.record_id or "",
                offset=offset,
                status=int(http.status_code or 0),
                headers=tuple((k.lower(), v) for k, v in http),
                body=rec.reader.read(MAX_BODY_BYTES),
            )
    except Exception as e:  # FastWARC raises its own and OSError types; the file is reported, the job goes on
        yield WarcProblem(path=path, offset=offset, message=f"{type(e).__name__}: {e}"[:300])
        return
    # FastWARC stops quietly at bytes it cannot parse: a file left unread, or
    # one with no record at all, is reported rather than taken as complete
    leftover = stream.read(1)
    if leftover or (records == 0 and _size(stream) > 0):
        yield WarcProblem(path=path, offset=offset, message="not a WARC file, or corrupt after this offset")


def _size(stream: BinaryIO) -> int:
    try:
        return stream.seek(0, 2)
    except (OSError, AttributeError, ValueError):
        return 0


__all__ = ["WarcPage", "WarcProblem", "read_warc"]
