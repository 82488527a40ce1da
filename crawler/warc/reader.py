"""Read HTML pages out of WARC, WARC.gz, WARC.zst and ARC files, any crawler's.

`iter_pages(path_or_stream)` yields `WarcPage` for each HTML `response`
record (and each `revisit` resolved to its original) and `WarcProblem` for
anything it could not use; it never raises for a bad archive. WARC goes
through FastWARC (3.4x warcio on reads, issue 12), ARC through warcio.

After damage (a torn gzip member, a lying Content-Length, garbage between
records) the reader reports one problem at the first bad offset and resyncs
at the next gzip member (or "WARC/1." line) so the rest is still read.
Offsets are positions in the file as stored (compressed), so a caller can
resume with `start_offset` and key records by (file, offset).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from copyhound.crawler.warc import formats
from copyhound.crawler.warc.arc import arc_pages
from copyhound.crawler.warc.records import (
    HTML_TYPES,
    RecordOptions,
    is_html,
    page_from_record,
    record_problem,
    target_uri,
)
from copyhound.crawler.warc.revisits import Original, RevisitIndex
from copyhound.crawler.warc.types import RevisitOf, WarcPage, WarcProblem

Item = WarcPage | WarcProblem
UrlFilter = Callable[[str], bool]

# A web page above this is not an article: skip it without reading it (a 2 GB
# video response must not be pulled into memory).
DEFAULT_MAX_RECORD_BYTES = 20_000_000
# Each resync moves forward at least one byte and stops at the file's end; the
# cap only bounds a pathological file full of false gzip magic.
_MAX_RESYNCS = 100_000
_TYPES = WarcRecordType.response | WarcRecordType.revisit | WarcRecordType.warcinfo | WarcRecordType.request
_TYPES |= WarcRecordType.metadata | WarcRecordType.resource


@dataclass(slots=True)
class _Run:
    """Where one FastWARC pass over the file stopped, and how."""

    last_start: int | None = None
    error: str | None = None


def iter_pages(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    url_filter: UrlFilter | None = None,
    start_offset: int = 0,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    revisits: RevisitIndex | None = None,
    html_only: bool = True,
) -> Iterator[Item]:
    """HTML pages and problems of one archive, in file order.

    `revisits` may be shared across the files of one ingest so that a revisit
    finds its original in an earlier file; `start_offset` must be a record
    start (a previous `WarcPage.offset`) or 0.
    """
    opts = RecordOptions(url_filter=url_filter, max_record_bytes=max_record_bytes, html_only=html_only)
    index = revisits if revisits is not None else RevisitIndex()
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        try:
            fh: BinaryIO = open(name, "rb", buffering=1 << 20)  # noqa: SIM115 - closed below
        except OSError as exc:
            yield WarcProblem(source=name, offset=0, message=f"cannot open: {exc.strerror or exc}")
            return
        with fh:
            yield from _read_archive(fh, name, name, start_offset, opts, index)
    else:
        yield from _read_archive(source, str(getattr(source, "name", "<stream>")), None, start_offset, opts, index)


def _read_archive(
    fh: BinaryIO, name: str, path: str | None, start: int, opts: RecordOptions, index: RevisitIndex
) -> Iterator[Item]:
    try:
        fh.seek(start)
        kind = formats.sniff(fh)
        size = fh.seek(0, os.SEEK_END)
        fh.seek(start)
    except (OSError, ValueError) as exc:
        yield WarcProblem(source=name, offset=start, message=f"cannot read: {exc}")
        return
    if kind == "unknown":
        yield WarcProblem(source=name, offset=start, message="not a WARC or ARC file (no WARC/1.x or ARC header)")
        return
    if kind.startswith("arc"):
        yield from arc_pages(fh, name, opts)
        return
    yield from _read_warc(fh, name, path, kind, start, size, opts, index)


def _read_warc(
    fh: BinaryIO,
    name: str,
    path: str | None,
    kind: formats.Kind,
    start: int,
    size: int,
    opts: RecordOptions,
    index: RevisitIndex,
) -> Iterator[Item]:
    pos, in_gap = start, False
    reported: set[int] = set()  # one line per offset: a skipped huge record is also where damage starts
    for _ in range(_MAX_RESYNCS):
        run = _Run()
        for item in _one_pass(fh, name, path, pos, opts, index, run):
            if isinstance(item, WarcProblem):
                reported.add(item.offset)
            yield item
        if run.last_start is None and in_gap:
            problem_at, resume_at = None, formats.next_candidate(fh, kind, pos + 1, size)  # a false candidate
        else:
            problem_at, resume_at = _where_it_stopped(fh, kind, pos, size, run)
            in_gap = run.last_start is None
        if problem_at is not None and problem_at not in reported:
            reported.add(problem_at)
            yield WarcProblem(source=name, offset=problem_at, message=run.error or "truncated or unreadable record")
        if resume_at is None or kind == "warc.zst":
            return
        in_gap = in_gap or problem_at is not None
        pos = resume_at


def _one_pass(
    fh: BinaryIO, name: str, path: str | None, pos: int, opts: RecordOptions, index: RevisitIndex, run: _Run
) -> Iterator[Item]:
    """Records from `pos` until FastWARC stops; `run` says where and why."""
    try:
        fh.seek(pos)
        for rec in ArchiveIterator(fh, record_types=_TYPES, parse_http=False, auto_decode="all"):
            run.last_start = rec.stream_pos
            item = _item(rec, name, path, opts, index)
            if item is not None:
                yield item
    except OSError as exc:  # FastWARC reports every parse failure as OSError
        run.error = str(exc) or type(exc).__name__


def _where_it_stopped(
    fh: BinaryIO, kind: formats.Kind, pos: int, size: int, run: _Run
) -> tuple[int | None, int | None]:
    """(offset of the damage to report, offset to read on from) after a pass; (None, None) at a clean end."""
    if run.last_start is None:
        return (pos, formats.next_candidate(fh, kind, pos + 1, size)) if pos < size else (None, None)
    if kind == "warc.zst":
        return (run.last_start if run.error else None), None
    if kind == "warc.gz":
        end = formats.member_end(fh, run.last_start, size - run.last_start)
    else:
        end = formats.plain_record_end(fh, run.last_start)
    if end is None or end > size:  # torn, or a Content-Length past the end of the file
        return run.last_start, formats.next_candidate(fh, kind, run.last_start + 1, size)
    if end == size:
        return (run.last_start if run.error else None), None
    # Records follow that the pass did not reach: garbage after the last good
    # record (an error), or its Content-Length ran past its gzip member and
    # swallowed them (no error). Read on at the record boundary when there is one.
    problem_at = end if run.error else run.last_start
    return problem_at, end if formats.starts_record(fh, kind, end) else formats.next_candidate(fh, kind, end + 1, size)


def _item(rec: WarcRecord, name: str, path: str | None, opts: RecordOptions, index: RevisitIndex) -> Item | None:
    rtype = rec.record_type
    if rtype not in (WarcRecordType.response, WarcRecordType.revisit):
        return None
    url = target_uri(rec)
    if opts.url_filter is not None and not opts.url_filter(url):
        return None
    problem = record_problem(rec, name, opts)
    if problem is not None:
        return problem
    if rtype == WarcRecordType.response:
        return _response(rec, name, path, url, opts, index)
    return _revisit(rec, name, url, opts, index)


def _response(
    rec: WarcRecord, name: str, path: str | None, url: str, opts: RecordOptions, index: RevisitIndex
) -> Item | None:
    if not rec.is_http:
        return None  # a response without HTTP (dns:, whois:): nothing to extract
    rec.parse_http()
    date = rec.headers.get("WARC-Date") or ""
    digest = rec.headers.get("WARC-Payload-Digest")
    record_id = rec.record_id or ""
    index.add(Original(path, rec.stream_pos, record_id), uri=url, date=date, digest=digest)
    if opts.html_only and not is_html(rec):
        return None
    return page_from_record(rec, name, url, warc_date=date, record_id=record_id)


def _revisit(rec: WarcRecord, name: str, url: str, opts: RecordOptions, index: RevisitIndex) -> Item | None:
    ref = RevisitOf(
        profile=rec.headers.get("WARC-Profile") or "",
        refers_to_uri=target_uri(rec, "WARC-Refers-To-Target-URI") or None,
        refers_to_date=rec.headers.get("WARC-Refers-To-Date"),
        payload_digest=rec.headers.get("WARC-Payload-Digest"),
    )
    original = index.find(uri=ref.refers_to_uri or url, date=ref.refers_to_date, digest=ref.payload_digest)
    if original is None or original.source is None:
        where = "not in the files read so far" if original is None else "in a stream that cannot be re-read"
        return WarcProblem(source=name, offset=rec.stream_pos, message=f"revisit of {url}: original {where}")
    first = _read_original(original)
    if isinstance(first, WarcProblem):
        return first
    if opts.html_only and not first.content_type.startswith(HTML_TYPES):
        return None
    return WarcPage(
        source=name,
        offset=rec.stream_pos,
        record_id=rec.record_id or "",
        url=url,
        warc_date=rec.headers.get("WARC-Date") or "",
        status=first.status,
        headers=first.headers,
        body=first.body,
        content_type=first.content_type,
        revisit_of=RevisitOf(
            profile=ref.profile,
            refers_to_uri=ref.refers_to_uri,
            refers_to_date=ref.refers_to_date,
            payload_digest=ref.payload_digest,
            record_id=first.record_id,
        ),
    )


def _read_original(original: Original) -> WarcPage | WarcProblem:
    """Re-read the original response from its file (bodies are never kept in memory)."""
    assert original.source is not None
    try:
        with open(original.source, "rb") as fh:
            fh.seek(original.offset)
            for rec in ArchiveIterator(fh, record_types=WarcRecordType.response, auto_decode="all"):
                if rec.is_http:
                    rec.parse_http()
                    return page_from_record(rec, original.source)
                break
    except OSError as exc:
        return WarcProblem(source=original.source, offset=original.offset, message=f"revisit original: {exc}")
    return WarcProblem(source=original.source, offset=original.offset, message="revisit original unreadable")
