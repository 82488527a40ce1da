"""Stored clusters and their members, and the per-run snapshot of copies.

Clusters are derived state: `replace_clusters` swaps a set of them in one
transaction, so a report never sees half an update.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from copyhound.dedupe.types import Cluster
from copyhound.store.sql import chunks, marks
from copyhound.store.temp_sets import temp_ints


def _member_rows(c: Cluster) -> list[tuple[object, ...]]:
    return [
        (c.id, cp.post_id, cp.page_id, cp.url, cp.relation, cp.similarity, cp.containment,
         cp.canonical_link, int(cp.robots_noindex), int(cp.links_to_canonical), cp.status)
        for cp in c.copies
    ]


def replace_clusters(
    db: Database, clusters: Sequence[Cluster], *, run_id: int | None, remove: Iterable[str] | None = None
) -> None:
    """Write `clusters` (replacing rows with the same ids) and delete the
    clusters in `remove`; with `remove=None`, every other cluster is deleted."""
    with db.atomic():
        if remove is None:
            db.execute("DELETE FROM cluster_members")
            db.execute("DELETE FROM clusters")
        else:
            for chunk in chunks(list({*remove, *(c.id for c in clusters)})):
                db.execute(f"DELETE FROM cluster_members WHERE cluster_id IN ({marks(len(chunk))})", chunk)
                db.execute(f"DELETE FROM clusters WHERE id IN ({marks(len(chunk))})", chunk)
        db.conn.executemany(
            "INSERT INTO clusters(id, canonical_post_id, canonical_page_id, canonical_url, title, published, "
            "reason, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.id, c.canonical_post_id, c.canonical_page_id, c.canonical_url, c.title, c.published, c.reason,
              run_id) for c in clusters],
        )
        db.conn.executemany(
            "INSERT INTO cluster_members(cluster_id, post_id, page_id, url, relation, similarity, containment, "
            "canonical_link, robots_noindex, links_to_canonical, status) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [row for c in clusters for row in _member_rows(c)],
        )


def snapshot_run(db: Database, run_id: int) -> int:
    """Copy the current clusters' copies into `run_copies` for `run_id`; rows written."""
    with db.atomic():
        db.execute("DELETE FROM run_copies WHERE run_id = ?", [run_id])
        cur = db.execute(
            "INSERT INTO run_copies(run_id, cluster_id, canonical_url, url, relation, status, similarity, "
            "canonical_link) SELECT ?, c.id, c.canonical_url, m.url, m.relation, m.status, m.similarity, "
            "m.canonical_link FROM clusters c JOIN cluster_members m ON m.cluster_id = c.id",
            [run_id],
        )
        return int(cur.rowcount)


def cluster_ids_with_posts(db: Database, post_ids: Iterable[int]) -> set[str]:
    """Ids of stored clusters whose canonical or copies include one of `post_ids`
    (one pass over each table, however many posts are asked about)."""
    t = temp_ints(db, "ch_cluster_posts", post_ids)
    sql = (f"SELECT id FROM clusters WHERE canonical_post_id IN (SELECT id FROM {t}) "
           f"UNION SELECT cluster_id FROM cluster_members WHERE post_id IN (SELECT id FROM {t})")
    return {r[0] for r in db.execute(sql)}


def totals(db: Database) -> tuple[int, int]:
    """(clusters, copies) stored."""
    row = db.execute("SELECT count(*), (SELECT count(*) FROM cluster_members) FROM clusters").fetchone()
    return int(row[0]), int(row[1])


__all__ = ["cluster_ids_with_posts", "replace_clusters", "snapshot_run", "totals"]
