"""Fingerprint of the extraction output, to prove a speed change changes nothing.

For every page of the ScrapingHub 181 (../shared/bench/extraction-scrapinghub)
and of the dev set (bench/extraction_dev/data) it hashes `main_text` the
repr of `extract_page` (posts, titles, links, metadata, error) and all the
walk returns (blocks, marks, anchors, scores, spans, skipped), and prints
one digest per set. `--save FILE` writes the per-page hashes; `--check FILE`
compares with a saved run and names the pages that differ (exit 1).

    .venv/bin/python bench/extraction_dump.py --save /tmp/extraction-before.json
    .venv/bin/python bench/extraction_dump.py --check /tmp/extraction-before.json
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

from lxml import etree

from copyhound.dedupe.extract import extract_page, main_text, parse_page
from copyhound.dedupe.extract.textblocks import walk

HERE = Path(__file__).resolve().parent
SETS = {
    "scrapinghub": HERE.parents[1] / "shared" / "bench" / "extraction-scrapinghub",
    "dev": HERE / "extraction_dev" / "data",
}


def _pages(data: Path) -> list[tuple[str, str, str]]:
    """(key, url, html) of each page, read as the shared harness reads them."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf8"))
    out = []
    for key in sorted(truth):
        with gzip.open(data / "html" / f"{key}.html.gz", "rt", encoding="utf8") as f:
            out.append((key, truth[key].get("url") or "", f.read()))
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _walk_repr(html: str) -> str:
    """Everything the walk returns, elements named by their path: scores and
    spans steer the post area, so they must not move either."""
    root = parse_page(html).root
    if root is None:
        return "no tree"
    path = etree.ElementTree(root).getpath
    out = []
    for links in (True, False):
        w = walk(root, collect_links=links)
        for b in w.blocks:
            group = path(b.group) if b.group is not None else None
            chrome = [path(c) for c in b.chrome]
            out.append(repr((b.text, path(b.elem), b.tag, b.index, b.heading, b.link_chars, b.links, chrome, group)))
        out.append(repr(sorted((path(e), m) for e, m in w.chrome_strength.items())))
        out.append(repr((w.anchors, [path(b.elem) for b in w.h1])))
        out.append(repr([(path(s.elem), s.mark, s.position, s.links) for s in w.skipped]))
        out.append(repr(sorted((path(e), v, w.span[e]) for e, v in w.scores.items())))
    return "\n".join(out)


def fingerprints() -> dict[str, dict[str, str]]:
    """Set -> page key -> hash of its main text and its extracted page."""
    result: dict[str, dict[str, str]] = {}
    for name, data in SETS.items():
        result[name] = {
            key: _digest("\x00".join((main_text(html, url), repr(extract_page(html, url)), _walk_repr(html))))
            for key, url, html in _pages(data)
        }
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", type=Path, help="write the per-page hashes here")
    ap.add_argument("--check", type=Path, help="compare with hashes saved by --save")
    args = ap.parse_args()
    now = fingerprints()
    for name, pages in now.items():
        print(f"{name}: {len(pages)} pages, digest {_digest(json.dumps(pages, sort_keys=True))[:16]}")
    if args.save:
        args.save.write_text(json.dumps(now, indent=1, sort_keys=True))
    if args.check:
        before = json.loads(args.check.read_text())
        diff = [f"{s}/{k}" for s in before for k in before[s] if now.get(s, {}).get(k) != before[s][k]]
        if diff:
            print(f"DIFFERENT on {len(diff)} pages: {' '.join(diff[:20])}", file=sys.stderr)
            return 1
        print("identical to", args.check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
