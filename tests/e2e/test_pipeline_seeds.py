"""Seeds through the whole pipeline: a seed that redirects is not a failed seed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import run_cli
from support.crawlserver import CrawlServer, Page

POST = " ".join(f"word{i % 97} sentence{i % 13}" for i in range(200))


def test_seed_that_redirects_is_crawled_at_its_target(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        srv.add("/old/", Page(status=301, headers={"Location": "/new/"}, body=b""))
        srv.html("/new/", ["/post/"], title="Home", extra="<p>Welcome home.</p>")
        srv.html("/post/", [], title="Post", extra=f"<article><h1>Post</h1><p>{POST}</p></article>")
        db = tmp_path / "r.db"
        proc = run_cli("crawl", srv.url("/old/"), "--db", str(db), "--delay", "0", "--quiet")
        assert proc.returncode == 0, proc.stderr
        con = sqlite3.connect(db)
        rows = dict(con.execute("SELECT url, status FROM pages").fetchall())
        assert rows[srv.url("/old/")] == 301 and rows[srv.url("/new/")] == 200 and rows[srv.url("/post/")] == 200
        assert srv.counts()["/new/"] == 1  # fetched once, through the redirect


def test_robots_disallowed_pages_are_skipped_not_failed(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        srv.add("/robots.txt", Page(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
        srv.html("/", ["/private/x/", "/a/"], title="Home")
        srv.html("/a/", [], title="A")
        db = tmp_path / "s.db"
        assert run_cli("crawl", srv.url("/"), "--db", str(db), "--delay", "0", "--quiet").returncode == 0
        con = sqlite3.connect(db)
        states = dict(con.execute("SELECT url, state FROM frontier").fetchall())
        assert states[srv.url("/private/x/")] == "skipped" and states[srv.url("/a/")] == "done"
        assert "/private/x/" not in srv.counts()
