"""The HTML report in a real headless Chromium (Debian's `chromium` package).

Driven over the DevTools pipe (tests/support/browser.py). Checks: the page loads with no console
error or exception (a CSP violation is one), the filters hide and show
copies, "Compare" highlights shared passages, and markup from crawled pages
stays inert.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.browser import CHROMIUM, Browser
from support.report_data import hostile_db, two_run_db

from copyhound.cli import cli

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="needs Debian's chromium (apt-get install -y chromium) for the headless-browser test",
)


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[Browser]:
    b = Browser(tmp_path / "profile")
    try:
        yield b
    finally:
        b.close()


def _html_report(db: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--format", "html", "--output", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


VISIBLE_COPIES = "Array.from(document.querySelectorAll('tr.copy')).filter(r => !r.hidden).map(r => r.dataset.status)"


def test_report_loads_clean_and_filters_work(tmp_path: Path, browser: Browser) -> None:
    two_run_db(tmp_path / "x.db")
    page = _html_report(tmp_path / "x.db", tmp_path / "report.html")
    browser.open(page.as_uri())
    assert browser.problems() == []
    assert sorted(browser.js(VISIBLE_COPIES)) == ["missing-canonical", "missing-canonical", "noindex", "self-canonical"]
    assert browser.js("document.getElementById('shown').textContent") == "4"

    # Untick missing-canonical: those two copies hide; the other statuses stay.
    browser.js("const b = document.querySelector('input[name=status][value=missing-canonical]');"
               "b.checked = false; b.dispatchEvent(new Event('change', {bubbles: true}))")
    assert sorted(browser.js(VISIBLE_COPIES)) == ["noindex", "self-canonical"]
    assert browser.js("document.getElementById('shown').textContent") == "2"

    # Relation filter: only `contains` left, and missing-canonical is off, so nothing shows; every cluster hides.
    browser.js("document.getElementById('f-reset').click();"
               "for (const r of document.querySelectorAll('input[name=relation]')) {"
               "  r.checked = r.value === 'contains'; r.dispatchEvent(new Event('change', {bubbles: true})); }")
    assert browser.js(VISIBLE_COPIES) == ["missing-canonical"]
    assert browser.js("Array.from(document.querySelectorAll('.cluster')).filter(c => !c.hidden).length") == 1

    # A status card in the summary filters to that status.
    browser.js("document.getElementById('f-reset').click();"
               "document.querySelector('#by-status li[data-status=self-canonical]').click()")
    assert browser.js(VISIBLE_COPIES) == ["self-canonical"]

    # Host filter: the scraper's host has only the noindex copy.
    browser.js("document.getElementById('f-reset').click(); const h = document.getElementById('f-host');"
               "h.value = '127.0.0.3'; h.dispatchEvent(new Event('change', {bubbles: true}))")
    assert browser.js(VISIBLE_COPIES) == ["noindex"]

    # Compare: the partner's copy beside the canonical, shared passages marked.
    browser.js("document.getElementById('f-reset').click();"
               "document.querySelector('tr.copy[data-host=\"127.0.0.2\"] button.compare').click()")
    marks = browser.js("Array.from(document.querySelectorAll('tr.compare-row:not([hidden]) mark'))"
                       ".map(m => m.textContent)")
    assert marks and any("canonical link back at the original post" in m for m in marks)
    assert browser.js("document.querySelector('tr.compare-row:not([hidden]) .share-b').textContent") == "100% shared"
    browser.screenshot(tmp_path / "report.png")
    assert browser.problems() == []


def test_injected_markup_stays_inert(tmp_path: Path, browser: Browser) -> None:
    hostile_db(tmp_path / "h.db")
    page = _html_report(tmp_path / "h.db", tmp_path / "hostile.html")
    browser.open(page.as_uri())
    # Open every comparison so the crawled texts are put into the page too.
    browser.js("document.querySelectorAll('button.compare').forEach(b => b.click())")
    assert browser.js("window.__pwned === undefined") is True
    assert browser.js("document.querySelectorAll('img').length") == 0
    assert browser.js("document.querySelectorAll('script').length") == 2  # our data block and our script
    # The title is shown as text, exactly as crawled.
    assert browser.js("document.querySelector('.cluster h2').textContent").startswith("<script>window.__pwned=1")
    # A javascript: canonical link is shown as text, never as a link.
    assert browser.js("Array.from(document.querySelectorAll('a')).some(a => a.href.startsWith('javascript:'))") is False
    assert "window.__pwned=4" in browser.js("document.querySelector('tr.compare-row .text').textContent")
    assert browser.problems() == []


def test_csp_blocks_markup_that_escaped_escaping(tmp_path: Path, browser: Browser) -> None:
    """Defence in depth: were a crawled string ever written unescaped, the
    Content-Security-Policy would still keep it from running."""
    two_run_db(tmp_path / "x.db")
    page = _html_report(tmp_path / "x.db", tmp_path / "report.html")
    html = page.read_text(encoding="utf-8")
    injected = (
        '<script>window.__pwned=7</script><img src="x" onerror="window.__pwned=8">'
        '<a id="j" href="javascript:window.__pwned=9">j</a>'
    )
    page.write_text(html.replace('<main id="clusters">', '<main id="clusters">' + injected), encoding="utf-8")
    browser.open(page.as_uri())
    browser.js("document.getElementById('j').click()")
    assert browser.js("window.__pwned === undefined") is True
    blocked = browser.problems()
    assert blocked and all("Content Security Policy" in p for p in blocked), blocked


# A crawled page whose title, text, links and canonical link carry markup.
_EVIL_TEXT = (
    "&lt;/script&gt;&lt;script&gt;window.__pwned=10&lt;/script&gt; Every sentence of this article is "
    "ordinary prose about syndication, canonical links and search engines, written long enough to be "
    "compared as a post. &lt;img src=x onerror=window.__pwned=11&gt; The partner republished it word for "
    "word, which is exactly what copyhound is built to find and audit for its owner. Search engines see "
    "two indexable pages with the same text and must choose one of them to rank, and the owner wants to "
    "be that one. A canonical link on the copy settles the question in the owner's favour every time."
)
_EVIL_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>&lt;script&gt;window.__pwned=12&lt;/script&gt;"&gt;&lt;img src=x onerror=window.__pwned=13&gt;</title>
{canonical}</head><body><article><h1>&lt;b onmouseover=window.__pwned=14&gt;Evil title</h1>
<p>{text}</p><p>{text}</p></article>
<a href='/c.html?q="><img src=x onerror=window.__pwned=15>'>more</a></body></html>"""


