"""Reads for reports: counts and the stored clusters with their copies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from sqlite_utils import Database

from copyhound.store.sql import named_rows


@contextmanager
def read_snapshot(db: Database) -> Iterator[None]:
    """Every read of one report inside one read transaction. A crawl may
    commit meanwhile (WAL lets it): without this, the clusters, their copies
    and the counts are read at different moments and a report can mix the
    clusters before a re-crawl's replacement with the counts after it."""
    db.execute("BEGIN")
    try:
        yield
    finally:
        db.execute("COMMIT")  # nothing was written: this only ends the read


def counts(db: Database) -> dict[str, int]:
    """Pages fetched and parsed (holding content, not gone) and the posts on them."""
    pages = db.execute(
        "SELECT count(*) FROM pages WHERE body_hash IS NOT NULL AND gone = 0"
    ).fetchone()[0]
    posts = db.execute(
        "SELECT count(*) FROM posts JOIN pages ON pages.id = posts.page_id "
        "WHERE posts.kind = 'post' AND pages.gone = 0"
    ).fetchone()[0]
    failed = db.execute("SELECT count(*) FROM pages WHERE error_kind IS NOT NULL").fetchone()[0]
    return {"pages": int(pages), "posts": int(posts), "failed": int(failed)}


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredCopy:
    """A `cluster_members` row as the report shows it."""

    url: str
    relation: str
    similarity: float
    containment: float
    canonical_link: str | None
    robots_noindex: bool
    links_to_canonical: bool
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredCluster:
    id: str
    canonical_url: str
    title: str | None
    published: str | None
    reason: str
    copies: tuple[StoredCopy, ...]


def stored_copy(url: str, relation: str, similarity: float, containment: float, canonical_link: str | None,
          robots_noindex: int, links_to_canonical: int, status: str) -> StoredCopy:
    return StoredCopy(url=url, relation=relation, similarity=float(similarity), containment=float(containment),
                      canonical_link=canonical_link, robots_noindex=bool(robots_noindex),
                      links_to_canonical=bool(links_to_canonical), status=status)


def clusters(db: Database) -> list[StoredCluster]:
    """Every stored cluster that has copies, with its copies, in a stable order
    (clusters by canonical URL, copies by URL)."""
    members: dict[str, list[StoredCopy]] = {}
    cur = db.execute(
        "SELECT cluster_id, url, relation, similarity, containment, canonical_link, robots_noindex, "
        "links_to_canonical, status FROM cluster_members ORDER BY cluster_id, url"
    )
    names = [d[0] for d in cur.description]
    for row in cur:
        cols = dict(zip(names, row, strict=True))
        members.setdefault(cols.pop("cluster_id"), []).append(stored_copy(**cols))
    cur = db.execute("SELECT id, canonical_url, title, published, reason FROM clusters ORDER BY canonical_url, id")
    return [replace(c, copies=tuple(members[c.id])) for c in named_rows(cur, bare_cluster) if members.get(c.id)]


def bare_cluster(id: str, canonical_url: str, title: str | None, published: str | None, reason: str) -> StoredCluster:
    return StoredCluster(id=id, canonical_url=canonical_url, title=title, published=published, reason=reason,
                         copies=())


__all__ = ["StoredCluster", "StoredCopy", "bare_cluster", "clusters", "counts", "read_snapshot", "stored_copy"]
