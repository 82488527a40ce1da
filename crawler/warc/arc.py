"""ARC files (the pre-WARC format) through warcio, which FastWARC does not read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.exceptions import ArchiveLoadFailed

from copyhound.crawler.warc.records import HTML_TYPES, RecordOptions
from copyhound.crawler.warc.types import WarcPage, WarcProblem


def arc_pages(fh: BinaryIO, name: str, opts: RecordOptions) -> Iterator[WarcPage | WarcProblem]:
    """Pages of an ARC file. ARC records have no ID: (file, offset) names them."""
    records = WarcioIterator(fh, arc2warc=True)
    offset = 0
    try:
        for rec in records:
            # get_record_offset() reads the record to its end: body first, offset after.
            body = rec.content_stream().read(opts.max_record_bytes + 1) if rec.rec_type == "response" else b""
            offset = records.get_record_offset()
            if rec.rec_type != "response" or rec.http_headers is None:
                continue
            url = rec.rec_headers.get_header("WARC-Target-URI") or ""
            if opts.url_filter is not None and not opts.url_filter(url):
                continue
            if len(body) > opts.max_record_bytes:
                too_big = f"record over {opts.max_record_bytes} bytes skipped"
                yield WarcProblem(source=name, offset=offset, message=too_big)
                continue
            headers = _headers(rec.http_headers.headers)
            kind = headers.get("content-type", "").lower()
            if opts.html_only and not kind.startswith(HTML_TYPES):
                continue
            yield WarcPage(
                source=name,
                offset=offset,
                record_id=f"<urn:arc:{offset}>",
                url=url,
                warc_date=rec.rec_headers.get_header("WARC-Date") or "",
                status=int(rec.http_headers.get_statuscode() or 0),
                headers=headers,
                body=body,
                content_type=headers.get("content-type", ""),
            )
    except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
        yield WarcProblem(source=name, offset=offset, message=f"unreadable ARC record: {exc}")


def _headers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in pairs:
        name = key.lower()
        if name in ("content-encoding", "transfer-encoding"):
            continue
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out
