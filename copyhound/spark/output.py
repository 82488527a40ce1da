"""The Parquet tables a Spark run writes under its output folder, and what
`copyhound import` reads back: `clusters/`, `copies/` (every report field of
each copy), `pages/` (the stored pages, as `copyhound ingest` would store
them), `posts/` (every post of kind 'post' on them, `compared` for the ones
clustered) and `problems/` (WARC files that could not be read to their end)."""

from __future__ import annotations

import json
from typing import Any

from copyhound.dedupe.types import Cluster
from copyhound.spark.hostposts import LivePost, is_gone
from copyhound.spark.records import PageFacts

TABLES = ("clusters", "copies", "pages", "posts", "problems")

CLUSTER_COLS = (("id", "string"), ("canonical_post_id", "long"), ("canonical_page_id", "long"),
                ("canonical_url", "string"), ("title", "string"), ("published", "string"), ("reason", "string"))
COPY_COLS = (("cluster_id", "string"), ("post_id", "long"), ("page_id", "long"), ("url", "string"),
             ("relation", "string"), ("similarity", "double"), ("containment", "double"),
             ("canonical_link", "string"), ("robots_noindex", "boolean"), ("links_to_canonical", "boolean"),
             ("status", "string"))
PAGE_COLS = (("page_id", "long"), ("url", "string"), ("host", "string"), ("status", "long"), ("title", "string"),
             ("first_seen", "string"), ("body_hash", "string"), ("gone", "boolean"), ("canonical_link", "string"),
             ("robots_noindex", "boolean"), ("published", "string"))
POST_COLS = (("post_id", "long"), ("page_id", "long"), ("ordinal", "long"), ("url", "string"), ("host", "string"),
             ("text_hash", "string"), ("words", "long"), ("title", "string"), ("published", "string"),
             ("first_seen", "string"), ("links", "string"), ("compared", "boolean"), ("kind", "string"))
PROBLEM_COLS = (("path", "string"), ("offset", "long"), ("message", "string"))


def _schema(cols: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in cols)


def cluster_row(c: Cluster) -> tuple[Any, ...]:
    return (c.id, c.canonical_post_id, c.canonical_page_id, c.canonical_url, c.title, c.published, c.reason)


def copy_rows(c: Cluster) -> list[tuple[Any, ...]]:
    return [(c.id, cp.post_id, cp.page_id, cp.url, cp.relation, float(cp.similarity), float(cp.containment),
             cp.canonical_link, bool(cp.robots_noindex), bool(cp.links_to_canonical), cp.status) for cp in c.copies]


def page_row(p: PageFacts) -> tuple[Any, ...]:
    return (p.page_id, p.url, p.host, p.status, p.title, p.fetched_at, p.body_hash, is_gone(p), p.canonical_link,
            bool(p.robots_noindex), p.published)


def post_row(lp: LivePost) -> tuple[Any, ...]:
    r = lp.record
    return (r.post_id, r.page_id, r.ordinal, r.url, r.host, lp.key, r.words, r.title, r.published, r.first_seen,
            json.dumps(list(r.links)), lp.compared, lp.kind)


def write(spark: Any, out_dir: str, clusters: Any, pages: Any, posts: Any, problems: Any) -> None:
    """Each table as Parquet under `out_dir`; an existing output is replaced
    (a retried job writes the same answer again)."""
    tables = {
        "clusters": (clusters.map(cluster_row), CLUSTER_COLS),
        "copies": (clusters.flatMap(copy_rows), COPY_COLS),
        "pages": (pages, PAGE_COLS),
        "posts": (posts.map(post_row), POST_COLS),
        "problems": (problems.map(lambda p: (p.source, p.offset, p.message)),
                     PROBLEM_COLS),
    }
    for name, (rows, cols) in tables.items():
        df = spark.createDataFrame(rows, _schema(cols))
        df.write.mode("overwrite").parquet(f"{out_dir.rstrip('/')}/{name}")


__all__ = ["CLUSTER_COLS", "COPY_COLS", "PAGE_COLS", "POST_COLS", "PROBLEM_COLS", "TABLES", "page_row", "post_row",
           "write"]
