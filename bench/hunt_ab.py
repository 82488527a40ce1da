"""`copyhound hunt` of an older checkout beside this one: child hunts over the
same generated corpus (bench/warc_bench.py's hunt records: 1,000 own posts,
1% copies), alternating old and new, each child's CPU-seconds and peak RSS;
then checks that both stored the same pages and posts (every column bar row
ids, run and timings) and report the same clusters.

Alternation in one session cancels most of the drift of a shared machine
that separate benchmark runs suffer. The older checkout needs its own venv
(its editable install maps `copyhound` to its own tree):

    git worktree add --detach /tmp/hunt-base d8ae9df
    (cd /tmp/hunt-base && python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]")
    .venv/bin/python bench/hunt_ab.py /tmp/hunt-base --records 20000 --repeat 3
    .venv/bin/python bench/hunt_ab.py /tmp/hunt-base --corpus /tmp/hunt1m/hunt-000.warc.gz --own /tmp/hunt1m/own.warc.gz
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from warc_bench import _WITH_RSS, hunt_corpora

HERE = Path(__file__).resolve().parents[1]


def _python(tree: Path) -> str:
    return str(tree / ".venv" / "bin" / "python")


def _run(tree: Path, args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    # cwd outside both trees: `python -c` puts the cwd first on sys.path, and a
    # checkout's own copyhound/ folder there would shadow the other's install
    out = subprocess.run([_python(tree), *args], capture_output=True, text=True, cwd=tmp)
    if out.returncode:
        raise SystemExit(f"{tree}: {' '.join(args[:3])} exited {out.returncode}:\n{out.stderr[-2000:]}")
    return out


def _own_db(tree: Path, own: Path, tmp: Path, tag: str) -> Path:
    db = tmp / f"own-{tag}.db"
    if not db.exists():
        _run(tree, ["-m", "copyhound.cli", "ingest", str(own), "--db", str(db), "--own-domain", "own.test",
                    "--quiet"], db.parent)
    return db


def _outcome(tree: Path, db: Path) -> dict[str, object]:
    """What the hunt left: the pages stored and the report's clusters, as digests."""
    rep = json.loads(_run(tree, ["-m", "copyhound.cli", "report", "--db", str(db), "--format", "json"],
                          db.parent).stdout)
    clusters = sorted((c["canonical"]["url"], c["canonical"]["reason"],
                       sorted((x["url"], x["relation"], x["similarity"], x["containment"], x["status"])
                              for x in c["copies"])) for c in rep["clusters"])
    with sqlite3.connect(db) as conn:
        pages = sorted(r[0] for r in conn.execute("SELECT url FROM pages"))
        rows = {t: _rows(conn, t) for t in ("pages", "posts")}
    return {"pages": len(pages), "pages_sha1": hashlib.sha1(repr(pages).encode()).hexdigest()[:12],
            "clusters": len(clusters), "copies": sum(len(c[2]) for c in clusters),
            "report_sha1": hashlib.sha1(repr(clusters).encode()).hexdigest()[:12],
            "rows_sha1": hashlib.sha1(repr(rows).encode()).hexdigest()[:12]}


# Columns that differ between two identical hunts: row ids, the run, timings, wall-clock dates.
_VOLATILE = {"id", "page_id", "last_run_id", "elapsed_ms", "first_seen"}


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    """Every stored page or post (posts keyed by their page's URL), bar `_VOLATILE` columns: what each hunt stored."""
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in _VOLATILE]
    sql = (f"SELECT {', '.join(cols)} FROM pages" if table == "pages" else
           f"SELECT pages.url, {', '.join('posts.' + c for c in cols)} FROM posts "
           "JOIN pages ON pages.id = posts.page_id")
    return sorted(conn.execute(sql), key=repr)


def hunt_once(tree: Path, own: Path, corpus: Path, tmp: Path, tag: str) -> dict[str, object]:
    db = tmp / f"run-{tag}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(_own_db(tree, own, tmp, tag), db)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = _run(tree, ["-c", _WITH_RSS, "hunt", str(corpus), "--db", str(db)], tmp)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    records = int(out.stderr.split("hunt: ", 1)[1].split(" records")[0])
    rss_mb = int(out.stderr.rsplit("maxrss_kb=", 1)[1].split()[0]) / 1024
    return {"tag": tag, "records": records, "cpu_s": round(cpu, 2), "records_per_cpu_s": round(records / cpu),
            "peak_rss_mb": round(rss_mb, 1), **_outcome(tree, db)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base", type=Path, help="the older checkout (with its own .venv)")
    ap.add_argument("--records", type=int, default=20_000, help="generated corpus size (without --corpus)")
    ap.add_argument("--corpus", type=Path, help="an existing hunt corpus (with --own)")
    ap.add_argument("--own", type=Path, help="the own posts' WARC that goes with --corpus")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hunt-ab-") as d:
        tmp = Path(d)
        own, corpus = args.own, args.corpus
        if corpus is None or own is None:
            own, corpus = tmp / "own.warc.gz", tmp / "hunt.warc.gz"
            hunt_corpora(own, corpus, 1000, args.records)
        runs = []
        for _ in range(args.repeat):
            for tag, tree in (("base", args.base.resolve()), ("this", HERE)):
                runs.append(hunt_once(tree, own, corpus, tmp, tag))
                print(json.dumps(runs[-1]), flush=True)
        same = {(r["pages_sha1"], r["report_sha1"], r["rows_sha1"]) for r in runs}
        rate = {t: [float(str(r["records_per_cpu_s"])) for r in runs if r["tag"] == t] for t in ("base", "this")}
        ratios = [round(n / b, 2) for n, b in zip(rate["this"], rate["base"], strict=True)]
        print(json.dumps({"records_per_cpu_s": rate, "ratios": ratios,
                          "same_pages_posts_and_clusters": len(same) == 1}))

if __name__ == "__main__":
    main()
