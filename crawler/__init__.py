"""Fetching: the crawl loop, politeness, HTTP, and what to follow.

`engine` runs the crawl; `http` fetches one URL (transport, conditional GET,
bounded decoding, redirect rules); `discover` decides what to fetch next (URL
normalisation and scope, robots.txt, sitemaps, feeds). The engine never
touches SQLite: persistence comes in through the `Frontier` and `PageSink`
protocols of `types`.
"""

from copyhound.crawler.discover.urls import host_matches, normalize_url
from copyhound.crawler.engine import Crawler, CrawlStats, frontier_state, run_crawl
from copyhound.crawler.types import (
    CrawlConfig,
    FetchError,
    FetchResult,
    FrontierItem,
    PageSink,
    ParsedPage,
    ProgressReporter,
    Validators,
)

__all__ = [
    "CrawlConfig",
    "CrawlStats",
    "Crawler",
    "FetchError",
    "FetchResult",
    "FrontierItem",
    "PageSink",
    "ParsedPage",
    "ProgressReporter",
    "Validators",
    "frontier_state",
    "host_matches",
    "normalize_url",
    "run_crawl",
]
