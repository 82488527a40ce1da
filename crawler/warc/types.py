"""Values the WARC reader hands out: a page, or a problem with its place in the file.

Problems are values, not exceptions, so one bad record never stops a read of
the rest of an archive (issue 12: "one line naming the file and offset").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class RevisitOf:
    """Where a `revisit` record's content came from.

    `record_id` is the original's WARC-Record-ID once resolved, `None` when the
    original was not found (then the revisit is reported as a problem instead).
    """

    profile: str
    refers_to_uri: str | None
    refers_to_date: str | None
    payload_digest: str | None
    record_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WarcPage:
    """One HTTP response held in an archive (a `response`, or a resolved `revisit`).

    `offset` is the record's first byte in the (compressed) file: with the
    file name it identifies the record when WARC-Record-ID is missing (ARC).
    `headers` are the HTTP response headers, names lower-cased, repeated
    headers joined with ", ". For a revisit, status, headers and body are the
    original's and `revisit_of` says which record that was.
    """

    source: str
    offset: int
    record_id: str
    url: str
    warc_date: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    content_type: str
    revisit_of: RevisitOf | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WarcProblem:
    """A record or byte range the reader could not use, and why (one line)."""

    source: str
    offset: int
    message: str

    def line(self) -> str:
        return f"{self.source}: offset {self.offset}: {self.message}"
