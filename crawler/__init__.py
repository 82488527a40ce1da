"""Fetching: the crawl loop, politeness, HTTP, and what to follow.

`engine` runs the crawl; `http` fetches one URL (transport, conditional GET,
bounded decoding, redirect rules); `discover` decides what to fetch next (URL
normalisation and scope, robots.txt, sitemaps, feeds); `warc` archives and
reads fetches. The engine never touches SQLite: persistence comes in through
the `Frontier` and `PageSink` protocols of `types`.

Only the values and URL rules are re-exported here: `store` reads them, and
importing the package must not pull in the engine's HTTP stack (httpx, h2,
rich: 300 modules and ~20 MB in every dedupe run). The engine is
`copyhound.crawler.engine`.
"""

from copyhound.crawler.discover.urls import host_matches, normalize_url
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
    "FetchError",
    "FetchResult",
    "FrontierItem",
    "PageSink",
    "ParsedPage",
    "ProgressReporter",
    "Validators",
    "host_matches",
    "normalize_url",
]
