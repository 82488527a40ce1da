"""Measure the crawl engine alone: engine + SqliteFrontier + a trivial sink.

The sink does what the reference crawler does per page (lxml `<a href>`
links) and stores each page (zlib body, links for 304 re-use, validators)
with its frontier update in one SQLite transaction, as the real pipeline
does, but without extraction or dedupe. Run it on the same --db twice: the
second run is a conditional-GET re-crawl.

    python bench/crawl_engine_bench.py http://127.0.0.1:8089/ --db /tmp/e.db
    # as a crawl-bench contestant (figures beside ref-httpx and scrapy):
    bench.py --add 'engine=/tmp/dev/bin/python /work/main/bench/crawl_engine_bench.py {url} --db {outdir}/e.db'
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urljoin

import lxml.html
from sqlite_utils import Database

from copyhound.crawler.discover.urls import host_of
from copyhound.crawler.engine import frontier_state, run_crawl
from copyhound.crawler.types import CrawlConfig, FetchResult, FrontierItem, ParsedPage
from copyhound.store import open_db
from copyhound.store.frontier import SqliteFrontier


class BenchSink:
    def __init__(self, db: Database, frontier: SqliteFrontier) -> None:
        self.db = db
        self.frontier = frontier

    async def parse(self, result: FetchResult) -> ParsedPage:
        if result.not_modified:
            row = self.db.execute("SELECT links FROM pages WHERE url = ?", [result.url]).fetchone()
            return ParsedPage(links=tuple(json.loads(row[0])) if row else ())
        try:
            doc = lxml.html.fromstring(result.text or "<html></html>")
        except (lxml.etree.ParserError, ValueError):
            return ParsedPage()
        base = result.final_url
        return ParsedPage(links=tuple(urljoin(base, h) for h in doc.xpath("//a/@href")))

    def commit(self, result: FetchResult, parsed: ParsedPage | None, discovered: Sequence[FrontierItem]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db.atomic():
            if result.not_modified:
                self.db.execute("UPDATE pages SET fetched_at = ? WHERE url = ?", [now, result.url])
            else:
                self.db.execute(
                    "INSERT INTO pages (url, final_url, host, status, fetched_at, first_seen, etag, last_modified,"
                    " body, error_kind, links) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET"
                    " status=excluded.status, etag=excluded.etag, last_modified=excluded.last_modified,"
                    " body=excluded.body, error_kind=excluded.error_kind, links=excluded.links,"
                    " fetched_at=excluded.fetched_at",
                    [result.url, result.final_url, host_of(result.url), result.status, now, now, result.etag,
                     result.last_modified, zlib.compress(result.body) if result.body else None,
                     result.error.kind if result.error else None,
                     json.dumps(list(parsed.links) if parsed else [])],
                )
            self.frontier.mark(result.url, frontier_state(result))
            self.frontier.add(discovered)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--db", required=True)
    ap.add_argument("--host-concurrency", type=int, default=16)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--max-pages", type=int, default=100_000)
    args = ap.parse_args()
    t0 = time.monotonic()
    db = open_db(args.db)
    last = db.execute("SELECT max(run_id) FROM frontier").fetchone()[0]
    unfinished = db.execute("SELECT count(*) FROM frontier WHERE state IN ('queued','inflight')").fetchone()[0]
    run_id = (last or 0) + (0 if unfinished else 1)
    frontier = SqliteFrontier(db, run_id)
    if not unfinished:
        frontier.reset_for_new_run(run_id)  # a re-crawl: fresh frontier, stored validators
    config = CrawlConfig(seeds=(args.url,), host_concurrency=args.host_concurrency, delay_s=args.delay,
                         total_concurrency=max(16, args.host_concurrency), max_pages=args.max_pages,
                         allow_private=True)
    stats = asyncio.run(run_crawl(config, frontier, BenchSink(db, frontier)))
    out = stats.as_dict()
    out["wall_s"] = round(time.monotonic() - t0, 3)
    print(json.dumps(out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
