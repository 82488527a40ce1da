"""Revisit records across WARC files, inside the Spark job.

`copyhound ingest` resolves a `revisit` to its original through an index
shared by every file it reads; the Spark job reads one file a task, so the
reader's index (`DeferredIndex`) resolves nothing: it notes each response's
lookup keys (`Origin`, carried on its `PageFacts` or alone) and turns each revisit
into a `PendingRevisit`. Both travel in the host shuffle, keyed by the host
of the URL the revisit refers to, and `resolve` finds each revisit's original
among that host's responses by ingest's rules: WARC-Refers-To-Target-URI and
-Date first, the payload digest second, the URI's latest capture last, always
a response stored before the revisit (a smaller page id, as ingest's index
only holds what it has read). The original's body is read again from its
file, as ingest's reader does; the revisit is then a page like any other.

Not resolved (reported as ingest's reader reports a revisit it cannot place):
an original on another host (a digest revisit of another site's URL). Unlike
ingest's index, which keeps its last 100,000 keys (three a response), nothing is forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from copyhound.crawler.warc import RevisitIndex, RevisitOf, WarcPage, WarcProblem
from copyhound.crawler.warc.records import HTML_TYPES, page_from_record, target_uri
from copyhound.crawler.warc.revisits import Key, Original, lookup_keys, response_keys
from copyhound.spark.records import ID_BITS_RECORD, Origin, page_facts


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingRevisit:
    page_id: int
    offset: int
    uri: str  # WARC-Refers-To-Target-URI, else the revisit's own URI: where its original is
    date: str | None
    digest: str | None
    problem: WarcProblem  # the reader's line, reported if no original is found


class DeferredIndex(RevisitIndex):
    """A reader's revisit index that keeps nothing: the last response's keys
    and the last revisit's lookup, for `input.read_file` to pick up."""

    # RevisitIndex's own table stays empty: `add` and `find` below never touch it

    def __init__(self, file: int) -> None:
        super().__init__(max_entries=0)
        self.file = file
        self.added: list[Origin] = []
        self.missed: tuple[str | None, str | None, str | None] | None = None

    def add(self, original: Original, *, uri: str, date: str, digest: str | None) -> None:
        self.added.append(Origin(file=self.file, offset=original.offset, uri=uri, date=date, digest=digest))

    def find(self, *, uri: str | None, date: str | None, digest: str | None) -> Original | None:
        self.missed = (uri, date, digest)
        return None


def _originals(origins: Iterable[Origin]) -> dict[Key, list[Origin]]:
    by_key: dict[Key, list[Origin]] = {}
    for o in sorted(origins, key=lambda o: (o.file, o.offset)):
        for key in response_keys(o.uri, o.date, o.digest):
            by_key.setdefault(key, []).append(o)
    return by_key


def _before(found: list[Origin], place: tuple[int, int]) -> Origin | None:
    """The last response read before `place` (file, offset): the list is in file order."""
    earlier = [o for o in found if (o.file, o.offset) < place]
    return earlier[-1] if earlier else None


def resolve(pending: Sequence[PendingRevisit], origins: Iterable[Origin], files: Sequence[str]) -> Iterator[Any]:
    """Each pending revisit as the page facts ingest would store, or its problem
    (nothing for a revisit ingest would not store either: not HTML, say)."""
    if not pending:
        return
    by_key = _originals(origins)
    for rev in pending:
        place = (rev.page_id >> ID_BITS_RECORD, rev.offset)
        original = None
        for key in lookup_keys(rev.uri, rev.date, rev.digest):
            original = _before(by_key.get(key, []), place)
            if original is not None:
                break
        if original is None:
            yield rev.problem
            continue
        page = _revisit_page(files[place[0]], rev, files[original.file], original.offset)
        if isinstance(page, WarcProblem):
            yield page
        elif page is not None:
            resolved = page_facts(page, rev.page_id)
            if resolved is not None:
                yield resolved


def _open(path: str) -> BinaryIO:
    if "://" not in path or path.startswith("file://"):
        return open(path.removeprefix("file://"), "rb")
    from copyhound.spark.input import open_remote

    return open_remote(path)


def _revisit_page(path: str, rev: PendingRevisit, original_path: str, original_offset: int) -> Any:
    """The revisit as the reader makes a resolved one: its own URI, date and id, the original's response."""
    try:
        with _open(original_path) as fh:
            fh.seek(original_offset)
            first = next(iter(ArchiveIterator(fh, record_types=WarcRecordType.response, auto_decode="all")), None)
            if first is None or not first.is_http:
                return WarcProblem(source=original_path, offset=original_offset, message="revisit original unreadable")
            first.parse_http()
            original = page_from_record(first, original_path)
        with _open(path) as fh:
            fh.seek(rev.offset)
            rec = next(iter(ArchiveIterator(fh, record_types=WarcRecordType.revisit, parse_http=False)), None)
            if rec is None:
                return rev.problem
            return _as_page(rec, path, rev.offset, original)
    except OSError as exc:
        return WarcProblem(source=original_path, offset=original_offset, message=f"revisit original: {exc}")


def _as_page(rec: Any, path: str, offset: int, original: WarcPage) -> WarcPage | None:
    if not original.content_type.startswith(HTML_TYPES):
        return None
    ref = RevisitOf(profile=rec.headers.get("WARC-Profile") or "",
                    refers_to_uri=target_uri(rec, "WARC-Refers-To-Target-URI") or None,
                    refers_to_date=rec.headers.get("WARC-Refers-To-Date"),
                    payload_digest=rec.headers.get("WARC-Payload-Digest"), record_id=original.record_id)
    return WarcPage(source=path, offset=offset, record_id=rec.record_id or "", url=target_uri(rec),
                    warc_date=rec.headers.get("WARC-Date") or "", status=original.status, headers=original.headers,
                    body=original.body, content_type=original.content_type, revisit_of=ref)


__all__ = ["DeferredIndex", "PendingRevisit", "resolve"]
