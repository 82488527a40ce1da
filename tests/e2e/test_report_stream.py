"""Streaming reports through the real CLI: `--format jsonl` and CSV (written
row by row) say the same as the JSON report, filters included; the table
gives the summary sentences first."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import FIXTURE_SITES, report_json, run_cli

from copyhound.sites import serve_sites

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stream") / "site.db"
    with serve_sites(FIXTURE_SITES) as sites:
        seeds = [s.base_url + "/" for s in sites.values()]
        run_cli("crawl", *seeds, "--db", str(db), "--own-domain", "127.0.0.1", "--delay", "0", "--quiet",
                check=True)
    return db


def _pairs(report: dict) -> list[tuple[str, str, str, str]]:
    return sorted((cl["canonical"]["url"], c["url"], c["status"], c["verdict"])
                  for cl in report["clusters"] for c in cl["copies"])


def test_jsonl_is_one_copy_a_line_with_its_canonical(crawled: Path) -> None:
    report = report_json(crawled)
    proc = run_cli("report", "--db", str(crawled), "--format", "jsonl", check=True)
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert lines and len(lines) == sum(len(cl["copies"]) for cl in report["clusters"])
    assert sorted((x["canonical"]["url"], x["url"], x["status"], x["verdict"]) for x in lines) == _pairs(report)
    assert all(x["canonical"]["reason"] and x["cluster_id"] for x in lines)


def test_streamed_csv_matches_the_json_report_and_filters(crawled: Path, tmp_path: Path) -> None:
    report = report_json(crawled)
    out = tmp_path / "r.csv"
    run_cli("report", "--db", str(crawled), "--format", "csv", "--output", str(out), check=True)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeffcluster_id,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert sorted((r["canonical_url"], r["copy_url"], r["status"], r["verdict"]) for r in rows) == _pairs(report)
    assert not list(tmp_path.glob("*.tmp"))
    proc = run_cli("report", "--db", str(crawled), "--format", "jsonl", "--status", "canonical-ok", check=True)
    statuses = {json.loads(x)["status"] for x in proc.stdout.splitlines()}
    assert statuses == {"canonical-ok"}


def test_table_starts_with_the_summary(crawled: Path) -> None:
    proc = run_cli("report", "--db", str(crawled), "--format", "table", check=True)
    head = proc.stdout.splitlines()[:4]
    assert "of your posts" in head[1] and "copies on" in head[1], head
    assert "compete with the original" in head[2]
    assert head[3] == "No previous run to compare with."


def test_json_report_with_findings_validates_against_contract_and_package(crawled: Path) -> None:
    import jsonschema
    from conftest import ROOT, SHARED

    report = report_json(crawled)
    assert isinstance(report["findings"], list)
    jsonschema.validate(report, json.loads((ROOT / "copyhound" / "report.schema.json").read_text()))
    contract = SHARED / "contract" / "report.schema.json"
    if contract.exists():
        jsonschema.validate(report, json.loads(contract.read_text()))
