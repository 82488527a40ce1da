"""One HTTP fetch: pooled transport, conditional GET, bounded decoding, redirect rules.

`fetch.Fetcher` turns a URL into a `FetchResult` value; failures are values too.
"""

from copyhound.crawler.http.decode import decode_html
from copyhound.crawler.http.fetch import Fetcher, build_client, user_agent
from copyhound.crawler.http.redirects import refusal
from copyhound.crawler.http.transport import crawl_transport

__all__ = ["Fetcher", "build_client", "crawl_transport", "decode_html", "refusal", "user_agent"]
