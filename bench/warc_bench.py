#!/usr/bin/env python3
"""WARC throughput (issue 12): FastWARC raw reads, extraction only, ingest, hunt.

On generated records (blog-like pages: header, nav, sidebar, footer around
one post of 150-400 words; one in three posts also copied on another host):

1. FastWARC raw read: records and MB per CPU-second (iterate, read bodies);
2. extraction only: pages per CPU-second of `dedupe` extraction (decode +
   `extract_page`) on the same records;
3. ingest: pages per CPU-second of `run_ingest` (read, extract, store,
   sign, cluster), in-process, one core; target >= 80% of (2);
4. hunt: a database with 1,000 own posts (ingested), then `copyhound hunt`
   over N generated records (1% copies of own posts) in a child process:
   records per CPU-second and the child's peak RSS; target >= 3x (3). Run at
   two corpus sizes, the RSS must not grow with the corpus.

    python bench/warc_bench.py                       # 5,000 ingest records, hunt over 20k and 100k
    python bench/warc_bench.py --ingest-records 2000 --hunt-records 10000
    python bench/warc_bench.py --hunt-curve 1000000 --corpus-dir /tmp/hunt1m   # RSS curve, every 50k records
    python bench/warc_bench.py --hunt-records 0 --real-pages /work/shared/bench/extraction-scrapinghub/html

`--real-pages DIR_OR_GLOB...` adds a corpus of real pages beside the
generated one (which stays the default): every .html, .htm and .html.gz file
found, written as WARC records again and again under varied host names until
`--real-records` (each page is thus copied on several hosts: dedupe has work),
then raw read, extraction only and ingest (and `--stages`) measured on it as
on the generated records, and both corpora's ratios printed side by side.
The scrapinghub pages average 170 KB of HTML, ~60x a generated page (3 KB),
so per-page costs that do not grow with the page (a row, a commit, a
signature) weigh far less there: with bench/realsites/small added (83 Hugo
pages, 6 KB) and 1,000 records, ingest ran at 0.70 of extraction only
against 0.34 on the generated records (issue 12's target: 0.80).

The curve mode writes the corpus once (100,000 records a file, kept in
--corpus-dir for the next run), hunts it in a child and samples the child
from /proc every second: RSS, CPU-seconds, and how far it has read (the open
corpus file and its offset), printing one line each 50,000 records.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import io
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zlib
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Letter words: normalisation drops digits, so "w123" words would all read "w".
WORDS = ["".join(chr(97 + (i // 26**k) % 26) for k in range(4)) for i in range(20000)]
CHROME = (
    "<header><a href='/'>Home</a> <a href='/about/'>About</a> <a href='/contact/'>Contact</a></header>"
    "<nav><ul>" + "".join(f"<li><a href='/tag/t{i}/'>Tag {i}</a></li>" for i in range(12)) + "</ul></nav>"
)
FOOTER = "<footer><p>Copyright 2024 Example Media. All rights reserved.</p><a href='/privacy/'>Privacy</a></footer>"


def page(rng: random.Random, host: str, i: int, text: str) -> bytes:
    paras = "".join(f"<p>{text[k:k + 400]}</p>" for k in range(0, len(text), 400))
    side = "<aside><h3>Recent</h3>" + "".join(f"<a href='/p/{rng.randrange(9999)}/'>Post</a>" for _ in range(8))
    return (f"<!doctype html><html><head><title>Post {i} on {host}</title></head><body>{CHROME}"
            f"<main><article><h1>Post {i}</h1><time datetime='2024-01-{1 + i % 28:02d}'></time>{paras}</article>"
            f"</main>{side}</aside>{FOOTER}</body></html>").encode()


def text(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(150, 400)))  # one call: 1M records must generate fast


def write(writer: WARCWriter, url: str, body: bytes) -> None:
    head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                       ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=head))


class RawWriter:
    """WARC 1.1 response records, gzip per record, written directly: warcio's
    writer made generating a 1,000,000-record corpus take longer than hunting it."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh

    def write(self, url: str, body: bytes) -> None:
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body)) + body
        head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
                f"WARC-Date: 2024-06-01T00:00:00Z\r\nWARC-Target-URI: {url}\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n")
        z = zlib.compressobj(1, zlib.DEFLATED, 31)
        self.fh.write(z.compress(head.encode() + http + b"\r\n\r\n") + z.flush())


