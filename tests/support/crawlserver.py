"""A threaded HTTP/1.1 test server on 127.0.0.1 (port 0) for crawler tests,
plus a small `StoreSink` that stores pages in the real `pages` table and
`crawl`/`pages`, which run a crawl into a SQLite file and read it back.

Routes are static (`Page`: status, body, headers, ETag/Last-Modified with
304 answers, optional delay) or callables that write the response themselves
(hangs, drips, endless bodies). Every request is logged (path with query,
headers) so tests can check what was fetched and how often.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from sqlite_utils import Database

from copyhound.crawler.discover.urls import host_of
from copyhound.crawler.engine import CrawlStats, frontier_state, run_crawl
from copyhound.crawler.types import CrawlConfig, FetchResult, FrontierItem, ParsedPage
from copyhound.store import open_db
from copyhound.store.frontier import SqliteFrontier


@dataclass
class Page:
    body: bytes | str = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay_s: float = 0.0
    gzip: bool = False  # send Content-Encoding: gzip


Handler = Callable[[BaseHTTPRequestHandler], None]


class CrawlServer:
    def __init__(self) -> None:
        self.routes: dict[str, Page | Handler] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.times: list[float] = []  # when each logged request arrived (monotonic)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self.base = ""

    # -- building the site ------------------------------------------------------------------

    def add(self, path: str, page: Page | Handler | str | bytes) -> None:
        self.routes[path] = Page(body=page) if isinstance(page, str | bytes) else page

    def html(self, path: str, links: Sequence[str] = (), *, title: str = "", extra: str = "", **kw: object) -> None:
        anchors = "".join(f'<a href="{h}">{h}</a>\n' for h in links)
        body = f"<!doctype html><html><head><title>{title or path}</title>{extra}</head><body>{anchors}</body></html>"
        self.add(path, Page(body=body, **kw))  # type: ignore[arg-type]

    # -- inspection -------------------------------------------------------------------------

    def paths(self) -> list[str]:
        with self._lock:
            return [p for p, _ in self.log]

    def counts(self) -> Counter[str]:
        return Counter(self.paths())

    def url(self, path: str) -> str:
        return self.base + path

    # -- running ----------------------------------------------------------------------------

    def __enter__(self) -> CrawlServer:
        server = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms stalls

            def log_message(self, *a: object) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.log.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                    server.times.append(time.monotonic())
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    _send(self, Page(body="not found", status=404, content_type="text/plain"))
                elif isinstance(route, Page):
                    _send(self, route)
                else:
                    route(self)

        self._httpd = _QuietServer(("127.0.0.1", 0), _H)
        self._httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], OSError):  # a crawler hanging up early is expected
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _send(h: BaseHTTPRequestHandler, page: Page) -> None:
    if page.delay_s:
        time.sleep(page.delay_s)
    inm = h.headers.get("If-None-Match")
    ims = h.headers.get("If-Modified-Since")
    if page.status == 200 and ((page.etag and inm == page.etag) or
                               (page.last_modified and not page.etag and ims == page.last_modified)):
        h.send_response(304)
        if page.etag:
            h.send_header("ETag", page.etag)
        h.send_header("Content-Length", "0")
        h.end_headers()
        return
    body = page.body.encode() if isinstance(page.body, str) else page.body
    if page.gzip:
        body = gzip.compress(body)
    h.send_response(page.status)
    if page.content_type:
        h.send_header("Content-Type", page.content_type)
    if page.etag:
        h.send_header("ETag", page.etag)
    if page.last_modified:
        h.send_header("Last-Modified", page.last_modified)
    if page.gzip:
        h.send_header("Content-Encoding", "gzip")
    for k, v in page.headers.items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


# -- a minimal pipeline sink for tests: lxml links, pages table, one transaction ------------


class StoreSink:
    """Stores each page (body zlib-compressed, links for 304 re-use) and its
    frontier update in one transaction, like the real pipeline does."""

    def __init__(self, db: Database, frontier: SqliteFrontier) -> None:
        self.db = db
        self.frontier = frontier
        self.parsed: list[str] = []

    async def parse(self, result: FetchResult) -> ParsedPage:
        self.parsed.append(result.url)
        if result.not_modified:
            row = self.db.execute("SELECT links FROM pages WHERE url = ?", [result.url]).fetchone()
            return ParsedPage(links=tuple(json.loads(row[0])) if row else ())
        doc = lxml.html.fromstring(result.text or "<html></html>")
        links = tuple(urljoin(result.final_url, h.strip()) for h in doc.xpath("//a/@href"))
        feeds = tuple(urljoin(result.final_url, h) for h in doc.xpath(
            "//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href"))
        robots = " ".join(doc.xpath("//meta[@name='robots']/@content")).lower()
        return ParsedPage(links=links, feed_links=feeds, nofollow="nofollow" in robots)

    def commit(self, result: FetchResult, parsed: ParsedPage | None, discovered: Sequence[FrontierItem]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db.atomic():
            if result.not_modified:
                self.db.execute("UPDATE pages SET fetched_at = ? WHERE url = ?", [now, result.url])
            else:
                self.db.execute(
                    "INSERT INTO pages (url, final_url, host, status, headers, content_type, charset, bytes,"
                    " fetched_at, first_seen, depth, etag, last_modified, body, redirects, error_kind, error,"
                    " published_hint, title, links) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(url) DO UPDATE SET final_url=excluded.final_url, status=excluded.status,"
                    " etag=excluded.etag, last_modified=excluded.last_modified, body=excluded.body,"
                    " error_kind=excluded.error_kind, error=excluded.error, links=excluded.links,"
                    " fetched_at=excluded.fetched_at, published_hint=excluded.published_hint,"
                    " title=excluded.title, charset=excluded.charset",
                    [result.url, result.final_url, host_of(result.url), result.status, json.dumps(dict(result.headers)),
                     result.content_type, result.charset, len(result.body or b""), now, now, result.depth,
                     result.etag, result.last_modified, zlib.compress(result.body) if result.body else None,
                     json.dumps(list(result.redirects)), result.error.kind if result.error else None,
                     result.error.message if result.error else None, result.published_hint,
                     _title(result.text), json.dumps(list(parsed.links) if parsed else [])],
                )
            self.frontier.mark(result.url, frontier_state(result))
            self.frontier.add(discovered)


def _title(text: str | None) -> str | None:
    if not text:
        return None
    t = lxml.html.fromstring(text).findtext(".//title")
    return t.strip() if t else None


# -- running a crawl into a SQLite file -----------------------------------------------------

# Crawl settings for loopback test servers: no politeness delay, short timeouts.
FAST = dict(delay_s=0.0, host_concurrency=4, timeout_s=2.0, allow_private=True, retry_backoff_s=0.01)


def crawl(db_path: Path, seeds: list[str], run_id: int = 1, **cfg: object) -> tuple[CrawlStats, StoreSink]:
    db = open_db(db_path)
    frontier = SqliteFrontier(db, run_id)
    sink = StoreSink(db, frontier)
    config = CrawlConfig(seeds=tuple(seeds), **{**FAST, **cfg})  # type: ignore[arg-type]
    stats = asyncio.run(run_crawl(config, frontier, sink))
    db.conn.close()
    return stats, sink


def pages(db_path: Path) -> dict[str, dict]:
    db = open_db(db_path)
    rows = {r["url"]: r for r in db.query("SELECT * FROM pages")}
    db.conn.close()
    return rows
