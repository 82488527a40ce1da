#!/usr/bin/env python3
"""Print the benchmark table from WORK/score-<scenario>.json (written by score.py).

python table.py --work /tmp/realsites hugo jekyll synd
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

TARGETS = {"pair_precision": 0.99, "pair_recall": 0.99, "canonical": 0.99, "status": 0.99, "excerpt_recall": 0.95}


def fmt(v: object) -> str:
    return "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=Path("/tmp/realsites"))
    ap.add_argument("scenarios", nargs="+")
    args = ap.parse_args()
    cols = [
        "pair_precision",
        "pair_recall",
        "canonical",
        "status",
        "excerpt_recall",
        "full_recall",
        "teaser_fp",
        "dup_url_clusters",
        "short_posts_found",
    ]
    heads = [
        "scenario",
        "pairP",
        "pairR",
        "canon",
        "status",
        "exc>=60",
        "full>=50",
        "teaserFP",
        "dupURL",
        "short<50",
        "req1",
        "KB1",
        "req2",
        "KB2",
        "200s2",
    ]
    print(" | ".join(heads))
    print(" | ".join("---" for _ in heads))
    groups = []
    for sc in args.scenarios:
        s = json.loads((args.work / f"score-{sc}.json").read_text())
        for site, t in s["traffic"].items():
            row = [f"{sc}:{site}" if len(s["traffic"]) > 1 else sc]
            row += [fmt(s[c]) for c in cols] if site == next(iter(s["traffic"])) else [""] * len(cols)
            f, r = t["first"], t["recrawl"]
            row += [
                fmt(f["requests"]),
                fmt(round((f["bytes"] or 0) / 1024)),
                fmt(r["requests"]),
                fmt(round((r["bytes"] or 0) / 1024)),
                fmt((r["statuses"] or {}).get("200", 0)),
            ]
            print(" | ".join(row))
        groups += [(sc, g, v) for g, v in s["groups"].items()]
    print()
    print("scenario | copies of | n | recall | status | canonical (posts with such a copy)")
    print("--- | --- | --- | --- | --- | ---")
    for sc, g, v in groups:
        print(f"{sc} | {g} | {v['copies']} | {fmt(v['recall'])} | {fmt(v['status'])} | {fmt(v['canonical'])}")
    print("\nre-crawl full downloads (200) by kind of URL:")
    for sc in args.scenarios:
        s = json.loads((args.work / f"score-{sc}.json").read_text())
        for site, t in s["traffic"].items():
            kinds: dict[str, int] = {}
            for req in t["recrawl_full_downloads"]:
                path = req.split()[1].split("?")[0]
                last = path.rsplit("/", 1)[-1]
                k = "page/" if not last or "." not in last else "*." + last.rsplit(".", 1)[-1]
                kinds[k] = kinds.get(k, 0) + 1
            print(f"  {sc}:{site} {kinds}")
    print(f"\ntargets: {TARGETS}; teaser FP 0; dupURL 0; full recall 1.0")


if __name__ == "__main__":
    main()
