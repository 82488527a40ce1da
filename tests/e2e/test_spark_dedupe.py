"""The Spark job gives the in-process pipeline's answers (issue 13).

WARC is recorded by `copyhound crawl --warc` from the fixture sites and the
syndication corpus; the reference is `copyhound ingest` of the same files.
The first test runs the real CLI (`spark dedupe` then `import`) in a
subprocess, with a corrupt and a truncated WARC among the inputs and one
task killed mid-job; the others share one local[2,4] session (a Spark
session costs 10-20 s to start)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from copyhound.spark.input import FAULT_ENV
from tests.conftest import report_json, run_cli
from tests.e2e.spark_support import answers, crawl_fixture_sites, crawl_syndication, ingest_answers

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.spark,
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
                       reason="needs the spark extra and Java: ./scripts/test installs both"),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from copyhound.spark.session import get_session

    session = get_session("local[2,4]", app="copyhound-tests")
    yield session
    session.stop()


def test_cli_matches_ingest_despite_a_killed_task_and_bad_files(tmp_path: Path, monkeypatch) -> None:
    warcs = tmp_path / "warc"
    own = crawl_fixture_sites(warcs, tmp_path / "crawl.db")
    good = sorted(warcs.glob("*.warc.gz"))
    expected = ingest_answers(good, tmp_path / "inproc.db", own)
    assert expected, "the fixture sites must yield clusters, or the comparison proves nothing"
    assert expected == answers(report_json(tmp_path / "crawl.db"))
    (warcs / "zz-corrupt.warc.gz").write_bytes(b"not a WARC file at all\n" * 20)
    whole = gzip.decompress(good[0].read_bytes())
    (warcs / "zz-truncated.warc.gz").write_bytes(gzip.compress(whole)[: len(gzip.compress(whole)) // 2])
    arm = tmp_path / "kill-one-task"
    arm.touch()
    monkeypatch.setenv(FAULT_ENV, str(arm))

    out = tmp_path / "out"
    proc = run_cli("spark", "dedupe", str(warcs / "*.warc.gz"), "--output", str(out), "--own-domain", *own,
                   timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not arm.exists(), "no task was killed: the retry was not exercised"
    meta = json.loads((out / "job.json").read_text())
    assert meta["stats"]["problems"] >= 2
    assert "zz-corrupt.warc.gz: offset 0" in proc.stderr and "zz-truncated.warc.gz" in proc.stderr
    run_cli("import", str(out), "--db", str(tmp_path / "spark.db"), check=True)
    report = report_json(tmp_path / "spark.db")
    assert answers(report) == expected
    assert any(c["canonical"]["reason"] == "own-domain" for c in report["clusters"])


def test_syndication_corpus_same_answers(tmp_path: Path, spark: Any) -> None:
    from copyhound.spark.job import run_dedupe

    warcs = tmp_path / "warc"
    own = crawl_syndication(warcs, tmp_path / "crawl.db")
    files = sorted(warcs.glob("*.warc.gz"))
    expected = ingest_answers(files, tmp_path / "inproc.db", own)
    assert len(expected) >= 5
    stats = run_dedupe(spark, [str(f) for f in files], str(tmp_path / "out"), own)
    assert stats.problems == 0
    (tmp_path / "out" / "job.json").write_text(json.dumps({"own_domains": own, "stats": stats.as_dict()}))
    run_cli("import", str(tmp_path / "out"), "--db", str(tmp_path / "spark.db"), check=True)
    assert answers(report_json(tmp_path / "spark.db")) == expected


def test_star_rounds_find_the_components_union_find_finds(spark: Any) -> None:
    from copyhound.spark.graph import star_components, union_find

    rng = random.Random(13)
    edges = [(rng.randrange(400), rng.randrange(400)) for _ in range(300)]
    edges += [(i, i + 1) for i in range(1000, 1040)]  # a long path: the case that needs many rounds
    got = dict(star_components(spark.sparkContext.parallelize(edges, 2), 2).collect())
    expected = {n: r for n, r in union_find(edges).items() if n != r}
    assert got == expected


def test_import_refuses_a_folder_without_tables(tmp_path: Path) -> None:
    proc = run_cli("import", str(tmp_path), "--db", str(tmp_path / "x.db"))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
