#!/usr/bin/env python3
"""Score copyhound's clusters on the syndication fixture corpus.

Serves each folder of fixtures/syndication/sites/ on its own loopback host
(127.0.0.N, ephemeral port; `{{site}}` placeholders become that site's base
URL; a site's `_headers.json` adds response headers per path, for
`X-Robots-Tag` and `Link: rel=canonical`), crawls all home pages with the real
`copyhound crawl`, reads `copyhound report --format json` and compares it with
fixtures/syndication/truth.json:

- pairwise precision and recall: pairs of URLs sharing a cluster (an archive
  in three clusters makes pairs in each), predicted vs. true;
- canonical: for each true cluster, the predicted cluster sharing most URLs
  has the true canonical;
- status (and relation, for information): of each true copy, in that cluster.

Targets (issue 5): each >= 0.97.

    python bench/syndication_score.py               # without --own-domain (the harder election)
    python bench/syndication_score.py --own-domain  # the site owner's audit
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import mimetypes
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import combinations
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "syndication"
_PLACEHOLDER = re.compile(r"\{\{([a-z0-9_-]+)\}\}")
_LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, addr: tuple[str, int], root: Path, bases: dict[str, str]) -> None:
        super().__init__(addr, _Handler)
        self.root = root
        self.bases = bases
        hfile = root / "_headers.json"
        self.extra: dict[str, dict[str, str]] = json.loads(hfile.read_text()) if hfile.exists() else {}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _fill(self, text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self.server.bases.get(m.group(1), m.group(0)), text)

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        root = self.server.root.resolve()
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if (
            (root not in target.parents and target != root)
            or not target.is_file()
            or target.name == "_headers.json"
        ):
            self._send(404, b"not found", "text/plain", {})
            return
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        body = target.read_bytes()
        if ctype.startswith(("text/", "application/xml")):
            body = self._fill(body.decode("utf-8")).encode("utf-8")
            ctype += "; charset=utf-8"
        extra = {k: self._fill(v) for k, v in self.server.extra.get(path, {}).items()}
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if etag == self.headers.get("If-None-Match"):
            self._send(304, b"", ctype, {"ETag": etag})
            return
        self._send(200, body, ctype, {"ETag": etag, "Last-Modified": _LAST_MODIFIED, **extra})

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


@contextmanager
def serve(sites_root: Path, names: list[str]) -> Iterator[dict[str, str]]:
    bases: dict[str, str] = {}
    servers = []
    try:
        for n, name in enumerate(names, start=1):
            srv = _Server((f"127.0.0.{n}", 0), sites_root / name, bases)
            bases[name] = f"http://127.0.0.{n}:{srv.server_address[1]}"
            servers.append(srv)
        for srv in servers:
            threading.Thread(target=srv.serve_forever, daemon=True).start()
        yield bases
    finally:
        for srv in servers:
            srv.shutdown()
            srv.server_close()


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "copyhound"
    return [str(script)] if script.exists() else [sys.executable, "-m", "copyhound.cli"]


def _norm(url: str) -> str:
    return url.rstrip("/") or url


def score(report: dict, truth: dict, bases: dict[str, str]) -> dict[str, object]:
    def resolve(site_path: str) -> str:
        site, path = site_path.split(":", 1)
        return _norm(bases[site] + path)

    true_clusters = [
        {"canonical": resolve(c["canonical"]), "copies": {resolve(u): v for u, v in c["copies"].items()}}
        for c in truth["clusters"]
    ]
    pred_clusters = [
        {
            "canonical": _norm(c["canonical"]["url"]),
            "reason": c["canonical"]["reason"],
            "copies": {_norm(x["url"]): x for x in c["copies"]},
        }
        for c in report["clusters"]
    ]

    def pairs(clusters: list[dict]) -> set[tuple[str, str]]:
        out = set()
        for c in clusters:
            urls = sorted({c["canonical"], *c["copies"]})
            out.update(combinations(urls, 2))
        return out

    tp, pp = pairs(true_clusters), pairs(pred_clusters)
    hit = tp & pp
    canon_ok = status_ok = relation_ok = n_copies = 0
    problems = []
    for t in true_clusters:
        urls = {t["canonical"], *t["copies"]}
        best = max(pred_clusters, key=lambda p: len(urls & {p["canonical"], *p["copies"]}), default=None)
        if best is not None and best["canonical"] == t["canonical"]:
            canon_ok += 1
        else:
            problems.append(f"canonical of {t['canonical']}: got {best and best['canonical']}")
        for u, want in t["copies"].items():
            n_copies += 1
            got = best["copies"].get(u) if best else None
            if got is None and best is not None and best["canonical"] == u:
                got = {"status": "(canonical)", "relation": "(canonical)"}
            if got and got["status"] == want["status"]:
                status_ok += 1
            else:
                problems.append(f"status of {u}: want {want['status']}, got {got and got['status']}")
            if got and got["relation"] == want["relation"]:
                relation_ok += 1
            else:
                problems.append(f"relation of {u}: want {want['relation']}, got {got and got['relation']}")
    problems += [f"extra pair {a} ~ {b}" for a, b in sorted(pp - tp)]
    problems += [f"missed pair {a} ~ {b}" for a, b in sorted(tp - pp)]
    return {
        "pair_precision": round(len(hit) / len(pp), 4) if pp else 0.0,
        "pair_recall": round(len(hit) / len(tp), 4) if tp else 0.0,
        "canonical_right": round(canon_ok / len(true_clusters), 4),
        "status_right": round(status_ok / n_copies, 4),
        "relation_right": round(relation_ok / n_copies, 4),
        "true_clusters": len(true_clusters),
        "predicted_clusters": len(pred_clusters),
        "true_copies": n_copies,
        "problems": problems,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--own-domain", action="store_true", help="pass the origin site as --own-domain")
    ap.add_argument("--db", type=Path, help="keep the database here (default: a temporary file)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args()
    truth = json.loads((args.corpus / "truth.json").read_text())
    names = truth["sites"]
    with tempfile.TemporaryDirectory() as tmp, serve(args.corpus / "sites", names) as bases:
        db = args.db or Path(tmp) / "syndication.db"
        seeds = [bases[n] + "/" for n in names]
        cmd = [*_cli(), "crawl", *seeds, "--db", str(db), "--delay", "0", "--quiet"]
        if args.own_domain:
            cmd += ["--own-domain", urlsplit(bases[truth["own_domain"]]).hostname or ""]
        crawl = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
        if crawl.returncode != 0:
            print(f"crawl failed ({crawl.returncode}): {crawl.stderr.strip()}", file=sys.stderr)
            return 1
        rep = subprocess.run(
            [*_cli(), "report", "--db", str(db), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if rep.returncode != 0:
            print(f"report failed: {rep.stderr.strip()}", file=sys.stderr)
            return 1
        result = score(json.loads(rep.stdout), truth, bases)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for k, v in result.items():
            if k != "problems":
                print(f"{k:20s} {v}")
        for p in result["problems"]:
            print("  -", p)
    ok = all(result[k] >= 0.97 for k in ("pair_precision", "pair_recall", "canonical_right", "status_right"))
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
