"""The HTML report in a real headless Chromium (Debian's `chromium` package).

Driven over the DevTools protocol through `--remote-debugging-pipe` (JSON
messages separated by NUL on file descriptors 3 and 4), so no websocket or
browser-automation library is needed. Checks: the page loads with no console
error or exception (a CSP violation is one), the filters hide and show
copies, "Compare" highlights shared passages, and markup from crawled pages
stays inert.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_report_data import hostile_db, two_run_db

from copyhound.cli import cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="needs Debian's chromium (apt-get install -y chromium) for the headless-browser test",
)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--remote-debugging-pipe",
)
CALL_TIMEOUT_S = 20.0
_TRAMPOLINE = (
    "import os, sys; r, w = int(sys.argv[1]), int(sys.argv[2]); "
    "a, b = os.dup(r), os.dup(w); os.dup2(a, 3); os.dup2(b, 4); "
    "os.set_inheritable(3, True); os.set_inheritable(4, True); os.execv(sys.argv[3], sys.argv[3:])"
)


class Browser:
    """A minimal DevTools client over Chromium's debugging pipe."""

    def __init__(self, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        # A tiny trampoline puts the pipe ends on fds 3 and 4 and execs chromium
        # (no preexec_fn: unsafe in a process with threads, such as a test serving sites).
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, str(to_chrome_r), str(from_chrome_w),
             CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(to_chrome_r, from_chrome_w),
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_chrome], [], [], left)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the debugging pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = True) -> dict[str, Any]:
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + CALL_TIMEOUT_S
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self._next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + CALL_TIMEOUT_S
        for e in self.events:
            if e["method"] == method:
                return e
        while True:
            m = self._read_message(deadline)
            if "method" in m:
                self.events.append(m)
                if m["method"] == method:
                    return m

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def js(self, expression: str) -> Any:
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise AssertionError(f"script failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"]))

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (CSP violations among them)."""
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                out.append(f"exception: {p.get('exceptionDetails', {}).get('text')}")
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(f"console.{p['type']}: {[a.get('value') for a in p.get('args', [])]}")
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(f"log: {p['entry'].get('text')}")
        return out

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.call("Browser.close", session=False)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self._to_chrome)
        os.close(self._from_chrome)


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
