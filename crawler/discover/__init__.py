"""What a crawl fetches next: URL normalisation and scope, robots.txt, sitemaps, feeds.

`follow.Discovery` is the pure policy that turns links, sitemaps, feeds and
redirects into frontier items.
"""

from copyhound.crawler.discover.feeds import parse_feed
from copyhound.crawler.discover.follow import Discovery
from copyhound.crawler.discover.robots import RobotsCache, RobotsPolicy
from copyhound.crawler.discover.sitemaps import parse_sitemap
from copyhound.crawler.discover.urls import host_matches, host_of, normalize_url

__all__ = [
    "Discovery",
    "RobotsCache",
    "RobotsPolicy",
    "host_matches",
    "host_of",
    "normalize_url",
    "parse_feed",
    "parse_sitemap",
]
