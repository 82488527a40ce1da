"""The Spark job gives the in-process pipeline's answers (issue 13).

WARC is recorded by `copyhound crawl --warc` from the fixture sites, the
syndication corpus and Hugo's real output of the real-engine benchmark's small
set (listings of summaries and teasers, Japanese posts, one page under several
URLs); the reference is `copyhound ingest` (and `copyhound
hunt`) of the same files. The dedupe runs through the real CLI in a
subprocess, over every corpus at once, with a corrupt and a truncated WARC
among the inputs and one task killed mid-job; the other Spark tests share
one local[2,4] session (a Spark session costs 10-20 s to start)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, report_json, run_cli
from support.hunt_warc import OWN_HOST, corpus_records, own_posts, own_records, page, words, write_warc
from support.spark import (
    answers,
    crawl_fixture_sites,
    crawl_realsites_small,
    crawl_syndication,
    ingest_answers,
    whole_report,
    write_digest_revisit_pair,
)

KILL_SCRIPT = ROOT / "tests" / "support" / "spark_kill_task.py"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.spark,
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
                       reason="needs the spark extra and Java: ./scripts/test installs both"),
]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The three corpora crawled once with --warc, the fixture sites again
    (their revisits in `recrawl/`), and the blog alone (the hunt's site.db)."""
    root = tmp_path_factory.mktemp("spark")
    own = crawl_fixture_sites(root / "warc" / "sites", root / "sites.db", root / "site.db", root / "recrawl")
    own_syn = crawl_syndication(root / "warc" / "syndication", root / "syndication.db")
    own_real = crawl_realsites_small(root / "warc" / "realsites", root / "realsites.db")
    assert own == own_syn == own_real  # every origin is on 127.0.0.1: one --own-domain for the joint run
    return {"root": root, "own": own, "warcs": sorted((root / "warc").rglob("*.warc.gz")),
            "recrawl": sorted((root / "recrawl").glob("*.warc.gz"))}


def resolved_revisits(warcs: list[Path]) -> int:
    """HTML revisits ingest's reader resolves reading these files in order, with one index."""
    from copyhound.crawler.warc import RevisitIndex, WarcPage, iter_pages

    index = RevisitIndex()
    pages = (p for w in warcs for p in iter_pages(w, revisits=index))
    return sum(isinstance(p, WarcPage) and p.revisit_of is not None for p in pages)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from copyhound.spark.session import get_session

    session = get_session("local[2,4]", app="copyhound-tests")
    yield session
    session.stop()


