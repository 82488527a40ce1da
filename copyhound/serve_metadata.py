"""Datasette metadata for a copyhound database: titles and descriptions of
every view and column, default facets and sort, canned queries, and the
internal tables (LSH bands, samples, inputs) hidden so the answers show.

Pure: builds a dict; `copyhound serve` writes it to a file for Datasette.
"""

from __future__ import annotations

from typing import Any

from copyhound.store.views import CANNED_QUERIES

_COPY_COLUMNS = {
    "cluster_id": "The cluster: one post and every place its text appears.",
    "canonical_url": "The copy elected as the original (your page when --own-domain names its host).",
    "canonical_title": "Title of the original post.",
    "copy_url": "Where this copy of the post appears.",
    "host": "Host of the copy.",
    "relation": "exact (same text), near (near-duplicate), contains (whole post among other content, "
                "e.g. a tag archive), excerpt (a substantial part of it).",
    "similarity": "Estimated Jaccard similarity of the two post texts, 0..1.",
    "containment": "Fraction of the original's text found on the copy, 0..1.",
    "canonical_link": "The copy's rel=canonical URL, or empty when it declares none.",
    "noindex": "1 when a robots meta tag or X-Robots-Tag keeps the copy out of search indexes.",
    "attribution": "1 when the copy's post links back to the original.",
    "status": "Audit verdict: canonical-ok, noindex, self-canonical, canonical-elsewhere, missing-canonical.",
    "needs_action": "1 for missing-canonical, self-canonical and canonical-elsewhere.",
    "first_seen_run": "First crawl run whose report listed this copy.",
    "last_seen_run": "Last crawl run whose report listed this copy.",
    "page_id": "The copy's row in pages.",
    "post_id": "The copy's row in posts.",
}
_SUMMARY_COLUMNS = {
    "cluster_id": "The cluster's id.",
    "canonical_url": "The original post.",
    "title": "Its title.",
    "published": "Its publication date, when the page gives one.",
    "reason": "The election rule that chose it as the original.",
    "copies": "Copies of it found.",
    "needing_action": "Copies whose status needs the site owner's action.",
    "hosts": "Distinct hosts holding copies.",
    "max_similarity": "Similarity of its closest copy.",
}
_TABLES = {
    "clusters": "One row per post that has copies: the elected original (internal: see the cluster_summary view).",
    "cluster_members": "One row per copy (internal: see the copies view).",
    "pages": "Every page fetched: status, headers, canonical link, noindex, errors.",
    "posts": "Every post extracted from a page; searchable by title and text. Texts are stored compressed: "
             "shown as text here, and read in SQL with copyhound_text(text).",
    "runs": "One row per crawl: when, seeds, options and counters.",
    "run_copies": "What each finished run reported, one row per copy (compared by diff).",
}
# Derived state for matching, of no use to a reader.
HIDDEN_TABLES = (
    "bands", "samples", "lsh", "signatures", "matches", "cluster_inputs", "params", "frontier", "documents",
    "dedupe_dirty", "posts_search_forget",
)


def serve_metadata(db_name: str) -> dict[str, Any]:
    tables: dict[str, Any] = {
        "copies": {
            "title": "Copies of your posts",
            "description": "One row per copy: where it is, how similar, and what it tells search engines.",
            "columns": _COPY_COLUMNS,
            "facets": ["status", "relation", "host"],
            "sort_desc": "similarity",
            "label_column": "copy_url",
        },
        "cluster_summary": {
            "title": "Posts and their copies",
            "description": "One row per post that has copies, with counts.",
            "columns": _SUMMARY_COLUMNS,
            "sort_desc": "copies",
            "label_column": "title",
        },
    }
    for name, description in _TABLES.items():
        tables[name] = {"description": description}
    # The search index is contentless (store/search.py): Datasette is told which it is.
    tables["posts"].update({"fts_table": "posts_fts", "fts_pk": "id"})
    for name in HIDDEN_TABLES:
        tables[name] = {"hidden": True}
    queries = {
        name: {"title": title, "description": description, "sql": sql}
        for name, (title, description, sql) in CANNED_QUERIES.items()
    }
    return {
        "title": "copyhound",
        "description": "Copies of your posts found by copyhound. Start with the copies view or a query below.",
        "databases": {db_name: {"tables": tables, "queries": queries}},
    }


__all__ = ["HIDDEN_TABLES", "serve_metadata"]
