"""Report formats at scale: peak RSS and seconds of `copyhound report` for
each format on a generated database.

    .venv/bin/python bench/report_scale.py --copies 1000000 --formats jsonl,csv
    .venv/bin/python bench/report_scale.py --copies 45000 --formats json,csv,jsonl,html,table

The database is generated once per size under /tmp (clusters of 10 copies,
statuses and hosts mixed as a real site's are) and reused. Each report runs
in its own process; peak RSS is that child's ru_maxrss.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from copyhound.store import open_db

STATUSES = ("missing-canonical", "self-canonical", "canonical-ok", "noindex", "canonical-elsewhere")
RELATIONS = ("exact", "near", "contains", "excerpt")
COPIES_PER_CLUSTER = 10


def generate(path: Path, copies: int) -> None:
    rng = random.Random(16)
    db = open_db(path)
    clusters = copies // COPIES_PER_CLUSTER
    with db.atomic():
        db["clusters"].insert_all(
            ({"id": f"c{i:08d}", "canonical_post_id": i, "canonical_page_id": i,
              "canonical_url": f"https://blog.example/{i}/", "title": f"Post number {i}",
              "published": "2024-01-01", "reason": "own-domain"} for i in range(clusters)),
            batch_size=5_000,
        )
        db["cluster_members"].insert_all(
            ({"cluster_id": f"c{i // COPIES_PER_CLUSTER:08d}", "post_id": clusters + i, "page_id": clusters + i,
              "url": f"https://host{i % 97}.example/tag/t{i % 13}/{i}/", "relation": rng.choice(RELATIONS),
              "similarity": round(rng.random(), 4), "containment": round(rng.random(), 4),
              "canonical_link": None, "robots_noindex": 0, "links_to_canonical": rng.random() < 0.3,
              "status": rng.choice(STATUSES)} for i in range(clusters * COPIES_PER_CLUSTER)),
            batch_size=5_000,
        )
    db.conn.close()


def measure(db: Path, fmt: str, out: Path) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "copyhound.cli", "report", "--db", str(db), "--format", fmt,
                           "--output", str(out)], capture_output=True, text=True)
    secs = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(f"report --format {fmt} failed: {proc.stderr.strip()}")
    # ru_maxrss of children is the largest child so far: formats run from small to big is not guaranteed,
    # so each format is measured in a fresh interpreter by main() when --one is not given.
    rss_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return secs, rss_mb, out.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=1_000_000)
    ap.add_argument("--formats", default="jsonl,csv")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    db = Path(f"/tmp/copyhound-report-scale-{args.copies}.db")
    if args.one:
        secs, rss, size = measure(db, args.one, db.with_suffix(f".{args.one}"))
        print(f"{args.one:6} {args.copies:>9,} copies  {secs:6.1f} s  peak RSS {rss:7.0f} MB  "
              f"output {size / 1e6:7.1f} MB", flush=True)
        return
    if not db.exists():
        t = time.perf_counter()
        generate(db, args.copies)
        print(f"generated {db} ({args.copies:,} copies) in {time.perf_counter() - t:.0f} s", flush=True)
    for fmt in args.formats.split(","):
        # A fresh parent per format, so ru_maxrss of children is this format's alone.
        subprocess.run([sys.executable, __file__, "--copies", str(args.copies), "--one", fmt], check=True)


if __name__ == "__main__":
    main()
