"""The text-block walk of an older checkout beside this one, on the same trees.

Issue 11 asks that splitting `walk` into handlers keep the extraction speed;
whole-benchmark runs on this shared 2-core machine drift more than the few
percent in question, so this times only the walk, both versions on the same
parsed pages, alternating, in CPU seconds, and prints the best-of and median
ratios (new / old).

    git worktree add --detach /tmp/walk-old 6a19bfa      # the flat layout: dedupe/textblocks.py
    .venv/bin/python bench/walk_ab.py /tmp/walk-old [PASSES]

Measured (2 cores shared, load 7): 1.04-1.07 when the walk was first split
into handlers; 0.90-0.93 (best-of and median, 24 passes) once the handlers took
fewer calls, the page's <p> count became lazy and text_length cheaper.
`bench/extraction_ab.py` times the whole extraction the same way, and
`bench/extraction_dump.py` proves a speed change moved no output.

Run it from outside the checkout's root only if copyhound is installed
non-editable; with `pip install -e .` any directory works.
"""

from __future__ import annotations

import glob
import gzip
import importlib
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

from copyhound.dedupe.extract import textblocks as new
from copyhound.dedupe.extract.html import parse_page

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "extraction-scrapinghub" / "html"


def _old_modules(checkout: str) -> tuple[ModuleType, ModuleType]:
    sys.path.insert(0, checkout)
    return importlib.import_module("dedupe.textblocks"), importlib.import_module("dedupe.html")


def _cpu(walk_module: ModuleType, trees: list[object]) -> float:
    t0 = time.process_time()
    for tree in trees:
        walk_module.walk(tree)
    return time.process_time() - t0


def main(checkout: str, passes: int) -> None:
    old, old_html = _old_modules(checkout)
    docs = [gzip.decompress(Path(p).read_bytes()) for p in sorted(glob.glob(str(PAGES / "*.html.gz")))]
    trees = {"old": [old_html.parse_page(d).root for d in docs], "new": [parse_page(d).root for d in docs]}
    mods = {"old": old, "new": new}
    times: dict[str, list[float]] = {"old": [], "new": []}
    for i in range(passes):
        for name in ("old", "new") if i % 2 == 0 else ("new", "old"):
            times[name].append(_cpu(mods[name], trees[name]))
    best = min(times["new"]) / min(times["old"])
    median = statistics.median(times["new"]) / statistics.median(times["old"])
    print(f"{len(docs)} pages, {passes} passes: new/old CPU best-of {best:.3f}, median {median:.3f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 16)
