#!/usr/bin/env python3
"""Dedupe at scale: time and peak memory of `update_clusters` on generated posts.

For each size N (default 10,000, 30,000 and 100,000 posts) a fresh SQLite
database is filled with N generated posts (Zipf vocabulary, 200-800 words) on
pages of several hosts: 85% originals, 5% exact copies on other hosts, 5% near
copies (5% of the words changed, an editor's note added), and tag archives
holding three posts each (5% of the posts). Then, in a fresh process, the
whole dedupe stage runs (sign, candidates, verify, cluster, store) and its
wall time and peak RSS are recorded; then 1% new posts are added and the
incremental re-run is timed too, and a last run with nothing new. Targets (issue 17): 100,000 posts in < 40 s;
1,000,000 in < 10 min and < 4 GB; a re-run after 1% new posts at 10^6 in < 30 s,
one with nothing new in < 5 s; the database under 5 GB (`--dbstat` prints
each table's and index's share; `--search-index` then fills the post search
index a run's end builds, which the dedupe stage neither needs nor writes).
Wall time on a shared machine mostly measures the neighbours: CPU seconds and
the load average are printed beside it, and a before/after comparison runs the
two versions side by side (each from its own copy of the tree).

    python bench/dedupe_scale.py                  # 10k, 30k, 100k
    python bench/dedupe_scale.py --sizes 5000 --keep /tmp/scale
    # 10^6: generate once (~20 min here), then measure on it
    python bench/dedupe_scale.py --child generate --db /tmp/scale-1m/scale_1000000.db --n 1000000
    python bench/dedupe_scale.py --sizes 1000000 --keep /tmp/scale-1m --reuse --dbstat
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# copyhound is imported as installed (`pip install -e .` or `pip install .`):
# the checkout's own copyhound/ folder on sys.path would hide copyhound.dedupe.


def _vocab(rng, n: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for i in range(n):
        w, x = [], i
        for _ in range(3):
            w.append(letters[x % 26])
            x //= 26
        out.append("".join(w) + "".join(rng.choice(list(letters), int(rng.integers(0, 5)))))
    return out


def generate(path: Path, n: int, seed: int = 7) -> dict[str, int]:
    """Fill a new database at `path` with about `n` posts."""
    import numpy as np

    from copyhound.dedupe.match.text import text_hash
    from copyhound.store import open_db
    from copyhound.store.packed_text import pack_text

    rng = np.random.default_rng(seed)
    vocab = np.array(_vocab(rng, 30_000), dtype=object)
    w = 1.0 / np.arange(1, len(vocab) + 1) ** 1.07
    cdf = np.cumsum(w / w.sum())

    def words(k: int) -> list[str]:
        return list(vocab[np.searchsorted(cdf, rng.random(k))])

    def text_of(ws: list[str]) -> str:
        # paragraphs of ~60 words, sentences of ~12
        out = []
        for i in range(0, len(ws), 60):
            para = ws[i : i + 60]
            out.append(" ".join(x + ("." if j % 12 == 11 else "") for j, x in enumerate(para)))
        return "\n\n".join(out)

    n_orig = int(n * 0.85)
    n_exact = int(n * 0.05)
    n_near = int(n * 0.05)
    n_arch_posts = n - n_orig - n_exact - n_near
    originals = [words(int(rng.integers(200, 800))) for _ in range(n_orig)]
    db = open_db(path)
    page_rows, post_rows = [], []

    def page(url: str, texts: list[str], day: int) -> None:
        pid = len(page_rows) + 1
        host = url.split("/")[2]
        # each page its own bytes, as crawled pages have: equal hashes on one
        # host would make every page a candidate alias (store/pages.py)
        page_rows.append((pid, url, url, host, 200, f"2024-01-01T00:00:{day % 60:02d}Z", f"body{pid}",
                          f"2024-{1 + day % 12:02d}-{1 + day % 28:02d}"))
        for o, t in enumerate(texts):
            post_rows.append((pid, o, "post", pack_text(t), text_hash(t), len(t.split()), "[]"))

    for i, ws in enumerate(originals):
        page(f"http://site{i % 50}.example/post/{i}/", [text_of(ws)], i)
    for k, i in enumerate(rng.choice(n_orig, n_exact, replace=False)):
        page(f"http://copies{k % 20}.example/exact/{k}/", [text_of(originals[i])], int(i) + 1)
    for k, i in enumerate(rng.choice(n_orig, n_near, replace=False)):
        ws = list(originals[i])
        for j in rng.choice(len(ws), max(1, len(ws) // 20), replace=False):
            ws[j] = "edited"
        note = ["editor", "note:", "first", "appeared", "elsewhere,", "republished", "with", "permission"]
        page(f"http://near{k % 20}.example/near/{k}/", [text_of(note + ws)], int(i) + 2)
    picks = rng.choice(n_orig, n_arch_posts, replace=False)
    for k in range(0, len(picks), 3):
        page(f"http://site{k % 50}.example/tag/{k}/", [text_of(originals[i]) for i in picks[k : k + 3]], k)
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO pages(id, url, final_url, host, status, first_seen, body_hash, published) "
            "VALUES (?,?,?,?,?,?,?,?)", page_rows)
        db.conn.executemany(
            "INSERT INTO posts(page_id, ordinal, kind, text, text_hash, words, links) VALUES (?,?,?,?,?,?,?)",
            post_rows)
    db.conn.close()
    return {"pages": len(page_rows), "posts": len(post_rows)}


def add_new(path: Path, n: int, seed: int = 11) -> None:
    """A re-crawl's worth of change: `n` new pages copying existing posts or new."""
    from copyhound.dedupe.match.text import text_hash
    from copyhound.store import open_db
    from copyhound.store.packed_text import pack_text, unpack_text

    db = open_db(path)
    rows = [(unpack_text(r[0]),) for r in db.execute("SELECT text FROM posts ORDER BY id LIMIT ?", [n // 2])]
    start = db.execute("SELECT max(id) FROM pages").fetchone()[0] + 1
    with db.atomic():
        for k in range(n):
            text = rows[k % len(rows)][0] if k % 2 == 0 else " ".join(f"fresh{k}w{j}" for j in range(300))
            url = f"http://recrawl.example/{start + k}/"
            db.conn.execute("INSERT INTO pages(id, url, final_url, host, status, first_seen, body_hash) "
                            "VALUES (?,?,?,?,200,'2024-06-01T00:00:00Z',?)",
                            (start + k, url, url, "recrawl.example", f"body{start + k}"))
            db.conn.execute("INSERT INTO posts(page_id, ordinal, kind, text, text_hash, words, links) "
                            "VALUES (?,0,'post',?,?,?,'[]')",
                            (start + k, pack_text(text), text_hash(text), len(text.split())))
    db.conn.close()


def dedupe(path: Path) -> dict[str, object]:
    """Run the dedupe stage once (in this process) and report time and peak RSS."""
    from copyhound.stages.cluster_pass import update_clusters
    from copyhound.store import open_db

    db = open_db(path)
    t0, c0 = time.perf_counter(), time.process_time()
    stats = update_clusters(db, run_id=None, is_own_url=lambda u: False)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # CPU seconds too: on a shared machine wall time mostly measures the neighbours
    return {"seconds": round(dt, 2), "cpu_s": round(cpu, 2), "peak_rss_mb": round(peak_mb, 1),
            "load": round(os.getloadavg()[0], 1), **stats.as_dict()}


def search_index(path: Path) -> dict[str, object]:
    """Fill the post search index as a run's end does (every post: none is indexed yet)."""
    from copyhound.store import open_db
    from copyhound.store.search import refresh_post_search

    db = open_db(path)
    t0, c0 = time.perf_counter(), time.process_time()
    indexed = refresh_post_search(db)
    return {"indexed": indexed, "seconds": round(time.perf_counter() - t0, 1),
            "cpu_s": round(time.process_time() - c0, 1), "db_mb": round(os.path.getsize(path) / 1e6, 1)}


def counts(path: Path) -> dict[str, object]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        posts, pages = con.execute("SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM pages)").fetchone()
    finally:
        con.close()
    return {"posts": posts, "pages": pages, "seconds": 0.0}


def table_sizes(path: Path) -> list[tuple[str, float]]:
    """(table or index, MB) from SQLite's dbstat virtual table, largest first."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    finally:
        con.close()
    return [(str(n), round(b / 1e6, 1)) for n, b in rows]


def _child(step: str, path: Path, n: int = 0) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", step, "--db", str(path), "--n", str(n)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{step} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,30000,100000")
    ap.add_argument("--keep", help="folder for the databases (default: a temporary one, removed)")
    ap.add_argument("--dbstat", action="store_true", help="print each table's and index's size (MB) after the runs")
    ap.add_argument("--search-index", action="store_true",
                    help="then fill the post search index (each run's end does) and print its cost and the size")
    ap.add_argument("--reuse", action="store_true",
                    help="use a database already generated in --keep (generating 10^6 posts takes ~half an hour)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        path = Path(args.db)
        if args.child == "generate":
            t0 = time.perf_counter()
            out: dict[str, object] = generate(path, args.n)
            out["seconds"] = round(time.perf_counter() - t0, 1)
        elif args.child == "count":
            out = counts(path)
        elif args.child == "search":
            out = search_index(path)
        elif args.child == "add":
            add_new(path, args.n)
            out = {}
        else:
            out = dedupe(path)
        print(json.dumps(out))
        return
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dedupe_scale_"))
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        path = folder / f"scale_{n}.db"
        if args.reuse and path.exists():  # generated earlier (`--child generate`) and never deduped
            gen = _child("count", path)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            gen = _child("generate", path, n)
        first = _child("dedupe", path)
        _child("add", path, max(10, n // 100))
        again = _child("dedupe", path)
        idle = _child("dedupe", path)  # nothing new since the last run
        size_mb = os.path.getsize(path) / 1e6
        row = {"posts": gen["posts"], "pages": gen["pages"], "generate_s": gen["seconds"],
               "dedupe_s": first["seconds"], "dedupe_cpu_s": first["cpu_s"], "load": first["load"],
               "peak_rss_mb": first["peak_rss_mb"],
               "clusters": first["clusters"], "copies": first["copies"], "candidates": first["candidates"],
               "recrawl_new_posts": max(10, n // 100), "recrawl_s": again["seconds"], "recrawl_cpu_s": again["cpu_s"],
               "recrawl_signed": again["signed"], "recrawl_rss_mb": again["peak_rss_mb"],
               "idle_s": idle["seconds"], "idle_cpu_s": idle["cpu_s"], "idle_signed": idle["signed"],
               "db_mb": round(size_mb, 1)}
        results.append(row)
        print(json.dumps(row), flush=True)
        if args.search_index:
            print(json.dumps({"posts": gen["posts"], "search_index": _child("search", path)}), flush=True)
        if args.dbstat:
            print(json.dumps({"posts": gen["posts"], "dbstat_mb": table_sizes(path)}), flush=True)
    if not args.keep:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    print()
    print(f"{'posts':>8} {'dedupe s':>9} {'cpu s':>7} {'load':>5} {'peak MB':>8} {'clusters':>9} "
          f"{'re-crawl s':>11} {'cpu s':>7} {'idle s':>7} {'cpu s':>7} {'db MB':>7}")
    for r in results:
        print(f"{r['posts']:>8} {r['dedupe_s']:>9} {r['dedupe_cpu_s']:>7} {r['load']:>5} {r['peak_rss_mb']:>8} "
              f"{r['clusters']:>9} {r['recrawl_s']:>11} {r['recrawl_cpu_s']:>7} {r['idle_s']:>7} {r['idle_cpu_s']:>7} "
              f"{r['db_mb']:>7}")


if __name__ == "__main__":
    main()
