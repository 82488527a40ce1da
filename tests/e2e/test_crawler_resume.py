"""Crash safety: SIGKILL mid-crawl then resume, and a graceful stop."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from support.crawlserver import FAST, CrawlServer, Page, StoreSink, pages

from copyhound.crawler.engine import run_crawl
from copyhound.crawler.types import CrawlConfig, FetchResult, FrontierItem, ParsedPage
from copyhound.store import open_db
from copyhound.store.frontier import SqliteFrontier

SCRIPT = Path(__file__).parents[1] / "support" / "crawl_resume_script.py"
N_PAGES = 240
CONCURRENCY = 8  # total_concurrency of the script: the most requests a kill can leave unanswered


def blog(srv: CrawlServer, delay_s: float) -> None:
    srv.add("/robots.txt", Page(content_type="text/plain", body="User-agent: *\nDisallow: /private\n"))
    srv.add("/sitemap.xml", Page(status=404, body=""))
    for i in range(N_PAGES):
        links = [f"/p/{j}" for j in (i + 1, i + 2, 2 * i + 1, (i * 7) % N_PAGES) if j < N_PAGES]
        links += [f"/p/{i}?replytocom={i}", "/private/x", "/"]
        srv.html(f"/p/{i}", links, delay_s=delay_s)
    srv.html("/", ["/p/0"], delay_s=delay_s)


def stored(db_path: Path) -> dict[str, int | None]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        return dict(conn.execute("SELECT url, status FROM pages").fetchall())


def run_script(db: Path, seed: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(SCRIPT), str(db), seed],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigkill_then_resume_equals_uninterrupted_crawl(tmp_path: Path) -> None:
    with CrawlServer() as srv:
        blog(srv, delay_s=0.01)
        seed = srv.url("/")
        ref = run_script(tmp_path / "ref.db", seed)
        assert ref.wait(timeout=60) == 0, ref.stderr.read() if ref.stderr else ""
        reference = stored(tmp_path / "ref.db")
        assert len([u for u, s in reference.items() if s == 200]) == N_PAGES + 1

        srv.log.clear()
        db = tmp_path / "killed.db"
        stored_at_kill: list[set[str]] = []
        log_at_kill: list[int] = []
        for kill_at in (40, 120):  # killed twice, at different depths of the crawl
            proc = run_script(db, seed)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if db.exists():
                    try:
                        if len(stored(db)) >= kill_at:
                            break
                    except sqlite3.OperationalError:
                        pass  # schema being created
                time.sleep(0.01)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            stored_at_kill.append(set(stored(db)))
            log_at_kill.append(len(srv.log))
            assert len(stored_at_kill[-1]) < len(reference), "the crawl finished before the kill"
        last = run_script(db, seed)
        assert last.wait(timeout=60) == 0, last.stderr.read() if last.stderr else ""
        counts = srv.counts()
        paths = srv.paths()

    assert stored(db) == reference  # same pages, same outcomes
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM frontier WHERE state IN ('queued', 'inflight')").fetchone()[0] == 0
    base = seed.rstrip("/")
    # Nothing stored before a kill is requested after it; what was in flight
    # at a kill (answered but not yet committed) may be, at most once per slot.
    for at_kill, n_log in zip(stored_at_kill, log_at_kill, strict=True):
        assert not {base + p for p in paths[n_log:]} & at_kill
    again = {p for p, n in counts.items() if n > 1 and p != "/robots.txt"}
    assert len(again) <= 2 * CONCURRENCY, again
    assert "/private/x" not in counts


def test_graceful_stop_commits_in_flight_and_resumes_without_refetch(tmp_path: Path) -> None:
    db_path = tmp_path / "g.db"

    class StoppingSink(StoreSink):
        def __init__(self, db, frontier, stop: asyncio.Event, after: int) -> None:
            super().__init__(db, frontier)
            self.stop, self.after, self.n = stop, after, 0

        def commit(self, result: FetchResult, parsed: ParsedPage | None,
                   discovered: Sequence[FrontierItem]) -> None:
            super().commit(result, parsed, discovered)
            self.n += 1
            if self.n == self.after:
                self.stop.set()  # what the CLI's Ctrl-C handler does

    async def go(stop_after: int | None) -> object:
        db = open_db(db_path)
        frontier = SqliteFrontier(db, 1)
        stop = asyncio.Event()
        sink = StoppingSink(db, frontier, stop, stop_after or 10**9)
        config = CrawlConfig(seeds=(seed,), **{**FAST, "host_concurrency": 4})  # type: ignore[arg-type]
        stats = await run_crawl(config, frontier, sink, stop=stop)
        db.conn.close()
        return stats

    with CrawlServer() as srv:
        blog(srv, delay_s=0.005)
        seed = srv.url("/")
        first = asyncio.run(go(30))
        after_stop = set(stored(db_path))
        second = asyncio.run(go(None))
        counts = srv.counts()
    assert first.stopped_early and not second.stopped_early  # type: ignore[attr-defined]
    assert 30 <= len(after_stop) < N_PAGES
    page_counts = {p: n for p, n in counts.items() if p != "/robots.txt"}
    assert all(n == 1 for n in page_counts.values()), {p: n for p, n in page_counts.items() if n > 1}
    assert len([u for u, r in pages(db_path).items() if r["status"] == 200]) == N_PAGES + 1
