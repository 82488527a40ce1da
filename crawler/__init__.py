"""Fetching: URL normalisation, robots.txt, sitemaps, feeds, politeness, HTTP.

The engine never touches SQLite: persistence comes in through the `Frontier`
and `PageSink` protocols of `crawler.types`. Public names load lazily.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "run_crawl": "crawler.engine",
    "Crawler": "crawler.engine",
    "CrawlStats": "crawler.engine",
    "frontier_state": "crawler.engine",
    "normalize_url": "crawler.urls",
    "host_matches": "crawler.urls",
    "ProgressReporter": "crawler.types",
    "Validators": "crawler.types",
    "CrawlConfig": "crawler.types",
    "FetchResult": "crawler.types",
    "FetchError": "crawler.types",
    "FrontierItem": "crawler.types",
    "ParsedPage": "crawler.types",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'crawler' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
