"""The Parquet tables a Spark run writes under its output folder, and what
`copyhound import` reads back: `clusters/`, `copies/` (every report field of
each copy), `posts/` (the compared posts) and `problems/` (WARC files that
could not be read to their end)."""

from __future__ import annotations

from typing import Any

from copyhound.dedupe.types import Cluster

TABLES = ("clusters", "copies", "posts", "problems")

CLUSTER_COLS = (("id", "string"), ("canonical_post_id", "long"), ("canonical_page_id", "long"),
                ("canonical_url", "string"), ("title", "string"), ("published", "string"), ("reason", "string"))
COPY_COLS = (("cluster_id", "string"), ("post_id", "long"), ("page_id", "long"), ("url", "string"),
             ("relation", "string"), ("similarity", "double"), ("containment", "double"),
             ("canonical_link", "string"), ("robots_noindex", "boolean"), ("links_to_canonical", "boolean"),
             ("status", "string"))
POST_COLS = (("post_id", "long"), ("page_id", "long"), ("url", "string"), ("host", "string"),
             ("text_hash", "string"), ("words", "long"), ("title", "string"), ("published", "string"),
             ("first_seen", "string"))
PROBLEM_COLS = (("path", "string"), ("offset", "long"), ("message", "string"))


def _schema(cols: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in cols)


def cluster_row(c: Cluster) -> tuple[Any, ...]:
    return (c.id, c.canonical_post_id, c.canonical_page_id, c.canonical_url, c.title, c.published, c.reason)


def copy_rows(c: Cluster) -> list[tuple[Any, ...]]:
    return [(c.id, cp.post_id, cp.page_id, cp.url, cp.relation, float(cp.similarity), float(cp.containment),
             cp.canonical_link, bool(cp.robots_noindex), bool(cp.links_to_canonical), cp.status) for cp in c.copies]


def write(spark: Any, out_dir: str, clusters: Any, live: Any, problems: Any) -> None:
    """Each table as Parquet under `out_dir`; an existing output is replaced
    (a retried job writes the same answer again)."""
    tables = {
        "clusters": (clusters.map(cluster_row), CLUSTER_COLS),
        "copies": (clusters.flatMap(copy_rows), COPY_COLS),
        "posts": (live.map(lambda lp: (lp.record.post_id, lp.record.page_id, lp.record.url, lp.record.host, lp.key,
                                       lp.record.words, lp.record.title, lp.record.published,
                                       lp.record.first_seen)), POST_COLS),
        "problems": (problems.map(lambda p: (p.source, p.offset, p.message)),
                     PROBLEM_COLS),
    }
    for name, (rows, cols) in tables.items():
        df = spark.createDataFrame(rows, _schema(cols))
        df.write.mode("overwrite").parquet(f"{out_dir.rstrip('/')}/{name}")


__all__ = ["CLUSTER_COLS", "COPY_COLS", "POST_COLS", "PROBLEM_COLS", "TABLES", "write"]
