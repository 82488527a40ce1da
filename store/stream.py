"""Copies read one row at a time for reports that stream (CSV, jsonl): a
cursor over the clusters and, for each, its copies, in the JSON report's
order (canonical URL, cluster id, copy URL), never the whole set in memory."""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database

from copyhound.store.reports import StoredCluster, StoredCopy, bare_cluster, stored_copy

# Clusters in report order: a sort of the clusters alone (a tenth of the
# copies or fewer), done before the first row. Sorting the joined copies
# instead put a sort of every copy before the first byte (6.3 s at 10^6).
_CLUSTERS_SQL = "SELECT id, canonical_url, title, published, reason FROM clusters ORDER BY canonical_url, id"
# One cluster's copies, read in URL order from the (cluster_id, url) primary key: no sort.
_COPIES_SQL = (
    "SELECT url, relation, similarity, containment, canonical_link, robots_noindex, links_to_canonical, status "
    "FROM cluster_members WHERE cluster_id = ? ORDER BY url"
)
FETCH_ROWS = 2_000  # cluster rows per fetchmany: memory stays flat, Python overhead low


def iter_copies(db: Database) -> Iterator[tuple[StoredCluster, StoredCopy]]:
    """Every stored copy with its cluster (its `copies` left empty), ordered by
    canonical URL, cluster id and copy URL, one cluster's copies in memory at a time."""
    clusters = db.conn.execute(_CLUSTERS_SQL)
    while batch := clusters.fetchmany(FETCH_ROWS):
        for row in batch:
            cluster = bare_cluster(*row)
            for r in db.conn.execute(_COPIES_SQL, (cluster.id,)):
                yield cluster, stored_copy(*r)


__all__ = ["iter_copies"]
