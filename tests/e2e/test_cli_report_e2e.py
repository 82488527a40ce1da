"""Reports, diff and --fail-on end to end: the real CLI crawls the fixture
sites on loopback, the sites change (the partner drops its canonical link,
the scraper takes one copy down and publishes another), and a second crawl,
`diff`, `report --since` and the exit codes say exactly that."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from conftest import report_json, run_cli

from copyhound.errors import EXIT_FAIL_ON
from copyhound.sites import serve_sites

UPSELL = "/never-try-to-up-sell-an-unhappy-customer/"
DINOSAUR = "/are-you-a-dinosaur-in-the-making/"
SCRAPED_UPSELL = "/articles/never-try-to-up-sell-an-unhappy-customer.html"
SCRAPED_DINOSAUR = "/articles/are-you-a-dinosaur.html"
ACTION = "missing-canonical,self-canonical,canonical-elsewhere"


@pytest.fixture()
def world(sites_copy: Path, tmp_path: Path) -> Iterator[dict]:
    with serve_sites(sites_copy) as sites:
        bases = {n: s.base_url for n, s in sites.items()}
        yield {"sites": sites_copy, "db": tmp_path / "site.db", **bases}


def crawl(world: dict, *extra: str) -> int:
    proc = run_cli(
        "crawl", world["blog"] + "/", world["partner"] + "/", world["scraper"] + "/", "--db", str(world["db"]),
        "--own-domain", "127.0.0.1", "--delay", "0", "--host-concurrency", "4", "--quiet", *extra,
    )
    assert proc.returncode in (0, EXIT_FAIL_ON), proc.stderr
    return proc.returncode


def change_the_sites(sites: Path) -> None:
    # 1. The partner drops its canonical link.
    partner = sites / "partner/republished" / UPSELL.strip("/") / "index.html"
    html = partner.read_text(encoding="utf-8")
    partner.write_text(re.sub(r'<link rel="canonical"[^>]*>', "", html), encoding="utf-8")
    # 2. The scraper takes its copy of the upsell post down (now a 404)...
    (sites / "scraper" / SCRAPED_UPSELL.lstrip("/")).unlink()
    # 3. ...and publishes the dinosaur post, without a canonical link, linked from its home page.
    post = (sites / "blog" / DINOSAUR.strip("/") / "index.html").read_text(encoding="utf-8")
    (sites / "scraper" / SCRAPED_DINOSAUR.lstrip("/")).write_text(
        re.sub(r'<link rel="canonical"[^>]*>', "", post), encoding="utf-8")
    home = sites / "scraper/index.html"
    html = home.read_text(encoding="utf-8")
    link = f'<div class="post-excerpt"><h2><a href="{SCRAPED_DINOSAUR}">Dinosaur</a></h2></div>'
    home.write_text(html.replace('<h2 class="section-title">Latest Stories</h2>',
                                 '<h2 class="section-title">Latest Stories</h2>' + link), encoding="utf-8")


def _copies(report: dict) -> dict[tuple[str, str], dict]:
    return {(cl["canonical"]["url"], c["url"]): c for cl in report["clusters"] for c in cl["copies"]}


def test_second_crawl_diff_and_fail_on(world: dict, report_schema: dict, tmp_path: Path) -> None:
    blog, partner, scraper, db = world["blog"], world["partner"], world["scraper"], world["db"]
    # Run 1: the scraper's copy has no canonical link, so --fail-on fires (exit 3) after a full crawl.
    assert crawl(world, "--fail-on", "missing-canonical") == EXIT_FAIL_ON
    first = report_json(db)
    jsonschema.validate(first, report_schema)
    copies = _copies(first)
    assert copies[(blog + UPSELL, partner + "/republished" + UPSELL)]["status"] == "canonical-ok"
    assert copies[(blog + UPSELL, scraper + SCRAPED_UPSELL)]["status"] == "missing-canonical"
    assert "verdict" in copies[(blog + UPSELL, scraper + SCRAPED_UPSELL)]
    # Nothing is canonical-elsewhere: that --fail-on passes.
    assert run_cli("report", "--db", str(db), "--fail-on", "canonical-elsewhere").returncode == 0

    change_the_sites(world["sites"])
    # Run 2: new problems, so --new-only fires too.
    assert crawl(world, "--fail-on", ACTION, "--new-only") == EXIT_FAIL_ON

    diff = json.loads(run_cli("diff", "--db", str(db), "--format", "json", check=True).stdout)
    assert (diff["from_run"]["id"], diff["to_run"]["id"]) == (1, 2)
    assert [(c["canonical_url"], c["url"], c["status"]) for c in diff["new_copies"]] == [
        (blog + DINOSAUR, scraper + SCRAPED_DINOSAUR, "missing-canonical")]
    assert [(c["canonical_url"], c["url"]) for c in diff["gone_copies"]] == [(blog + UPSELL, scraper + SCRAPED_UPSELL)]
    changed = {c["url"]: c for c in diff["changed_copies"]}
    partner_change = changed[partner + "/republished" + UPSELL]
    assert partner_change["before"]["status"] == "canonical-ok" and partner_change["status"] == "missing-canonical"
    assert partner_change["before"]["canonical_link"] == blog + UPSELL and partner_change["canonical_link"] is None
    assert set(changed) == {partner + "/republished" + UPSELL}

    text = run_cli("diff", "--db", str(db), check=True).stdout
    assert "status canonical-ok -> missing-canonical" in text and scraper + SCRAPED_DINOSAUR in text

    since = run_cli("report", "--db", str(db), "--format", "json", "--since", "1", check=True)
    data = json.loads(since.stdout)
    jsonschema.validate(data, report_schema)
    marked = {c["url"]: c.get("change") for cl in data["clusters"] for c in cl["copies"]}
    assert marked == {partner + "/republished" + UPSELL: "status-changed", scraper + SCRAPED_DINOSAUR: "new"}
    assert [g["url"] for g in data["since"]["gone"]] == [scraper + SCRAPED_UPSELL]

    # The CSV of the whole report, parsed back: the partner's row shows the new status.
    out = tmp_path / "r.csv"
    run_cli("report", "--db", str(db), "--format", "csv", "--output", str(out), check=True)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    row = next(r for r in rows if r["copy_url"] == partner + "/republished" + UPSELL)
    assert (row["status"], row["canonical_link"], row["relation"]) == ("missing-canonical", "", "exact")
    assert not any(r["copy_url"] == scraper + SCRAPED_UPSELL for r in rows)

    # Run 3: nothing changed, so --new-only stays quiet while the plain --fail-on still fires.
    assert crawl(world, "--fail-on", ACTION, "--new-only") == 0
    assert run_cli("report", "--db", str(db), "--fail-on", "missing-canonical").returncode == EXIT_FAIL_ON
    empty = json.loads(run_cli("diff", "--db", str(db), "--format", "json", check=True).stdout)
    assert (empty["new_copies"], empty["gone_copies"], empty["changed_copies"]) == ([], [], [])
    runs = run_cli("runs", "--db", str(db), check=True).stdout.splitlines()
    assert [ln.split("\t")[:2] for ln in runs] == [["1", "finished"], ["2", "finished"], ["3", "finished"]]
