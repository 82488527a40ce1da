"""The HTML report's charts in real headless Chromium: a crawl of the
fixture sites through the CLI, the report opened from disk, every chart drawn
with bars when copies exist, nothing blocked by the CSP, and the summary on
the first screen. COPYHOUND_DOCS_SCREENSHOT=1 also refreshes the screenshot
in docs/ that the README shows."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_SITES, ROOT, run_cli
from support.browser import CHROMIUM, Browser

from copyhound.sites import serve_sites

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install -y chromium)"),
]
DOCS_SHOT = ROOT / "docs" / "report-first-screen.png"
BARS = ("Array.from(document.querySelectorAll('#CHART rect.bar'))"
        ".filter(r => r.getBBox().width > 0 && r.getBBox().height > 0).length")


def test_charts_are_drawn_and_the_summary_leads(tmp_path: Path) -> None:
    db, html = tmp_path / "site.db", tmp_path / "report.html"
    with serve_sites(FIXTURE_SITES) as sites:
        seeds = [s.base_url + "/" for s in sites.values()]
        for _ in range(2):  # two runs: the chart over time has two columns
            run_cli("crawl", *seeds, "--db", str(db), "--own-domain", "127.0.0.1", "--delay", "0", "--quiet",
                    check=True)
    run_cli("report", "--db", str(db), "--format", "html", "--output", str(html), check=True)
    b = Browser(tmp_path / "profile")
    try:
        b.open(html.as_uri())
        copies = b.js("document.querySelectorAll('tr.copy').length")
        assert copies > 0
        for chart in ("chart-hosts", "chart-similarity", "chart-runs"):
            assert b.js(BARS.replace("CHART", chart)) > 0, f"{chart} is empty while {copies} copies exist"
        assert b.js("document.querySelectorAll('#chart-runs rect.bar').length") == 2
        # The similarity histogram's table adds up to the copies listed.
        counts = b.js("Array.from(document.querySelectorAll('#chart-similarity tbody tr td:last-child'))"
                      ".map(td => Number(td.textContent))")
        assert sum(counts) == copies
        headline = b.js("document.getElementById('headline').getBoundingClientRect().bottom")
        assert 0 < headline < b.js("window.innerHeight"), "the summary is not on the first screen"
        assert b.problems() == []
        b.call("Emulation.setDeviceMetricsOverride",
               {"width": 1366, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
        shot = tmp_path / "first-screen.png"
        b.screenshot(shot)
        assert shot.stat().st_size > 10_000
        if os.environ.get("COPYHOUND_DOCS_SCREENSHOT"):
            shutil.copyfile(shot, DOCS_SHOT)
    finally:
        b.close()
