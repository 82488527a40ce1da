"""Whole-extraction speed of an older checkout beside this one: `main_text`
over the 181 ScrapingHub pages, both versions in one process, alternating
passes, in CPU seconds; prints best-of and median ratios (new / old).

`bench/walk_ab.py` times the walk alone; this times everything a page costs
(parse, walk, boilerplate, segmentation, posts), which is what the speed
target is about. Same-process alternation cancels most of the drift of this
shared machine that separate benchmark runs suffer.

    git worktree add --detach /tmp/walk-old 6a19bfa      # the flat layout: dedupe.main_text
    .venv/bin/python bench/extraction_ab.py /tmp/walk-old [PASSES]
"""

from __future__ import annotations

import gzip
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from copyhound.dedupe.extract import main_text as new_main_text

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "extraction-scrapinghub" / "html"

Extractor = Callable[[str, str | None], str]


def _old_main_text(checkout: str) -> Extractor:
    # after the new package is imported: the checkout's own copyhound/ must not shadow it
    sys.path.insert(0, checkout)
    old: Extractor = importlib.import_module("dedupe").main_text
    return old


def _cpu(extract: Extractor, docs: list[str]) -> float:
    t0 = time.process_time()
    for doc in docs:
        extract(doc, None)
    return time.process_time() - t0


def main(checkout: str, passes: int) -> None:
    docs = []
    for path in sorted(PAGES.glob("*.html.gz")):
        with gzip.open(path, "rt", encoding="utf8") as f:  # as the shared harness reads them
            docs.append(f.read())
    fns: dict[str, Extractor] = {"old": _old_main_text(checkout), "new": new_main_text}
    for fn in fns.values():  # warm caches (lru_cache of class marks, regexes) before timing
        _cpu(fn, docs)
    times: dict[str, list[float]] = {"old": [], "new": []}
    for i in range(passes):
        for name in ("old", "new") if i % 2 == 0 else ("new", "old"):
            times[name].append(_cpu(fns[name], docs))
    best = min(times["new"]) / min(times["old"])
    median = statistics.median(times["new"]) / statistics.median(times["old"])
    print(
        f"{len(docs)} pages, {passes} passes: CPU-s per pass old best {min(times['old']):.3f} "
        f"median {statistics.median(times['old']):.3f}, new best {min(times['new']):.3f} "
        f"median {statistics.median(times['new']):.3f}; new/old best-of {best:.3f}, median {median:.3f}"
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10)
