"""Pure duplicate detection: HTML to posts, posts to signatures, signatures to clusters.

Stages, one sub-package each: `extract` (page → posts and metadata), `match`
(text → shingles → MinHash → LSH candidates → verified overlaps) and `cluster`
(overlaps → clusters → canonical election → audit). Nothing here does I/O or
imports `crawler` or `store` (a test enforces it), so the same functions run in
a worker process, over WARC files and inside Spark tasks.
"""

from copyhound.dedupe.cluster import build_clusters, elect
from copyhound.dedupe.extract import extract_page, main_text
from copyhound.dedupe.match import DEFAULT_PARAMS, MinHashParams, signatures
from copyhound.dedupe.types import Cluster, Copy, ExtractedPage, PageMeta, Post, PostRecord

__all__ = [
    "DEFAULT_PARAMS",
    "Cluster",
    "Copy",
    "ExtractedPage",
    "MinHashParams",
    "PageMeta",
    "Post",
    "PostRecord",
    "build_clusters",
    "elect",
    "extract_page",
    "main_text",
    "signatures",
]