def ingest_corpus(path: Path, n: int, seed: int = 1) -> None:
    """n records: originals on 8 hosts, every third post copied on a ninth host."""
    rng = random.Random(seed)
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True, warc_version="1.1")
        i = 0
        while i < n:
            t = text(rng)
            write(w, f"http://site{i % 8}.test/post-{i}/", page(rng, f"site{i % 8}", i, t))
            i += 1
            if i % 3 == 0 and i < n:
                write(w, f"http://scraper.test/copy-{i}/", page(rng, "scraper", i, t))
                i += 1


REAL_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


def real_page_files(specs: list[str]) -> list[Path]:
    """The HTML files named by each folder (searched recursively) or glob, in a stable order."""
    files: list[Path] = []
    for spec in specs:
        if Path(spec).is_dir():
            files += sorted(p for p in Path(spec).rglob("*") if p.name.lower().endswith(REAL_SUFFIXES))
        else:
            files += sorted(Path(p) for p in glob.glob(spec) if p.lower().endswith(REAL_SUFFIXES))
    if not files:
        raise SystemExit(f"--real-pages {' '.join(specs)}: no .html, .htm or .html.gz file found")
    return list(dict.fromkeys(files))


def _real_path(f: Path, i: int) -> str:
    """A URL path for the file: its name without the HTML suffix, made URL-safe, kept distinct by `i`."""
    stem = f.name.lower()
    for suffix in REAL_SUFFIXES:
        stem = stem.removesuffix(suffix)
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem)[:80] or "page"
    return f"/{i}/{safe}/"


def real_corpus(path: Path, files: list[Path], n: int) -> int:
    """n records of real pages: the files in turn, round k of them on hosts
    `r<k>-<j>.test` (j: one of 8 "sites" each round, by file), so each page is
    copied once a round on another host. Returns the bytes of HTML written."""
    size = 0
    with path.open("wb", buffering=1 << 20) as fh:
        raw = RawWriter(fh)
        for i in range(n):
            k, j = divmod(i, len(files))
            f = files[j]
            body = gzip.decompress(f.read_bytes()) if f.name.lower().endswith(".gz") else f.read_bytes()
            raw.write(f"http://r{k}-{j % 8}.test{_real_path(f, j)}", body)
            size += len(body)
    return size


def _own_warc(own: Path, rng: random.Random, own_posts: int) -> list[str]:
    """The own site's posts, written to `own`; their texts."""
    own_texts = [text(rng) for _ in range(own_posts)]
    with own.open("wb") as fh:
        w = WARCWriter(fh, gzip=True, warc_version="1.1")
        for i, t in enumerate(own_texts):
            write(w, f"http://own.test/post-{i}/", page(rng, "own", i, t))
    return own_texts


def _web_warc(path: Path, rng: random.Random, own_texts: list[str], records: range) -> None:
    """Web pages numbered `records`, every 100th a copy of an own post (1% copies)."""
    with path.open("wb", buffering=1 << 20) as fh:
        raw = RawWriter(fh)
        for i in records:
            t = own_texts[i % len(own_texts)] if i % 100 == 0 else text(rng)
            raw.write(f"http://web{i % 500}.test/a/{i}", page(rng, f"web{i % 500}", i, t))


def hunt_corpora(own: Path, corpus: Path, own_posts: int, n: int, seed: int = 2) -> None:
    rng = random.Random(seed)
    _web_warc(corpus, rng, _own_warc(own, rng, own_posts), range(n))


CURVE_FILE_RECORDS = 100_000


