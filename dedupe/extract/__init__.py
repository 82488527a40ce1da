"""Extraction: one fetched HTML page in, its posts and page metadata out.

parse (html) → text blocks (textblocks) → boilerplate and site chrome → posts
(segment, posts) → metadata and dates; `page.extract_page` runs them in order.
"""

from copyhound.dedupe.extract.dates import date_from_url, parse_date
from copyhound.dedupe.extract.html import parse_page
from copyhound.dedupe.extract.metadata import extract_meta, robots_noindex_directives
from copyhound.dedupe.extract.page import HostChrome, extract_page, main_text
from copyhound.dedupe.extract.sitechrome import learn_chrome_by_host, strip_chrome

__all__ = [
    "HostChrome",
    "date_from_url",
    "extract_meta",
    "extract_page",
    "learn_chrome_by_host",
    "main_text",
    "parse_date",
    "parse_page",
    "robots_noindex_directives",
    "strip_chrome",
]
