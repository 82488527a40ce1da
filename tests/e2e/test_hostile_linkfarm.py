"""A link farm: every page links to 20,000 new pages of its own host. The
crawl must stay bounded on disk as in memory: what it queues cannot grow by
tens of thousands of rows per page fetched (with the default --max-pages of
10,000, a farm of 100,000-link pages made a 774 MB database after 20 pages
and would have reached hundreds of GB)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import run_cli
from support.faultserver import FARM_LINKS, FaultServer

MAX_PAGES = 3
QUEUED_PER_PAGE_BOUND = 10_000  # the crawler queues 6,000 links a page at most (as Heritrix)


def test_link_farm_does_not_flood_the_frontier(tmp_path: Path) -> None:
    db = tmp_path / "farm.db"
    with FaultServer("farm") as farm:
        proc = run_cli("crawl", farm.url("/"), "--db", str(db), "--max-pages", str(MAX_PAGES), "--allow-private",
                       "--delay", "0", "--timeout", "10", "--quiet")
    assert proc.returncode == 0, proc.stderr
    con = sqlite3.connect(db)
    fetched = con.execute("SELECT count(*) FROM pages WHERE status = 200").fetchone()[0]
    queued = con.execute("SELECT count(*) FROM frontier").fetchone()[0]
    assert fetched == MAX_PAGES
    assert queued <= QUEUED_PER_PAGE_BOUND * fetched, f"{queued} frontier rows for {fetched} pages"
    assert FARM_LINKS > QUEUED_PER_PAGE_BOUND  # (the farm does offer more than the bound)
