"""Serves the real-engine benchmark's small Hugo set (bench/realsites/small/site) on 127.0.0.1,
an ephemeral port: ETag/Last-Modified and 304s, `/dir` redirected to `/dir/`, the query string
ignored (so `?utm_*` URLs are the same page), the placeholder base rewritten to the server's."""

from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "bench" / "realsites" / "small"
PLACEHOLDER = "http://small.realsites.test"
_LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


class SmallSiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root.resolve()
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.log: list[tuple[int, int, str]] = []
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: SmallSiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        path = unquote(urlsplit(self.path).path)
        root = self.server.root
        target = (root / path.lstrip("/")).resolve()
        if root != target and root not in target.parents:
            return self._send(404, b"not found", "text/plain", {}, head)
        if target.is_dir():
            if not path.endswith("/"):
                return self._send(301, b"", "text/plain", {"Location": self.server.base + path + "/"}, head)
            target = target / "index.html"
        if not target.is_file():
            return self._send(404, b"not found", "text/plain", {}, head)
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        body = target.read_bytes()
        if ctype.startswith("text/") or ctype.endswith("xml"):
            body = body.decode("utf-8").replace(PLACEHOLDER, self.server.base).encode("utf-8")
            ctype += "; charset=utf-8"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if etag == self.headers.get("If-None-Match") or (
            not self.headers.get("If-None-Match") and self.headers.get("If-Modified-Since") == _LAST_MODIFIED
        ):
            return self._send(304, b"", ctype, {"ETag": etag}, head)
        self._send(200, body, ctype, {"ETag": etag, "Last-Modified": _LAST_MODIFIED}, head)

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str], head: bool) -> None:
        with self.server.lock:
            self.server.log.append((status, 0 if status == 304 or head else len(body), self.path))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(0 if status == 304 else len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if status != 304 and not head:
            self.wfile.write(body)


@contextmanager
def serve_small_site() -> Iterator[SmallSiteServer]:
    srv = SmallSiteServer(SMALL / "site")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def small_site_seeds(base: str, post: str) -> list[str]:
    """The home page and one post under every second URL a crawl meets: one page each, never a cluster."""
    return [base + "/", base + "/index.html", base + "/?utm_source=ci&utm_medium=x", post + "index.html",
            post + "?utm_campaign=y", post.rstrip("/")]
