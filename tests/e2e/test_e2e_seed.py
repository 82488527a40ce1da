"""The seed case end to end: the real CLI crawls the demo sites on loopback
into a real SQLite file, and the JSON report finds exactly what
shared/seeds/README.md says a correct run finds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import jsonschema
import pytest
from conftest import report_json, run_cli

from copyhound.sites import ServedSite
from copyhound.store.packed_text import unpack_text

UPSELL = "/never-try-to-up-sell-an-unhappy-customer/"
CUSTOMER = "/whos-your-customer-its-not-who-you-think/"
DINOSAUR = "/are-you-a-dinosaur-in-the-making/"
ARCHIVE = "/tag/customers/"
CHROME_PHRASES = (
    "Sign up with your email address",
    "No Comments Yet",
    "What do you think?",
    "Your email address will not be published",
)


@pytest.fixture(scope="module")
def seed_run(demo_sites: dict[str, ServedSite], tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = tmp_path_factory.mktemp("e2e") / "seed.db"
    blog, partner, scraper = (demo_sites[n].base_url for n in ("blog", "partner", "scraper"))
    proc = run_cli(
        "crawl", blog + "/", partner + "/", scraper + "/",
        "--db", str(db), "--own-domain", "127.0.0.1", "--delay", "0", "--host-concurrency", "4", "--quiet",
    )
    assert proc.returncode == 0, proc.stderr
    return {"db": db, "report": report_json(db), "blog": blog, "partner": partner, "scraper": scraper}


def _cluster_for(report: dict, canonical_url: str) -> dict:
    found = [c for c in report["clusters"] if c["canonical"]["url"] == canonical_url]
    assert len(found) == 1, f"expected one cluster with canonical {canonical_url}: {report['clusters']}"
    return found[0]


def test_report_validates_against_the_schema(seed_run: dict, report_schema: dict) -> None:
    jsonschema.validate(seed_run["report"], report_schema)
    assert seed_run["report"]["pages"] >= 10 and seed_run["report"]["posts"] >= 8


def test_the_seed_post_and_its_three_copies(seed_run: dict) -> None:
    blog = seed_run["blog"]
    cluster = _cluster_for(seed_run["report"], blog + UPSELL)
    assert cluster["canonical"]["reason"] == "own-domain"
    assert cluster["canonical"]["title"] == "Never Try to Up Sell an Unhappy Customer"
    copies = {c["url"]: c for c in cluster["copies"]}
    archive = copies.pop(blog + ARCHIVE)
    assert archive["relation"] == "contains" and archive["containment"] >= 0.9
    assert archive["links_to_canonical"] is True  # its title links to the post
    partner = copies.pop(seed_run["partner"] + "/republished" + UPSELL)
    assert partner["status"] == "canonical-ok"
    assert partner["canonical_link"] == blog + UPSELL and partner["links_to_canonical"] is True
    scraper = copies.pop(seed_run["scraper"] + "/articles/never-try-to-up-sell-an-unhappy-customer.html")
    assert scraper["status"] == "missing-canonical" and scraper["canonical_link"] is None
    assert copies == {}, f"unexpected copies: {list(copies)}"


@pytest.mark.parametrize("path", [CUSTOMER, DINOSAUR])
def test_the_other_archive_posts_are_their_own_clusters(seed_run: dict, path: str) -> None:
    blog = seed_run["blog"]
    cluster = _cluster_for(seed_run["report"], blog + path)
    assert [(c["url"], c["relation"]) for c in cluster["copies"]] == [(blog + ARCHIVE, "contains")]


def test_archive_is_a_copy_in_three_clusters_and_nothing_else_is_listed(seed_run: dict) -> None:
    report = seed_run["report"]
    assert len(report["clusters"]) == 3
    in_archive = [c for c in report["clusters"] if any(x["url"].endswith(ARCHIVE) for x in c["copies"])]
    assert len(in_archive) == 3


def test_teaser_home_page_is_a_copy_of_nothing(seed_run: dict) -> None:
    urls = {x["url"] for c in seed_run["report"]["clusters"] for x in c["copies"]}
    urls |= {c["canonical"]["url"] for c in seed_run["report"]["clusters"]}
    assert seed_run["blog"] + "/" not in urls


def test_no_post_text_holds_the_chrome(seed_run: dict) -> None:
    con = sqlite3.connect(Path(seed_run["db"]))
    texts = [unpack_text(r[0]) for r in con.execute("SELECT text FROM posts")]
    con.close()
    assert texts
    for phrase in CHROME_PHRASES:
        assert not [t for t in texts if phrase in t], phrase


def test_robots_disallowed_page_is_never_requested(seed_run: dict, demo_sites: dict[str, ServedSite]) -> None:
    assert not [p for _m, p in demo_sites["blog"].requests if p.startswith("/wp-admin")]
