"""`copyhound import` of a Spark hunt stores what `copyhound hunt` stores: of
a URL's matching captures, the first in the hunt's order (its files' order,
then offset), the others counted as own captures (`spark.hunt.first_captures`)."""

from __future__ import annotations

import pytest

from copyhound.crawler.warc.types import WarcPage
from copyhound.spark.hunt import first_captures

pytestmark = pytest.mark.unit


def _page(source: str, offset: int, url: str) -> WarcPage:
    return WarcPage(source=source, offset=offset, record_id=f"<urn:{source}:{offset}>", url=url,
                    warc_date="2024-01-01T00:00:00Z", status=200, headers={}, body=b"", content_type="text/html")


def test_the_first_capture_in_the_hunts_order_is_kept() -> None:
    # the job's files in the order given, not sorted: z.warc.gz is read first
    files = ["z.warc.gz", "a.warc.gz"]
    pages = [_page("a.warc.gz", 10, "http://copy.test/p"), _page("z.warc.gz", 900, "http://COPY.test/p?utm_source=x"),
             _page("z.warc.gz", 50, "http://other.test/q"), _page("z.warc.gz", 700, "http://other.test/q"),
             _page("a.warc.gz", 5, "http://third.test/r")]
    kept, again = first_captures(pages, files)
    assert [(p.source, p.offset) for p in kept] == [("z.warc.gz", 50), ("z.warc.gz", 900), ("a.warc.gz", 5)]
    assert again == 2


def test_without_the_files_list_the_order_is_by_path_then_offset() -> None:
    pages = [_page("b", 1, "http://x.test/"), _page("a", 9, "http://x.test/"), _page("a", 3, "http://y.test/")]
    kept, again = first_captures(pages, [])
    assert [(p.source, p.offset) for p in kept] == [("a", 3), ("a", 9)]
    assert again == 1
