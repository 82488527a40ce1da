"""A Spark run's clusters stored into a copyhound database (`copyhound import`).

The rows come from the job's Parquet output (copyhound/spark/output.py); they
replace the database's clusters, pages and posts as one run, so every report
format (its page and post totals included), `diff` and `--fail-on` read them
as they read a crawl's. Posts are stored without their text (it stays in the
WARC files: `text` is empty), with the hash, words and links the job compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from copyhound.store.clusters import snapshot_run
from copyhound.store.errors import StoreError
from copyhound.store.runs import finish_run, start_run
from copyhound.store.sql import marks

CLUSTER_FIELDS = ("id", "canonical_post_id", "canonical_page_id", "canonical_url", "title", "published", "reason")
PAGE_FIELDS = ("id", "url", "host", "status", "title", "first_seen", "fetched_at", "body_hash", "gone",
               "canonical_link", "robots_noindex", "published", "last_run_id")
POST_FIELDS = ("id", "page_id", "ordinal", "kind", "title", "text", "text_hash", "raw_hash", "words", "published",
               "links")
COPY_FIELDS = ("cluster_id", "post_id", "page_id", "url", "relation", "similarity", "containment",
               "canonical_link", "robots_noindex", "links_to_canonical", "status")


class NotSparkDatabase(StoreError):
    """The database holds pages a crawl or an ingest stored: an import would replace them."""


def holds_only_imports(db: Database) -> bool:
    """True for a new database or one that only Spark imports wrote."""
    pages = db.conn.execute("SELECT EXISTS (SELECT 1 FROM pages)").fetchone()[0]
    other = db.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM runs WHERE coalesce(json_extract(options, '$.source'), '') != 'spark')"
    ).fetchone()[0]
    return not pages or not other


def import_clusters(
    db: Database, source: str, tables: Mapping[str, Sequence[Mapping[str, Any]]],
    options: Mapping[str, Any], stats: Mapping[str, Any],
) -> int:
    """Replace the stored pages, posts and clusters with a Spark run's (`tables`:
    pages, posts, clusters, copies), recorded as a run of its own (snapshot
    included, for `diff`); returns the run id."""
    if not holds_only_imports(db):
        raise NotSparkDatabase("the database holds a crawl's pages: import a Spark dedupe into a new database")
    run = start_run(db, [source], dict(options))
    with db.atomic():
        for table in ("cluster_members", "clusters", "posts", "pages"):
            db.execute(f"DELETE FROM {table}")
        _insert(db, "pages", PAGE_FIELDS, [_page(p, run.id) for p in tables["pages"]])
        _insert(db, "posts", POST_FIELDS, [_post(p) for p in tables["posts"]])
        _insert(db, "clusters", (*CLUSTER_FIELDS, "run_id"),
                [[c[f] for f in CLUSTER_FIELDS] + [run.id] for c in tables["clusters"]])
        _insert(db, "cluster_members", COPY_FIELDS,
                [[int(m[f]) if isinstance(m[f], bool) else m[f] for f in COPY_FIELDS] for m in tables["copies"]])
    snapshot_run(db, run.id)
    finish_run(db, run.id, dict(stats))
    return run.id


def _insert(db: Database, table: str, fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    db.conn.executemany(f"INSERT INTO {table}({', '.join(fields)}) VALUES ({marks(len(fields))})", rows)


def _page(p: Mapping[str, Any], run_id: int) -> list[Any]:
    return [p["page_id"], p["url"], p["host"], p["status"], p["title"], p["first_seen"], p["first_seen"],
            p["body_hash"], int(p["gone"]), p["canonical_link"], int(p["robots_noindex"]), p["published"], run_id]


def _post(p: Mapping[str, Any]) -> list[Any]:
    kind = p.get("kind") or "post"  # outputs written before teasers were carried hold posts only
    return [p["post_id"], p["page_id"], p["ordinal"], kind, p["title"], "", p["text_hash"], p["text_hash"],
            p["words"], p["published"], p["links"]]


def page_urls(db: Database) -> list[str]:
    """Every URL the database holds a page under (requested or final): the hunt's own captures."""
    rows = db.conn.execute("SELECT url FROM pages UNION SELECT final_url FROM pages WHERE final_url IS NOT NULL")
    return [str(r[0]) for r in rows]


def cluster_counts(db: Database) -> tuple[int, int]:
    """(clusters, copies) stored."""
    row = db.conn.execute("SELECT (SELECT count(*) FROM clusters), (SELECT count(*) FROM cluster_members)").fetchone()
    return int(row[0]), int(row[1])


__all__ = ["NotSparkDatabase", "cluster_counts", "holds_only_imports", "import_clusters", "page_urls"]
