"""Reads for reports: counts and the stored clusters with their copies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database


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


def clusters(db: Database) -> list[dict[str, Any]]:
    """Every stored cluster with its copies, in a stable order."""
    rows = db.execute(
        "SELECT id, canonical_url, title, published, reason FROM clusters ORDER BY canonical_url, id"
    ).fetchall()
    members: dict[str, list[dict[str, Any]]] = {}
    cur = db.execute(
        "SELECT cluster_id, url, relation, similarity, containment, canonical_link, robots_noindex, "
        "links_to_canonical, status FROM cluster_members ORDER BY cluster_id, url"
    )
    for r in cur:
        members.setdefault(r[0], []).append(
            {
                "url": r[1],
                "relation": r[2],
                "similarity": float(r[3]),
                "containment": float(r[4]),
                "canonical_link": r[5],
                "robots_noindex": bool(r[6]),
                "links_to_canonical": bool(r[7]),
                "status": r[8],
            }
        )
    out = []
    for cid, url, title, published, reason in rows:
        copies = members.get(cid, [])
        if not copies:
            continue
        out.append(
            {
                "id": cid,
                "canonical": {"url": url, "title": title, "published": published, "reason": reason},
                "copies": copies,
            }
        )
    return out
