"""A month archive holding one full post (Jekyll's, title linked to the post
page as `u-url`) is a listing, not the original: crawled with the real CLI from
the archive (so the archive is seen first and, without the listing rule,
would win on "earliest seen"), the post page is the canonical."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, report_json, run_cli

from copyhound.sites import ServedSite, serve_sites

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def site() -> Iterator[ServedSite]:
    with serve_sites(ROOT / "fixtures" / "listings") as sites:
        yield sites["monthly"]


def test_post_page_is_canonical_over_its_single_post_month_archive(site: ServedSite, tmp_path: Path) -> None:
    db = tmp_path / "monthly.db"
    archive, post = f"{site.base_url}/2024/03/", f"{site.base_url}/2024/03/harbour-story/"
    run_cli("crawl", archive, "--db", str(db), "--delay", "0", "--quiet", check=True)
    assert ("GET", "/2024/03/harbour-story/") in site.requests
    clusters = report_json(db)["clusters"]
    (cluster,) = [c for c in clusters if archive in (c["canonical"]["url"], *(cp["url"] for cp in c["copies"]))]
    assert cluster["canonical"]["url"] == post
    assert cluster["canonical"]["reason"] == "earliest-published"  # the archive, same date, was never a candidate
    (copy,) = cluster["copies"]
    assert copy["url"] == archive
    assert copy["relation"] == "exact"