def test_report_of_a_crawl_of_malicious_pages_is_inert(tmp_path: Path, browser: Browser) -> None:
    from conftest import run_cli

    from copyhound.sites import serve_sites

    site = tmp_path / "sites" / "blog"
    site.mkdir(parents=True)
    (site / "index.html").write_text('<a href="/a.html">a</a> <a href="/b.html">b</a>', encoding="utf-8")
    (site / "a.html").write_text(_EVIL_PAGE.format(canonical="", text=_EVIL_TEXT), encoding="utf-8")
    (site / "b.html").write_text(_EVIL_PAGE.format(
        canonical="<link rel=\"canonical\" href='/x\"><img src=x onerror=\"window.__pwned=16\">'>",
        text=_EVIL_TEXT), encoding="utf-8")
    (site / "c.html").write_text(_EVIL_PAGE.format(canonical="", text=_EVIL_TEXT), encoding="utf-8")
    db, page = tmp_path / "evil.db", tmp_path / "evil.html"
    with serve_sites(tmp_path / "sites") as sites:
        run_cli("crawl", sites["blog"].base_url + "/", "--db", str(db), "--delay", "0", "--quiet", check=True)
    run_cli("report", "--db", str(db), "--format", "html", "--output", str(page), check=True)
    html = page.read_text(encoding="utf-8")
    # Crawled, and escaped: the post title and the canonical link carry markup.
    assert "&lt;b onmouseover=window.__pwned=14&gt;" in html and "<b onmouseover" not in html
    assert "onerror=&quot;window.__pwned=16&quot;" in html and 'onerror="window.__pwned' not in html
    browser.open(page.as_uri())
    browser.js("document.querySelectorAll('button.compare').forEach(b => b.click())")
    assert browser.js("document.querySelectorAll('tr.copy').length") >= 1
    assert browser.js("window.__pwned === undefined") is True
    assert browser.js("document.querySelectorAll('img, [onmouseover], [onerror]').length") == 0
    assert browser.js("document.querySelector('.compare-row .text').textContent").startswith("</script><script>")
    assert browser.problems() == []
