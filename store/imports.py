"""A Spark run's clusters stored into a copyhound database (`copyhound import`).

The rows come from the job's Parquet output (copyhound/spark/output.py); they
replace the database's clusters as one run, so every report format, `diff`
and `--fail-on` read them as they read a crawl's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from copyhound.store.clusters import snapshot_run
from copyhound.store.runs import finish_run, start_run

CLUSTER_FIELDS = ("id", "canonical_post_id", "canonical_page_id", "canonical_url", "title", "published", "reason")
COPY_FIELDS = ("cluster_id", "post_id", "page_id", "url", "relation", "similarity", "containment",
               "canonical_link", "robots_noindex", "links_to_canonical", "status")


def import_clusters(
    db: Database, source: str, clusters: Sequence[Mapping[str, Any]], copies: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any], stats: Mapping[str, Any],
) -> int:
    """Replace the stored clusters with a Spark run's, recorded as a run of
    its own (snapshot included, for `diff`); returns the run id."""
    run = start_run(db, [source], dict(options))
    with db.atomic():
        db.execute("DELETE FROM cluster_members")
        db.execute("DELETE FROM clusters")
        db.conn.executemany(
            f"INSERT INTO clusters({', '.join(CLUSTER_FIELDS)}, run_id) VALUES ({', '.join('?' * 8)})",
            [[c[f] for f in CLUSTER_FIELDS] + [run.id] for c in clusters],
        )
        db.conn.executemany(
            f"INSERT INTO cluster_members({', '.join(COPY_FIELDS)}) VALUES ({', '.join('?' * len(COPY_FIELDS))})",
            [[int(m[f]) if isinstance(m[f], bool) else m[f] for f in COPY_FIELDS] for m in copies],
        )
    snapshot_run(db, run.id)
    finish_run(db, run.id, dict(stats))
    return run.id


__all__ = ["import_clusters"]