def test_cli_matches_ingest_despite_a_killed_task_and_bad_files(recorded: dict, tmp_path: Path) -> None:
    """Also: revisits whose originals are in other files (a re-crawl's 304s, and
    a digest revisit of another URL, which adds a cluster) resolved as ingest does."""
    good, own = recorded["warcs"] + recorded["recrawl"], recorded["own"]
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n, w in enumerate(good):
        shutil.copy(w, inputs / f"{n:02d}-{w.name}")
    url_a, url_b = write_digest_revisit_pair(inputs)
    revisits = resolved_revisits(sorted(inputs.glob("*.warc.gz")))
    assert revisits > 3, "the re-crawl wrote no revisits: nothing crosses files"
    (inputs / "zz-corrupt.warc.gz").write_bytes(b"not a WARC file at all\n" * 20)
    packed = gzip.compress(gzip.decompress(good[0].read_bytes()))  # one gzip member, cut in its middle
    (inputs / "zz-truncated.warc.gz").write_bytes(packed[: len(packed) // 2])
    files = sorted(inputs.glob("*.warc.gz"))
    expected = ingest_answers(files, tmp_path / "inproc.db", own)  # the same inputs, bad files included
    assert len(expected) >= 8, "both corpora must yield clusters, or the comparison proves nothing"
    assert expected == ingest_answers([f for f in files if "zz-" not in f.name], tmp_path / "good.db", own)
    assert [url_b] in [[cp[0] for cp in c[2]] for c in expected if c[0] == url_a]  # only the revisit makes /b
    arm = tmp_path / "kill-one-task"
    arm.touch()

    out = tmp_path / "out"
    # the real CLI, its per-file reader wrapped by the test's entry point to kill one Python worker
    proc = subprocess.run([sys.executable, str(KILL_SCRIPT), str(arm), "spark", "dedupe", str(inputs / "*.warc.gz"),
                           "--output", str(out), "--own-domain", *own], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not arm.exists(), "no task was killed: the retry was not exercised"
    assert "Python worker exited unexpectedly" in proc.stderr or "crashed" in proc.stderr, proc.stderr[-3000:]
    stats = json.loads((out / "job.json").read_text())["stats"]
    assert stats["problems"] == 2, proc.stderr[-3000:]  # the two bad files; every revisit found its original
    assert stats["revisits"] == revisits
    assert "zz-corrupt.warc.gz: offset 0" in proc.stderr and "zz-truncated.warc.gz: offset" in proc.stderr
    run_cli("import", str(out), "--db", str(tmp_path / "spark.db"), check=True)
    report = report_json(tmp_path / "spark.db")
    assert answers(report) == expected
    assert any(c["canonical"]["reason"] == "own-domain" for c in report["clusters"])
    # the whole report: page and post totals, cluster ids, titles, dates, similarities, links
    assert whole_report(tmp_path / "spark.db") == whole_report(tmp_path / "inproc.db")
    assert report["pages"] > 0 and report["posts"] > 0
    # importing again replaces the earlier import; a crawl's database is refused, not overwritten
    run_cli("import", str(out), "--db", str(tmp_path / "spark.db"), check=True)
    assert whole_report(tmp_path / "spark.db") == whole_report(tmp_path / "inproc.db")
    refused = run_cli("import", str(out), "--db", str(tmp_path / "good.db"))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert whole_report(tmp_path / "good.db") == whole_report(tmp_path / "inproc.db")


def test_spark_hunt_then_import_is_the_in_process_hunt(recorded: dict, tmp_path: Path, spark: Any) -> None:
    from copyhound.commands.spark import run_spark_hunt

    warcs = [str(w) for w in recorded["warcs"] if "sites" in w.parts]
    for name in ("inproc", "spark"):
        shutil.copy(recorded["root"] / "site.db", tmp_path / f"{name}.db")
    run_cli("hunt", *warcs, "--db", str(tmp_path / "inproc.db"), check=True)
    expected = answers(report_json(tmp_path / "inproc.db"))
    meta = run_spark_hunt(warcs, str(tmp_path / "spark.db"), str(tmp_path / "out"), (), None, print)
    assert meta["stats"]["stored"] > 0 and meta["stats"]["prefiltered"] > 0
    run_cli("import", str(tmp_path / "out"), "--db", str(tmp_path / "spark.db"), check=True)
    assert answers(report_json(tmp_path / "spark.db")) == expected
    assert any(not c[0].startswith(cp[0][:20]) for c in expected for cp in c[2])  # copies off the own site

    def pages(db: Path) -> set[str]:
        with sqlite3.connect(db) as conn:
            return {r[0] for r in conn.execute("SELECT url FROM pages")}

    assert pages(tmp_path / "spark.db") == pages(tmp_path / "inproc.db")


def test_spark_hunt_over_groups_is_the_in_process_hunt(tmp_path: Path, spark: Any) -> None:
    """Files of 150 records (past the pre-filter's group of 64), copies of every
    kind on both sides of each group bound and 40 in one group (past the
    verifier's 32): `spark hunt` + `import` stores the pages, and counts the
    records, of `copyhound hunt` on the same files. Three copies are captured
    again under the same URL, each capture a different copy: in the other file,
    in a later group of the same file and in the same group, and one again
    holding a short quote (past the pre-filter, no copy); the hunt stores the
    first and counts the second an own capture, and so must the import."""
    from copyhound.commands.spark import run_spark_hunt

    rng = random.Random(21)
    posts = own_posts(rng, 8)
    write_warc(tmp_path / "own.warc.gz", own_records(posts))
    run_cli("ingest", str(tmp_path / "own.warc.gz"), "--db", str(tmp_path / "inproc.db"), "--own-domain", OWN_HOST,
            "--quiet", check=True)
    shutil.copy(tmp_path / "inproc.db", tmp_path / "spark.db")
    kinds = ("exact", "near", "contains", "excerpt", "own", "404")
    bounds = {i: kinds[n % len(kinds)] for n, i in enumerate((0, 5, 62, 63, 64, 65, 100, 127, 128, 129, 149))}
    dense = {i: "exact" for i in range(66, 126, 3)} | {i: "near" for i in range(67, 127, 3)}
    warcs = [tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"]
    recs_a, recs_b = corpus_records(rng, posts, 150, "a", bounds), corpus_records(rng, posts, 150, "b",
                                                                                  {**bounds, **dense})
    # second captures of a copy's URL holding another copy: b/62 (contains) of a/5 (near), b/100 (near) of
    # b/0 (exact) in an earlier group, b/67 (near) of b/66 (exact) in the same group
    for recs, at, first in ((recs_b, 62, recs_a[5]), (recs_b, 100, recs_b[0]), (recs_b, 67, recs_b[66])):
        recs[at] = (first[0], *recs[at][1:])
    # and one holding 20 words of a post: past the pre-filter, no copy (extracted on Spark, own capture here)
    recs_b[140] = (recs_a[0][0], page("Quote", words(rng, 150), " ".join(posts[0].split()[:20]), words(rng, 150)),
                   "200 OK")
    write_warc(warcs[0], recs_a)
    write_warc(warcs[1], recs_b)
    run_cli("hunt", *map(str, warcs), "--db", str(tmp_path / "inproc.db"), check=True)
    expected = answers(report_json(tmp_path / "inproc.db"))
    meta = run_spark_hunt([str(w) for w in warcs], str(tmp_path / "spark.db"), str(tmp_path / "out"), (), None, print)
    run_cli("import", str(tmp_path / "out"), "--db", str(tmp_path / "spark.db"), check=True)
    assert answers(report_json(tmp_path / "spark.db")) == expected
    assert {cp[1] for c in expected for cp in c[2]} >= {"exact", "near"}

    def stored(db: Path) -> tuple[set[str], dict[str, int]]:
        with sqlite3.connect(db) as conn:
            runs = [json.loads(r[0]) for r in conn.execute("SELECT stats FROM runs ORDER BY id")]
            return {r[0] for r in conn.execute("SELECT url FROM pages")}, runs[-1]["hunt"]

    (inproc_pages, inproc_counts), (spark_pages, import_counts) = stored(tmp_path / "inproc.db"), stored(
        tmp_path / "spark.db")
    assert spark_pages == inproc_pages
    assert {k: v for k, v in import_counts.items() if k != "files"} == inproc_counts
    # each task saw its records alone: the four second captures were extracted there, three matched
    twice = {"own_captures": -4, "extracted": 4, "stored": 3}
    assert {k: v for k, v in meta["stats"].items() if k != "files"} == {
        k: v + twice.get(k, 0) for k, v in inproc_counts.items()}
    assert inproc_counts["records"] == 300 and inproc_counts["own_captures"] > 0
    assert inproc_counts["extracted"] > 32 + 10  # file b's second group of 64 alone holds 40 candidates


def test_star_rounds_find_the_components_union_find_finds(spark: Any) -> None:
    from copyhound.spark.graph import star_components, union_find

    rng = random.Random(13)
    edges = [(rng.randrange(60), rng.randrange(60)) for _ in range(40)]
    edges += [(i, i + 1) for i in range(100, 116)]  # a path: the shape that needs the most rounds
    got = dict(star_components(spark.sparkContext.parallelize(edges, 1), 1).collect())
    expected = {n: r for n, r in union_find(edges).items() if n != r}
    assert got == expected


def test_import_refuses_a_folder_without_tables(tmp_path: Path) -> None:
    proc = run_cli("import", str(tmp_path), "--db", str(tmp_path / "x.db"))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
