"""The Spark job gives the in-process pipeline's answers (issue 13), through
the real CLI: `copyhound spark dedupe` in local[2] mode over WARC recorded
from the fixture sites over HTTP, then `copyhound import` and `report`.
A corrupt WARC among the inputs is reported and skipped."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import report_json, run_cli

from e2e.spark_support import ingest_in_process, record_warc, site_urls

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.spark,
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
                       reason="needs the spark extra and Java: ./scripts/test installs both"),
]


def _answers(report: dict) -> list[tuple]:
    """What must agree: clusters, canonicals, reasons, and each copy's relation and status."""
    return sorted(
        (c["canonical"]["url"], c["canonical"]["reason"],
         tuple(sorted((cp["url"], cp["relation"], cp["status"]) for cp in c["copies"])))
        for c in report["clusters"]
    )


def test_spark_matches_in_process(tmp_path: Path, demo_sites: dict) -> None:
    warcs = tmp_path / "warc"
    warcs.mkdir()
    for name, site in demo_sites.items():
        record_warc(site_urls(site), warcs / f"{name}.warc.gz")
    (warcs / "zz-corrupt.warc.gz").write_bytes(b"not a WARC file at all\n" * 20)
    own = ["127.0.0.1"]
    good = sorted(warcs.glob("[!z]*.warc.gz"))
    ingest_in_process(good, tmp_path / "inproc.db", own)
    expected = _answers(report_json(tmp_path / "inproc.db"))
    assert expected, "the fixture sites must yield clusters, or the comparison proves nothing"

    out = tmp_path / "out"
    proc = run_cli("spark", "dedupe", str(warcs / "*.warc.gz"), "--output", str(out), "--own-domain", *own,
                   "--master", "local[2]", timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    meta = json.loads((out / "job.json").read_text())
    assert meta["stats"]["problems"] == 1
    run_cli("import", str(out), "--db", str(tmp_path / "spark.db"), check=True)
    report = report_json(tmp_path / "spark.db")
    assert _answers(report) == expected
    assert any(c["canonical"]["reason"] == "own-domain" for c in report["clusters"])
    # the import is a run of its own: `diff` and the run list read it
    runs = sqlite3.connect(tmp_path / "spark.db").execute("SELECT count(*) FROM run_copies").fetchone()[0]
    assert runs == sum(len(c["copies"]) for c in report["clusters"])


def test_import_refuses_a_folder_without_tables(tmp_path: Path) -> None:
    proc = run_cli("import", str(tmp_path), "--db", str(tmp_path / "x.db"))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
