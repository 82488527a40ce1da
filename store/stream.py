"""Copies read one row at a time for reports that stream (CSV, jsonl): a
cursor over clusters joined with their copies, in the JSON report's order
(canonical URL, cluster id, copy URL), never the whole set in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True, kw_only=True)
class CopyRow:
    cluster_id: str
    canonical_url: str
    canonical_title: str | None
    canonical_published: str | None
    canonical_reason: str
    url: str
    relation: str
    similarity: float
    containment: float
    canonical_link: str | None
    robots_noindex: bool
    links_to_canonical: bool
    status: str


_SQL = (
    "SELECT c.id, c.canonical_url, c.title, c.published, c.reason, m.url, m.relation, m.similarity, "
    "m.containment, m.canonical_link, m.robots_noindex, m.links_to_canonical, m.status "
    "FROM clusters c JOIN cluster_members m ON m.cluster_id = c.id "
    "ORDER BY c.canonical_url, c.id, m.url"
)
FETCH_ROWS = 2_000  # rows per fetchmany: memory stays flat, Python overhead low


def iter_copies(db: Database) -> Iterator[CopyRow]:
    cur = db.execute(_SQL)
    while rows := cur.fetchmany(FETCH_ROWS):
        for r in rows:
            yield CopyRow(
                cluster_id=r[0], canonical_url=r[1], canonical_title=r[2], canonical_published=r[3],
                canonical_reason=r[4], url=r[5], relation=r[6], similarity=float(r[7]),
                containment=float(r[8]), canonical_link=r[9], robots_noindex=bool(r[10]),
                links_to_canonical=bool(r[11]), status=r[12],
            )


__all__ = ["CopyRow", "iter_copies"]
