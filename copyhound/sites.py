"""Serve folders of static fixture sites, each on its own loopback host.

Used by `copyhound demo` and by the tests. Site N (in sorted folder order,
"blog" first) listens on 127.0.0.N+1 with an ephemeral port, so every site is
a different host to the crawler. Files may hold `{{name}}` placeholders,
replaced with that site's base URL when served (ports are unknown until the
servers start). Responses carry ETag and Last-Modified and answer conditional
GETs with 304, as real servers do.
"""

from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

_PLACEHOLDER = re.compile(r"\{\{([a-z0-9_-]+)\}\}")
_TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml")
# A fixed modification time: the fixtures' content, not the checkout's mtime,
# decides whether a page changed (so a fresh clone re-crawls as unchanged).
_LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


@dataclass(frozen=True, slots=True)
class ServedSite:
    name: str
    root: Path
    base_url: str
    requests: list[tuple[str, str]]  # (method, path) of every request served, in order


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], root: Path, bases: dict[str, str]) -> None:
        super().__init__(addr, _Handler)
        self.root = root
        self.bases = bases
        self.requests: list[tuple[str, str]] = []  # (method, path) log, for tests
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def _resolve(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        target = (self.server.root / path.lstrip("/")).resolve()
        root = self.server.root.resolve()
        if root != target and root not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _serve(self, *, send_body: bool) -> None:
        with self.server.lock:
            self.server.requests.append((self.command, self.path))
        target = self._resolve()
        if target is None:
            self._send(404, b"<!doctype html><title>Not found</title><h1>Not found</h1>", "text/html")
            return
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix == ".xml" and target.name.startswith("feed"):
            ctype = "application/rss+xml"
        body = target.read_bytes()
        if ctype.startswith(_TEXT_TYPES):
            bases = self.server.bases
            body = _PLACEHOLDER.sub(
                lambda m: bases.get(m.group(1), m.group(0)), body.decode("utf-8")
            ).encode("utf-8")
            ctype += "; charset=utf-8"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        inm = self.headers.get("If-None-Match")
        if inm is not None and etag in [t.strip() for t in inm.split(",")]:
            self._send(304, b"", ctype, etag=etag, send_body=False)
            return
        self._send(200, body, ctype, etag=etag, send_body=send_body)

    def _send(
        self, status: int, body: bytes, ctype: str, *, etag: str | None = None, send_body: bool = True
    ) -> None:
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", _LAST_MODIFIED)
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)


def _site_order(root: Path) -> list[Path]:
    dirs = sorted(p for p in root.iterdir() if p.is_dir())
    # The blog (the site owner's own) gets 127.0.0.1, the address people know.
    return sorted(dirs, key=lambda p: (p.name != "blog", p.name))


@contextmanager
def serve_sites(root: str | Path) -> Iterator[dict[str, ServedSite]]:
    """Serve every sub-folder of `root` as a site; yields {name: ServedSite}."""
    root_path = Path(root)
    if not root_path.is_dir():
        raise FileNotFoundError(f"fixture folder {root_path} does not exist")
    folders = _site_order(root_path)
    if len(folders) > 250:
        raise ValueError("at most 250 fixture sites (one loopback address each)")
    bases: dict[str, str] = {}
    servers: list[tuple[Path, _SiteServer]] = []
    try:
        for n, folder in enumerate(folders, start=1):
            srv = _SiteServer((f"127.0.0.{n}", 0), folder, bases)
            bases[folder.name] = f"http://127.0.0.{n}:{srv.server_address[1]}"
            servers.append((folder, srv))
        for _, srv in servers:
            threading.Thread(target=srv.serve_forever, daemon=True).start()
        yield {f.name: ServedSite(f.name, f, bases[f.name], srv.requests) for f, srv in servers}
    finally:
        for _, srv in servers:
            srv.shutdown()
            srv.server_close()
