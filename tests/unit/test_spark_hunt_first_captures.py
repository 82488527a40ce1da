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


def test_a_later_capture_holding_no_copy_is_an_own_capture_too() -> None:
    """The other records a task extracted: after a stored capture of their URL an
    own capture in-process; before it, or of a URL never stored, nothing."""
    pages = [_page("a", 20, "http://copy.test/p"), _page("a", 60, "http://copy.test/p")]
    others = [("a", 10, "http://copy.test/p"), ("a", 40, "http://copy.test/p"), ("a", 50, "http://no.test/")]
    kept, again = first_captures(pages, ["a"], others)
    assert [p.offset for p in kept] == [20]
    assert again == 2  # the capture at 40 and the match at 60
