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


def page_urls(db: Database) -> list[str]:
    """Every URL the database holds a page under (requested or final): the hunt's own captures."""
    rows = db.conn.execute("SELECT url FROM pages UNION SELECT final_url FROM pages WHERE final_url IS NOT NULL")
    return [str(r[0]) for r in rows]


def cluster_counts(db: Database) -> tuple[int, int]:
    """(clusters, copies) stored."""
    row = db.conn.execute("SELECT (SELECT count(*) FROM clusters), (SELECT count(*) FROM cluster_members)").fetchone()
    return int(row[0]), int(row[1])


__all__ = ["cluster_counts", "import_clusters", "page_urls"]
