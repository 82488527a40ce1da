#!/usr/bin/env python3
"""Spark local[2] vs in-process: CPU-seconds per 1,000 WARC records, same files.

Generates N HTML records (default 10,000) over F WARC.gz files: posts of
150-600 words (Zipf vocabulary) on 40 hosts with their site chrome; 80%
originals, 8% exact copies on other hosts, 6% near copies (5% of the words
changed), 6% tag archives holding three posts. Then, each in a fresh process:

- in-process: `copyhound ingest FILES --db X` (the crawl's sink + dedupe);
- Spark: `copyhound spark dedupe FILES --output DIR --master local[2]` (its
  session started inside the measured process, the Spark event log on).

CPU-seconds are user+system of every process of the run (the JVM and its
Python workers included: /proc sampled every 0.2 s, per process the last
value seen). Shuffle bytes are the sum of "Shuffle Bytes Written" in the
event log. The two runs must find the same number of clusters and copies.

    python bench/spark_bench.py --records 10000 --files 8
    python bench/spark_bench.py --records 30000 --files 16 --keep /tmp/sb --json
"""

from __future__ import annotations

import argparse
import glob
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [str(Path(sys.executable).parent / "copyhound")]
TICK = os.sysconf("SC_CLK_TCK")


def _vocab(n: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(letters[(i // 26**k) % 26] for k in range(4)) for i in range(n)]


def _text(rng: random.Random, words: list[str], weights: list[float]) -> str:
    return " ".join(rng.choices(words, weights, k=rng.randint(150, 600)))


def _page(host: int, title: str, paragraphs: list[str]) -> bytes:
    chrome = (f"<nav><a href='/'>Home {host}</a> <a href='/about'>About site {host}</a></nav>"
              f"<aside>Subscribe to the newsletter of site number {host} for weekly updates</aside>")
    body = "".join(f"<article><h1>{title}</h1><p>{p}</p></article>" for p in paragraphs)
    return (f"<html><head><title>{title}</title></head><body>{chrome}{body}"
            f"<footer>Copyright site {host}</footer></body></html>").encode()


def generate(out: Path, records: int, files: int, seed: int = 13) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    words = _vocab(20_000)
    weights = [1 / (i + 1) for i in range(len(words))]
    posts: list[str] = []
    out.mkdir(parents=True, exist_ok=True)
    writers = []
    for f in range(files):
        fh = (out / f"bench-{f:04d}.warc.gz").open("wb")
        writers.append((fh, WARCWriter(fh, gzip=True, warc_version="1.1")))
    for i in range(records):
        host = rng.randrange(40)
        roll = rng.random()
        if posts and roll < 0.08:
            paragraphs = [rng.choice(posts)]
        elif posts and roll < 0.14:
            w = rng.choice(posts).split()
            paragraphs = [" ".join(x if rng.random() > 0.05 else rng.choice(words) for x in w)]
        elif len(posts) >= 3 and roll < 0.20:
            paragraphs = rng.sample(posts, 3)
        else:
            posts.append(_text(rng, words, weights))
            paragraphs = [posts[-1]]
        body = _page(host, f"Post {i}", paragraphs)
        head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                           ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        _, writer = writers[i % files]
        writer.write_record(writer.create_warc_record(f"http://site{host}.test/p/{i}", "response",
                                                      payload=io.BytesIO(body), http_headers=head))
    for fh, _ in writers:
        fh.close()


def _tree(pid: int) -> set[int]:
    """pid and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d))
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        out.add(p)
        todo.extend(children.get(p, []))
    return out


def measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall s, CPU s of the whole process tree, stderr) of one command."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        for p in _tree(proc.pid):
            try:
                f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                cpu[p] = (int(f[11]) + int(f[12])) / TICK
            except (OSError, IndexError, ValueError):
                pass
        time.sleep(0.2)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])} failed ({proc.returncode}): {err[-2000:]}")
    return time.monotonic() - start, sum(cpu.values()), err


def shuffle_bytes(event_dir: Path) -> tuple[int, int, int]:
    """(shuffle bytes written, stages, tasks) from the Spark event log."""
    written = stages = tasks = 0
    for log in event_dir.iterdir():
        for line in log.open():
            e = json.loads(line)
            if e["Event"] == "SparkListenerTaskEnd":
                tasks += 1
                metrics = (e.get("Task Metrics") or {}).get("Shuffle Write Metrics", {})
                written += metrics.get("Shuffle Bytes Written", 0)
            elif e["Event"] == "SparkListenerStageCompleted":
                stages += 1
    return written, stages, tasks


def run(records: int, files: int, work: Path) -> dict[str, object]:
    warcs = work / "warc"
    if not warcs.exists():
        generate(warcs, records, files)
    paths = sorted(glob.glob(str(warcs / "*.warc.gz")))
    # a kept folder is measured again from scratch: ingest skips records a database already holds
    for old in [*glob.glob(str(work / "inproc.db*")), work / "out", work / "events"]:
        shutil.rmtree(old) if Path(old).is_dir() else Path(old).unlink()
    wall_i, cpu_i, _ = measured([*CLI, "ingest", *paths, "--db", str(work / "inproc.db"), "--quiet"])
    events = work / "events"
    events.mkdir(exist_ok=True)
    submit = f"--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://{events} pyspark-shell"
    wall_s, cpu_s, _ = measured([*CLI, "spark", "dedupe", str(warcs / "*.warc.gz"), "--output", str(work / "out"),
                                   "--master", "local[2]"], {"PYSPARK_SUBMIT_ARGS": submit})
    written, stages, tasks = shuffle_bytes(events)
    stats = json.loads((work / "out" / "job.json").read_text())["stats"]
    report = json.loads(subprocess.run([*CLI, "report", "--db", str(work / "inproc.db"), "--format", "json"],
                                       capture_output=True, text=True, check=True).stdout)
    return {
        "records": records, "files": files, "cpu_count": os.cpu_count(), "loadavg_1m": os.getloadavg()[0],
        "in_process": {"wall_s": round(wall_i, 1), "cpu_s": round(cpu_i, 1),
                       "cpu_s_per_1000": round(1000 * cpu_i / records, 2),
                       "clusters": len(report["clusters"]),
                       "copies": sum(len(c["copies"]) for c in report["clusters"])},
        "spark_local2": {"wall_s": round(wall_s, 1), "cpu_s": round(cpu_s, 1),
                         "cpu_s_per_1000": round(1000 * cpu_s / records, 2), "clusters": stats["clusters"],
                         "copies": stats["copies"], "shuffle_bytes": written,
                         "shuffle_bytes_per_record": round(written / records, 1), "stages": stages, "tasks": tasks},
        "overhead_ratio": round(cpu_s / cpu_i, 2) if cpu_i else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--keep", type=Path, help="work folder to keep (the WARC set is reused when present)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.records, args.files, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(args.records, args.files, Path(tmp))
    print(json.dumps(result, indent=2) if args.json else
          f"{args.records} records: in-process {result['in_process']}, spark local[2] {result['spark_local2']}, "
          f"CPU ratio {result['overhead_ratio']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
