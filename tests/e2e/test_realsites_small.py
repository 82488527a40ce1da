"""Real-engine benchmark, small version (issue 14): Hugo's real output for 13 of the benchmark's posts.

Serves bench/realsites/small/site/ on 127.0.0.1 (ephemeral port; ETag/Last-Modified and 304s; `/dir` redirects
to `/dir/`; the query string is ignored, so `?utm_*` URLs are the same page), crawls it with the real
`copyhound` CLI (`--own-domain 127.0.0.1`), re-crawls it unchanged, and scores the JSON report with
bench/realsites/score.py against bench/realsites/small/truth.json (ground truth from the engine's output).

The floors are the issue's targets (all met on this set).
"""

from __future__ import annotations

import email.utils
import hashlib
import importlib.util
import json
import mimetypes
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "bench" / "realsites" / "small"
PLACEHOLDER = "http://small.realsites.test"
_LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


def _load_score():
    spec = importlib.util.spec_from_file_location("realsites_score", ROOT / "bench" / "realsites" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root.resolve()
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.log: list[tuple[int, int, str]] = []
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
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


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "copyhound"
    if script.exists():
        return [str(script)]
    found = shutil.which("copyhound")
    return [found] if found else [sys.executable, "-m", "copyhound"]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    score = _load_score()
    srv = _Server(SMALL / "site")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        truth = json.loads((SMALL / "truth.json").read_text().replace(PLACEHOLDER, srv.base))
        post = truth["posts"]["13"]["canonical"]  # a long post: /2024/01/post-13-en/
        seeds = [
            srv.base + "/",
            srv.base + "/index.html",
            srv.base + "/?utm_source=ci&utm_medium=x",
            post + "index.html",
            post + "?utm_campaign=y",
            post.rstrip("/"),
        ]
        db = tmp_path_factory.mktemp("realsites") / "small.db"
        crawl = [
            *_cli(),
            "crawl",
            *seeds,
            "--db",
            str(db),
            "--own-domain",
            "127.0.0.1",
            "--host-concurrency",
            "4",
            "--delay",
            "0",
            "--quiet",
        ]
        first = subprocess.run(crawl, capture_output=True, text=True, timeout=300, check=False)
        assert first.returncode == 0, first.stderr
        n_first = len(srv.log)
        rep = subprocess.run(
            [*_cli(), "report", "--db", str(db), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert rep.returncode == 0, rep.stderr
        second = subprocess.run(crawl, capture_output=True, text=True, timeout=300, check=False)
        assert second.returncode == 0, second.stderr
        res = score.score(json.loads(rep.stdout), truth)
        log1, log2 = srv.log[:n_first], srv.log[n_first:]
        res["first"] = {"requests": len(log1), "bytes": sum(b for _, b, _ in log1)}
        res["recrawl"] = {
            "requests": len(log2),
            "bytes": sum(b for _, b, _ in log2),
            "full": sorted(p for s, _, p in log2 if s == 200),
        }
        print(json.dumps({k: v for k, v in res.items() if k != "problems"}, indent=1))
        print("\n".join(res["problems"][:80]))
        return res
    finally:
        srv.shutdown()
        srv.server_close()


# Floors: the targets, met on this set (2026-12, branch quality: 20+ runs, all 1.0). Japanese counts
# 2 letters a word in the benchmark's truth as in copyhound (the reading-time convention: ~500 CJK characters
# a minute against ~250 English words), so the Japanese post's 189-character summary is an excerpt; the same
# 58-word summary on several listings is a teaser, no cluster of its own (it used to be one, whose canonical
# was whichever listing the crawl saw first).
FLOORS = {
    "pair_precision": 0.99,
    "pair_recall": 0.99,
    "canonical": 0.99,
    "status": 0.99,
    "excerpt_recall": 0.95,
    "full_recall": 0.99,
}
# recrawl_full: nothing (feeds, sitemaps and robots.txt are asked for conditionally too)
CEILINGS = {"teaser_fp": 0, "dup_url_clusters": 0, "recrawl_full": 0}


def test_pairs_found_are_right(result: dict) -> None:
    assert result["pair_precision"] >= FLOORS["pair_precision"]


def test_floors(result: dict) -> None:
    for key, floor in FLOORS.items():
        assert result[key] is not None and result[key] >= floor, (key, result[key], floor)
    assert result["teaser_fp"] <= CEILINGS["teaser_fp"]
    assert result["dup_url_clusters"] <= CEILINGS["dup_url_clusters"]


def test_recrawl_is_conditional(result: dict) -> None:
    # Every page the first crawl downloaded is asked for again conditionally; only the listed files come back in full.
    assert result["recrawl"]["requests"] <= result["first"]["requests"]
    assert len(result["recrawl"]["full"]) <= CEILINGS["recrawl_full"], result["recrawl"]["full"]
    assert result["recrawl"]["bytes"] < result["first"]["bytes"] / 100


@pytest.mark.parametrize("key", ["pair_precision", "pair_recall", "canonical", "status"])
def test_target_099(result: dict, key: str) -> None:
    assert result[key] >= 0.99, (key, result[key])


def test_target_excerpts(result: dict) -> None:
    assert result["excerpt_recall"] >= 0.95


def test_target_no_teaser_copies(result: dict) -> None:
    assert result["teaser_fp"] == 0


def test_target_one_page_two_urls(result: dict) -> None:
    assert result["dup_url_clusters"] == 0


def test_target_full_posts_found(result: dict) -> None:
    assert result["full_recall"] >= 0.999
