"""`copyhound hunt` (issue 12): copies of the owner's posts found in a WARC, audited like a crawl's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from copyhound.sites import serve_sites
from tests.conftest import FIXTURE_SITES, report_json, run_cli
from tests.e2e.test_warc_roundtrip import _clusters

pytestmark = pytest.mark.e2e


def test_hunt_finds_the_copies_a_full_crawl_finds(tmp_path: Path) -> None:
    site, full, warc = tmp_path / "site.db", tmp_path / "full.db", tmp_path / "warc"
    with serve_sites(FIXTURE_SITES) as sites:
        seeds = [s.base_url + "/" for s in sites.values()]
        own = seeds[0]  # the blog, on 127.0.0.1
        common = ("--own-domain", "127.0.0.1", "--allow-private", "--delay", "0", "--quiet")
        run_cli("crawl", own, "--db", str(site), *common, check=True)
        run_cli("crawl", *seeds, "--db", str(full), *common, "--warc", str(warc), check=True)
    before = _pages(site)
    hunt = run_cli("hunt", str(warc / "*.warc.gz"), "--db", str(site), check=True)
    assert "copies stored" in hunt.stderr
    expected = [c for c in _clusters(report_json(full)) if any(not x[0].startswith(own) for x in c[2])]
    assert expected, "the fixture must have copies off the own site"
    got = _clusters(report_json(site))
    off_site = lambda cs: sorted(  # noqa: E731
        (c[0], tuple(x for x in c[2] if not x[0].startswith(own))) for c in cs
    )
    assert [c for c in off_site(got) if c[1]] == [c for c in off_site(expected) if c[1]]
    stored = _pages(site) - before
    copies = {x[0] for c in expected for x in c[2] if not x[0].startswith(own)}
    assert stored == copies  # nothing but copies was stored: no own capture, no unrelated page


def test_hunt_refuses_a_database_without_own_posts(tmp_path: Path) -> None:
    missing = run_cli("hunt", str(tmp_path / "x.warc.gz"), "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr


def _pages(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT url FROM pages WHERE status = 200")}
