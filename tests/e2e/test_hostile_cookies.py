"""A site that sets hundreds of cookies on every page: a crawler is not a
browser session. Kept in the client's jar, the cookies grew the memory of
a long crawl without bound and were sent back on every request, until the
Cookie header passed the server's limit (64 KB after ~20 pages here) and
every later page failed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import run_cli
from support.faultserver import FaultServer

PAGES = 30


def test_cookies_are_neither_kept_nor_sent_back(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with FaultServer("cookies") as site:
        proc = run_cli("crawl", site.url("/"), "--db", str(db), "--max-pages", str(PAGES + 1), "--allow-private",
                       "--delay", "0", "--timeout", "10", "--quiet")
        sent = [c for c in site.cookie_headers if c]
    assert proc.returncode == 0, proc.stderr
    con = sqlite3.connect(db)
    chain = dict(con.execute("SELECT url, status FROM pages WHERE url LIKE '%/c/%'").fetchall())
    assert len(chain) >= PAGES - 5 and set(chain.values()) == {200}, chain  # the home's chrome links are 404s
    assert sent == []
