"""One FastWARC record → a `WarcPage` or a `WarcProblem` (shared by the reader and revisits)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastwarc.warc import WarcRecord

from copyhound.crawler.warc.types import WarcPage, WarcProblem

HTML_TYPES = ("text/html", "application/xhtml+xml")
# FastWARC has already decoded these (auto_decode="all"): passing them on
# would make the page's decoder inflate the body a second time.
_DECODED_HEADERS = frozenset({"content-encoding", "transfer-encoding"})


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordOptions:
    url_filter: Callable[[str], bool] | None
    max_record_bytes: int
    html_only: bool


def target_uri(rec: WarcRecord, header: str = "WARC-Target-URI") -> str:
    """The record's URI; wget 1.x writes it in angle brackets (`<http://...>`), per an early WARC 1.1 draft."""
    value = (rec.headers.get(header) or "").strip()
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value


def record_problem(rec: WarcRecord, name: str, opts: RecordOptions) -> WarcProblem | None:
    """A problem when the record must be skipped unread (too large)."""
    if rec.content_length > opts.max_record_bytes:
        return WarcProblem(
            source=name,
            offset=rec.stream_pos,
            message=f"record of {rec.content_length} bytes skipped (limit {opts.max_record_bytes})",
        )
    return None


def content_type(rec: WarcRecord) -> str:
    value = rec.http_content_type if rec.is_http_parsed else None
    return (value or "").strip().lower()


def is_html(rec: WarcRecord) -> bool:
    return content_type(rec).startswith(HTML_TYPES)


def http_headers(rec: WarcRecord) -> dict[str, str]:
    headers: dict[str, str] = {}
    if rec.http_headers is None:  # FastWARC's stub says never; records without HTTP have none
        return headers  # type: ignore[unreachable]
    for key, value in rec.http_headers.items():
        name = key.lower()
        if name in _DECODED_HEADERS:
            continue
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def page_from_record(
    rec: WarcRecord, name: str, url: str | None = None, *, warc_date: str | None = None, record_id: str | None = None,
) -> WarcPage:
    """A page from a response record whose HTTP headers are parsed (`url`,
    `warc_date`, `record_id`: its headers, when the caller read them already)."""
    status = rec.http_headers.status_code if rec.http_headers is not None else 0
    headers = http_headers(rec)
    return WarcPage(
        source=name,
        offset=rec.stream_pos,
        record_id=(rec.record_id or "") if record_id is None else record_id,
        url=target_uri(rec) if url is None else url,
        warc_date=(rec.headers.get("WARC-Date") or "") if warc_date is None else warc_date,
        status=int(status or 0),
        headers=headers,
        body=rec.reader.read(),
        content_type=headers.get("content-type", ""),
    )
