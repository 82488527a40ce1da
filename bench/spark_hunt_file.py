#!/usr/bin/env python3
"""The Spark hunt's per-file function, without Spark: records per CPU-second.

Each Spark task of `copyhound spark hunt` runs `copyhound.spark.hunt.hunt_file`
over one WARC file. This bench calls it in child processes, over one file of
the hunt corpus (`bench/warc_bench.py --hunt-curve`: 100,000 records a file,
1% copies of 1,000 own posts), against the index of those own posts, and
alternates it with the one-record-at-a-time loop it replaced (`one_at_a_time`,
that loop kept here). CPU-seconds are the child's process time around the loop
alone (the index is built before). Both must yield the same match rows and counts.

`--spark` instead runs the whole `copyhound spark hunt CORPUS --master local[2]`
`--repeat` times, CPU-seconds of its process tree (JVM and Python workers,
`bench/spark_bench.py`'s `measured`), Spark's start-up included.

    python bench/spark_hunt_file.py --corpus /tmp/ingest-hunt1m/hunt-000.warc.gz --repeat 3
    python bench/spark_hunt_file.py --corpus /tmp/ingest-hunt1m/hunt-000.warc.gz --repeat 2 --spark
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MODES = ("one-at-a-time", "grouped")


def one_at_a_time(path: str, index: Any) -> Iterator[tuple[str, Any]]:
    """`hunt_file` as it was before it grouped records: `verdict` a record at a time."""
    from copyhound.spark.hunt import hunt_file_singly

    return hunt_file_singly(path, index)


def child(mode: str, db: str, corpus: str) -> None:
    from copyhound.spark.hunt import hunt_file, load_hunt_index

    index, _ = load_hunt_index(db, ("own.test",))
    run = hunt_file if mode == "grouped" else one_at_a_time
    digest, matches, counts = hashlib.sha256(), 0, {}
    t0 = time.process_time()
    for kind, value in run(corpus, index):
        if kind == "match":
            matches += 1
            digest.update(repr(value).encode())
        elif kind == "counts":
            counts = value
    cpu = time.process_time() - t0
    hwm = next(int(x.split()[1]) for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM"))
    print(json.dumps({"mode": mode, "cpu_s": cpu, "matches": matches, "digest": digest.hexdigest(),
                      "counts": counts, "peak_rss_mb": hwm / 1024}))


def spark_runs(db: str, corpus: Path, repeat: int, tmp: Path) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from spark_bench import CLI, measured

    for _ in range(repeat):
        wall, cpu, _ = measured([*CLI, "spark", "hunt", str(corpus), "--db", db, "--output", str(tmp / "out"),
                                 "--master", "local[2]"])
        stats = json.loads((tmp / "out" / "job.json").read_text())["stats"]
        print(json.dumps({"spark_cpu_s": round(cpu, 1), "wall_s": round(wall, 1),
                          "records_per_cpu_s": round(stats["records"] / cpu), "stats": stats}), flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/ingest-hunt1m/hunt-000.warc.gz"))
    ap.add_argument("--own", type=Path, help="the own posts' WARC (default: own.warc.gz beside the corpus)")
    ap.add_argument("--repeat", type=int, default=3, help="pairs, alternating")
    ap.add_argument("--spark", action="store_true", help="the whole Spark hunt instead (local[2])")
    ap.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.db, str(a.corpus))
        return 0
    own = a.own or a.corpus.parent / "own.warc.gz"
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "site.db")
        subprocess.run([sys.executable, "-m", "copyhound.cli", "ingest", str(own), "--db", db,
                        "--own-domain", "own.test", "--quiet"], check=True)
        if a.spark:
            return spark_runs(db, a.corpus, a.repeat, Path(tmp))
        runs: dict[str, list[dict[str, Any]]] = {m: [] for m in MODES}
        for n in range(a.repeat):
            for mode in MODES if n % 2 == 0 else MODES[::-1]:
                out = subprocess.run([sys.executable, __file__, "--child", mode, "--db", db, "--corpus", str(a.corpus)],
                                     check=True, capture_output=True, text=True).stdout
                r = json.loads(out)
                runs[mode].append(r)
                rate = r["counts"]["records"] / r["cpu_s"]
                print(f"{mode:>13}: {r['cpu_s']:7.2f} CPU-s  {rate:7.0f} records/CPU-s  "
                      f"peak RSS {r['peak_rss_mb']:.1f} MB  {r['counts']}", flush=True)
    same = {(r["digest"], json.dumps(r["counts"], sort_keys=True)) for rs in runs.values() for r in rs}
    med = {m: statistics.median(r["cpu_s"] for r in rs) for m, rs in runs.items()}
    records = runs["grouped"][0]["counts"]["records"]
    print(json.dumps({"records": records, "median_cpu_s": med,
                      "records_per_cpu_s": {m: records / c for m, c in med.items()},
                      "speedup": med["one-at-a-time"] / med["grouped"], "same_output": len(same) == 1}))
    return 0 if len(same) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