def curve_corpus(d: Path, own_posts: int, n: int, seed: int = 2) -> tuple[Path, list[Path]]:
    """The hunt corpus in files of CURVE_FILE_RECORDS, reused when complete (a 'done' marker)."""
    d.mkdir(parents=True, exist_ok=True)
    own, files = d / "own.warc.gz", [d / f"hunt-{k:03d}.warc.gz" for k in range(-(-n // CURVE_FILE_RECORDS))]
    if (d / "done").exists() and (d / "done").read_text() == f"{own_posts} {n}":
        return own, files
    rng = random.Random(seed)
    own_texts = _own_warc(own, rng, own_posts)
    for k, path in enumerate(files):
        _web_warc(path, rng, own_texts, range(k * CURVE_FILE_RECORDS, min(n, (k + 1) * CURVE_FILE_RECORDS)))
    (d / "done").write_text(f"{own_posts} {n}")
    return own, files


def _proc_sample(pid: int, files: list[Path]) -> tuple[float, float, float, float] | None:
    """(records read, estimated from the open corpus file's offset; RSS MB; peak RSS MB; CPU-s) of a live child."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        fds = {os.readlink(f"/proc/{pid}/fd/{fd}"): fd for fd in os.listdir(f"/proc/{pid}/fd")}
    except (OSError, IndexError):
        return None
    mem = {k: int(v.split()[0]) / 1024 for k, v in (line.split(":", 1) for line in status.splitlines())
           if k in ("VmRSS", "VmHWM")}
    cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    read = 0.0
    for k, f in enumerate(files):
        fd = fds.get(str(f.resolve()))
        if fd is not None:
            pos = int(Path(f"/proc/{pid}/fdinfo/{fd}").read_text().split()[1])
            read = (k + pos / f.stat().st_size) * CURVE_FILE_RECORDS
    return read, mem.get("VmRSS", 0.0), mem.get("VmHWM", 0.0), cpu


def bench_hunt_curve(own: Path, files: list[Path], tmp: Path, step: int = 50_000) -> dict[str, object]:
    """Hunt the corpus files in a child; print RSS and CPU each `step` records read."""
    db = tmp / "site-curve.db"
    subprocess.run([sys.executable, "-m", "copyhound.cli", "ingest", str(own), "--db", str(db),
                    "--own-domain", "own.test", "--quiet"], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.Popen([sys.executable, "-c", _WITH_RSS, "hunt", *map(str, files), "--db", str(db)],
                             stderr=subprocess.PIPE, text=True)
    curve: list[dict[str, float]] = []
    next_mark = step
    while child.poll() is None:
        s = _proc_sample(child.pid, files)
        if s is not None and s[0] >= next_mark:
            curve.append({"records": next_mark, "rss_mb": s[1], "peak_rss_mb": s[2], "cpu_s": s[3]})
            print(f"{next_mark:>9,} records  RSS {s[1]:6.1f} MB  peak {s[2]:6.1f} MB  "
                  f"{s[3]:8.1f} CPU-s  {next_mark / max(s[3], 1e-9):6.0f} records/CPU-s", flush=True)
            next_mark += step
        time.sleep(1.0)
    err = child.stderr.read() if child.stderr else ""
    summary = next((line for line in err.splitlines() if line.startswith("hunt: ")), err[-500:])
    if child.returncode == 0:  # the whole run, clustering of the copies included: the child's own rusage
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        records = int(summary.split("hunt: ", 1)[1].split(" records")[0])
        peak = int(err.rsplit("maxrss_kb=", 1)[1].split()[0]) / 1024
        curve.append({"records": records, "peak_rss_mb": peak, "cpu_s": cpu, "end": 1})
        print(f"{records:>9,} records  (end)          peak {peak:6.1f} MB  {cpu:8.1f} CPU-s  "
              f"{records / cpu:6.0f} records/CPU-s", flush=True)
    return {"curve": curve, "summary": summary, "returncode": child.returncode}


def bench_raw(path: Path) -> dict[str, float]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    t0, n, size = time.process_time(), 0, 0
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=True):
            size += len(rec.reader.read())
            n += 1
    cpu = time.process_time() - t0
    return {"records": n, "cpu_s": cpu, "records_per_cpu_s": n / cpu, "mb_per_cpu_s": size / 1e6 / cpu}


EXTRACT_CHUNK = 500


def bench_extract(path: Path) -> dict[str, float]:
    from copyhound.crawler.warc import WarcPage, iter_pages
    from copyhound.crawler.warc.results import to_fetch_result
    from copyhound.dedupe.extract.page import extract_page

    # Decoded a chunk at a time (a few thousand real pages do not fit in memory
    # at once), and only extraction is timed, a chunk at a time.
    cpu, n = 0.0, 0
    pages = (p for p in iter_pages(path) if isinstance(p, WarcPage))
    while True:
        chunk = [to_fetch_result(p, max_body_bytes=5_000_000) for p in itertools.islice(pages, EXTRACT_CHUNK)]
        if not chunk:
            break
        t0 = time.process_time()
        for r in chunk:
            assert r is not None and r.text is not None
            extract_page(r.text, r.url, dict(r.headers))
        cpu += time.process_time() - t0
        n += len(chunk)
    return {"pages": n, "cpu_s": cpu, "pages_per_cpu_s": n / cpu}


class _StageClock:
    """CPU-seconds spent inside named functions, by patching them where they are looked up."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self._undo: list[tuple[object, str, object]] = []

    def wrap(self, owner: object, attr: str, stage: str) -> None:
        fn = getattr(owner, attr)
        self.cpu.setdefault(stage, 0.0)

        def timed(*a: object, **k: object) -> object:
            t0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                self.cpu[stage] += time.process_time() - t0

        self._undo.append((owner, attr, fn))
        setattr(owner, attr, timed)

    def wrap_iter(self, owner: object, attr: str, stage: str) -> None:
        """A generator function: the time spent producing each item."""
        fn = getattr(owner, attr)
        self.cpu.setdefault(stage, 0.0)

        def timed(*a: object, **k: object) -> object:
            it = iter(fn(*a, **k))
            while True:
                t0 = time.process_time()
                try:
                    item = next(it)
                except StopIteration:
                    return
                finally:
                    self.cpu[stage] += time.process_time() - t0
                yield item

        self._undo.append((owner, attr, fn))
        setattr(owner, attr, timed)

    def restore(self) -> None:
        for owner, attr, fn in reversed(self._undo):
            setattr(owner, attr, fn)
        self._undo.clear()


def bench_stages(path: Path, tmp: Path) -> dict[str, float]:
    """ms of CPU per stored page in each stage of an in-process ingest; `other` is the rest."""
    import copyhound.commands.ingest as ingest
    import copyhound.pipeline as pipeline
    import copyhound.stages.page_sink as sink
    from copyhound.store import warc as warc_store
    from copyhound.store.frontier import SqliteFrontier
    from copyhound.store.group_commit import GroupCommit

    clock = _StageClock()
    clock.wrap_iter(ingest, "iter_pages", "warc read")
    clock.wrap(ingest, "to_fetch_result", "record to fetch result")
    clock.wrap(warc_store, "is_stored", "record keys")
    clock.wrap(warc_store, "mark_stored", "record keys")
    clock.wrap(sink, "extract_page", "extraction")
    clock.wrap(sink, "prepare_body", "body and post hashes")
    clock.wrap(sink, "save_fetch", "save_fetch")
    clock.wrap(SqliteFrontier, "mark", "frontier mark")
    clock.wrap(GroupCommit, "commit", "group commit")
    clock.wrap(pipeline, "strip_site_chrome", "site chrome")
    clock.wrap(pipeline, "update_clusters", "signing and clustering")
    clock.wrap(pipeline, "refresh_post_search", "search index")
    try:
        t0 = time.process_time()
        counts = ingest.run_ingest(ingest.IngestOptions(patterns=(str(path),), db_path=str(tmp / "stages.db"),
                                                        quiet=True))
        total = time.process_time() - t0
    finally:
        clock.restore()
    per_page = {k: 1000 * v / counts.stored for k, v in sorted(clock.cpu.items(), key=lambda kv: -kv[1])}
    per_page["other"] = 1000 * (total - sum(clock.cpu.values())) / counts.stored
    per_page["total"] = 1000 * total / counts.stored
    return per_page


def _median_run(runs: list[dict[str, float]], key: str) -> dict[str, float]:
    return sorted(runs, key=lambda r: r[key])[len(runs) // 2]


def _children_cpu() -> float:
    """CPU-seconds of this process's ended (and waited-for) children."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def bench_ingest(path: Path, tmp: Path) -> dict[str, float]:
    from copyhound.commands.ingest import IngestOptions, run_ingest

    t0, c0 = time.process_time(), _children_cpu()
    counts = run_ingest(IngestOptions(patterns=(str(path),), db_path=str(tmp / "ingest.db"), quiet=True))
    cpu = time.process_time() - t0 + _children_cpu() - c0  # any worker processes count too
    clusters = counts.stats.get("clusters", {}).get("clusters", 0)
    return {"pages": counts.stored, "cpu_s": cpu, "pages_per_cpu_s": counts.stored / cpu, "clusters": clusters}


# The hunt child reports its own peak RSS at exit: RUSAGE_CHILDREN's maxrss is
# the largest of all children, the ingest that built the own database included.
# VmHWM, not its own ru_maxrss: Linux carries maxrss across fork and exec, so
# ru_maxrss was this bench process's RSS when it forked the child (~120 MB
# after the in-process ingest runs), not the hunt's.
_WITH_RSS = (
    "import atexit, sys\n"
    "def _hwm_kb():\n"
    "    with open('/proc/self/status') as f:\n"
    "        return next(int(l.split()[1]) for l in f if l.startswith('VmHWM:'))\n"
    "atexit.register(lambda: sys.stderr.write('maxrss_kb=%d\\n' % _hwm_kb()))\n"
    "from copyhound.cli import main\n"
    "main(sys.argv[1:])\n"
)


def bench_hunt(own: Path, corpus: Path, tmp: Path, tag: str) -> dict[str, object]:
    db = tmp / f"site-{tag}.db"
    cli = [sys.executable, "-m", "copyhound.cli"]
    subprocess.run([*cli, "ingest", str(own), "--db", str(db), "--own-domain", "own.test", "--quiet"], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-c", _WITH_RSS, "hunt", str(corpus), "--db", str(db)],
                         check=True, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    records = int(out.stderr.split("hunt: ", 1)[1].split(" records")[0])
    rss_kb = int(out.stderr.rsplit("maxrss_kb=", 1)[1].split()[0])
    summary = next(line for line in out.stderr.splitlines() if line.startswith("hunt: "))
    return {"records": records, "cpu_s": cpu, "records_per_cpu_s": records / cpu,
            "peak_rss_mb": rss_kb / 1024, "summary": summary}


def measure(corpus: Path, tmp: Path, repeat: int, stages: bool) -> dict[str, object]:
    """Raw read, then extraction only and ingest alternating `repeat` times (medians), on one corpus."""
    tmp.mkdir()
    out: dict[str, object] = {"raw": bench_raw(corpus)}
    # Alternate extraction and ingest, then take medians: a shared machine's
    # load moves CPU-seconds by 10-20% from one minute to the next.
    runs = []
    for r in range(repeat):
        (tmp / f"r{r}").mkdir()
        runs.append((bench_extract(corpus), bench_ingest(corpus, tmp / f"r{r}")))
        shutil.rmtree(tmp / f"r{r}")  # a real corpus's databases are big
    out["extract"] = _median_run([e for e, _ in runs], "pages_per_cpu_s")
    out["ingest"] = _median_run([i for _, i in runs], "pages_per_cpu_s")
    ratios = sorted(i["pages_per_cpu_s"] / e["pages_per_cpu_s"] for e, i in runs)
    out["ingest_vs_extract"] = ratios[len(ratios) // 2]
    out["ingest_vs_extract_all"] = ratios
    if stages:
        out["stages_ms_per_page"] = bench_stages(corpus, tmp)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ingest-records", type=int, default=5000, help="0: no generated corpus")
    ap.add_argument("--hunt-records", type=int, nargs="+", default=[20_000, 100_000], help="0: no hunt")
    ap.add_argument("--own-posts", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3, help="extraction/ingest pairs, alternating; medians")
    ap.add_argument("--stages", action="store_true", help="also: ms of CPU per page in each ingest stage")
    ap.add_argument("--hunt-curve", type=int, default=0, help="N: only the hunt's RSS curve over N records")
    ap.add_argument("--corpus-dir", type=Path, default=Path("/tmp/warc-bench-curve"))
    ap.add_argument("--curve-step", type=int, default=50_000)
    ap.add_argument("--real-pages", nargs="+", metavar="DIR_OR_GLOB",
                    help="also a corpus of these real HTML pages (.html, .htm, .html.gz), repeated on varied hosts")
    ap.add_argument("--real-records", type=int, default=1000, help="records of the real-page corpus")
    args = ap.parse_args()
    if args.hunt_curve:
        own, files = curve_corpus(args.corpus_dir, args.own_posts, args.hunt_curve)
        with tempfile.TemporaryDirectory(prefix="warc-bench-") as d:
            print(json.dumps(bench_hunt_curve(own, files, Path(d), args.curve_step), indent=2))
        return
    with tempfile.TemporaryDirectory(prefix="warc-bench-") as d:
        tmp = Path(d)
        out: dict[str, object] = {}
        ingest: dict[str, float] | None = None
        if args.ingest_records > 0:
            corpus = tmp / "ingest.warc.gz"
            ingest_corpus(corpus, args.ingest_records)
            out.update(measure(corpus, tmp / "generated", args.repeat, args.stages))
            ingest = out["ingest"]  # type: ignore[assignment]
            corpus.unlink()
        if args.real_pages:
            files = real_page_files(args.real_pages)
            corpus = tmp / "real.warc.gz"
            html_bytes = real_corpus(corpus, files, args.real_records)
            real = {"files": len(files), "records": args.real_records,
                    "html_kb_per_page": html_bytes / 1e3 / args.real_records}
            real.update(measure(corpus, tmp / "real", args.repeat, args.stages))
            out["real_pages"] = real
            corpus.unlink()
            out["ingest_vs_extract_side_by_side"] = {"generated": out.get("ingest_vs_extract"),
                                                     "real_pages": real["ingest_vs_extract"]}
        for n in (n for n in args.hunt_records if n > 0):
            own, hunt_corpus = tmp / f"own-{n}.warc.gz", tmp / f"hunt-{n}.warc.gz"
            hunt_corpora(own, hunt_corpus, args.own_posts, n)
            h = bench_hunt(own, hunt_corpus, tmp, str(n))
            if ingest is not None:
                h["vs_ingest"] = float(h["records_per_cpu_s"]) / ingest["pages_per_cpu_s"]  # type: ignore[arg-type]
            out[f"hunt_{n}"] = h
            hunt_corpus.unlink()
        print(json.dumps(out, indent=2))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
