"""How long a big HTML report takes to open in headless Chromium, and
whether its compare view works on the last copy it lists.

    .venv/bin/python bench/report_scale.py --copies 45000 --posts 300000 --formats html
    .venv/bin/python bench/html_first_screen.py /tmp/copyhound-report-scale-45000-300000-texts.html

Prints the wall time from navigation to the load event, first contentful
paint and load end as the page measured them, the copies listed, and the
share of text the last copy's compare view highlighted. Uses the DevTools
client the tests use (tests/support/browser.py) and Debian's chromium.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.browser import Browser

PAINT = ("(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: -1}).startTime")
LOAD = "performance.getEntriesByType('navigation')[0].loadEventEnd"
COMPARE_LAST = """(async () => {
  const rows = document.querySelectorAll('tr.copy');
  const row = rows[rows.length - 1];
  row.querySelector('button.compare').click();
  await new Promise(r => setTimeout(r, 50));
  const view = row.nextElementSibling;
  return [view.querySelectorAll('.text')[1].textContent.length, view.querySelector('.share-b').textContent];
})()"""


def main() -> None:
    report = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="copyhound-bench-") as tmp:
        b = Browser(Path(tmp) / "profile")
        try:
            t = time.perf_counter()
            b.open(report.as_uri())
            wall = time.perf_counter() - t
            fcp, load = b.js(PAINT), b.js(LOAD)
            listed = b.js("document.querySelectorAll('tr.copy').length")
            partial = b.js("(document.getElementById('partial') || {}).textContent || ''")
            chars, shared = b.js(COMPARE_LAST)
            problems = b.problems()
        finally:
            b.close()
    print(f"{report.name}: {report.stat().st_size / 1e6:.1f} MB; load event after {wall:.2f} s wall; "
          f"first contentful paint {fcp / 1000:.2f} s, load end {load / 1000:.2f} s; {listed:,} copies listed; "
          f"compare on the last: {chars:,} chars, {shared}")
    if partial:
        print(f"notice: {partial}")
    if problems:
        raise SystemExit(f"page problems: {problems}")


if __name__ == "__main__":
    main()
