"""WARC in and out (issue 12): read any crawler's archive, write our own.

`reader.iter_pages` yields `WarcPage` / `WarcProblem` values from WARC,
WARC.gz, WARC.zst (FastWARC) and ARC (warcio) files; nothing here touches
SQLite, so a Spark job's mapPartitions can call it as it is.
"""

from copyhound.crawler.warc.reader import DEFAULT_MAX_RECORD_BYTES, iter_pages
from copyhound.crawler.warc.revisits import RevisitIndex
from copyhound.crawler.warc.types import RevisitOf, WarcPage, WarcProblem

__all__ = ["DEFAULT_MAX_RECORD_BYTES", "RevisitIndex", "RevisitOf", "WarcPage", "WarcProblem", "iter_pages"]
