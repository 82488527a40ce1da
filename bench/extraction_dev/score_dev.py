#!/usr/bin/env python3
"""Score extractors on the development set (or any harness-format data dir),
per language and per source, with the shared harness's own metric and timing:
this imports /work/shared/bench/extraction/score.py (`load_pages`,
`run_extractor`, `evaluate`, `timing_summary`) rather than restating it.

    PY=/tmp/peers-x/bin/python
    $PY bench/extraction_dev/score_dev.py                       # dev set, ours vs trafilatura
    $PY bench/extraction_dev/score_dev.py --data ../shared/bench/extraction-scrapinghub --by none

Ours is `copyhound.dedupe:main_text` (installed package); the peer is
`adapters:trafilatura_default` from the shared harness, run in the same process.
Targets (issue 15): dev F1 >= trafilatura + 0.02; zero empty outputs;
>= 5x trafilatura's pages per CPU-second (exit 1 when one is missed).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
DEFAULT_SCORE = HERE.parent.parent.parent / "shared" / "bench" / "extraction" / "score.py"


def load_harness(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"score_dev: cannot load the harness at {path} (set --score)")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["shared_score"] = mod
    spec.loader.exec_module(mod)
    sys.path.insert(0, str(path.parent))  # adapters.py
    return mod


def groups(data: Path, by: str) -> dict[str, str]:
    if by == "none":
        return {}
    truth = json.loads((data / "ground-truth.json").read_text("utf8"))
    return {k: str(v.get(by, "?")) for k, v in truth.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("extractors", nargs="*", default=["copyhound.dedupe:main_text", "adapters:trafilatura_default"])
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--score", type=Path, default=Path(os.environ.get("SCORE", DEFAULT_SCORE)))
    ap.add_argument("--by", default="lang", help="ground-truth field to group by: lang, source or none")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--worst", type=int, default=0)
    ap.add_argument("--margin", type=float, default=0.02, help="F1 lead over the second extractor required")
    ap.add_argument("--speed", type=float, default=5.0, help="pages/CPU-s ratio over the second extractor required")
    args = ap.parse_args()
    h = load_harness(args.score)
    pages = h.load_pages(args.data)
    truth = {p.key: p.truth for p in pages}
    group_of = groups(args.data, args.by)
    rows = []
    for spec in args.extractors:
        rr = h.run_extractor(spec.rpartition(":")[2], h.load_extractor(spec), pages, True, args.repeat)
        m = h.evaluate(truth, rr.outputs, 200)
        m.update(name=rr.name, errors=rr.errors, empty=rr.empty, timing=h.timing_summary(rr.times, rr.cpu_times))
        m["empty_keys"] = sorted(k for k, v in rr.outputs.items() if not v.strip())
        m["groups"] = group_scores(h, truth, rr.outputs, group_of)
        rows.append(m)
    report(rows, args.worst)
    return check(rows, args.margin, args.speed)


def group_scores(
    h: ModuleType, truth: dict[str, str], out: dict[str, str], group_of: dict[str, str]
) -> dict[str, dict[str, float]]:
    keys: dict[str, list[str]] = defaultdict(list)
    for k in truth:
        if k in group_of:
            keys[group_of[k]].append(k)
    res = {}
    for g, ks in sorted(keys.items()):
        res[g] = h.metrics_from_tp_fp_fns([h.string_shingle_matching(truth[k], out[k]) for k in ks])
        res[g]["n"] = len(ks)
    return res


def report(rows: list[dict], worst: int) -> None:
    print(f"{'extractor':22} {'F1':>6} {'prec':>6} {'rec':>6} {'empty':>5} {'pages/CPU-s':>11}")
    for m in rows:
        print(
            f"{m['name']:22} {m['f1']:.3f}  {m['precision']:.3f}  {m['recall']:.3f}  {m['empty']:5d}"
            f" {m['timing']['cpu_pages_per_s']:11.1f}"
        )
    names = [m["name"] for m in rows]
    if rows and rows[0]["groups"]:
        print("\nF1 (P/R) per group: " + " | ".join(names))
        for g, s in rows[0]["groups"].items():
            cells = [
                f"{m['groups'][g]['f1']:.3f} ({m['groups'][g]['precision']:.3f}/{m['groups'][g]['recall']:.3f})"
                for m in rows
            ]
            print(f"  {g:18} n={s['n']:<4d} " + "  ".join(cells))
    for m in rows:
        if m["empty_keys"]:
            print(f"\n{m['name']} empty on: {' '.join(m['empty_keys'])}")
        if worst:
            pp = m["per_page"]
            f1 = {
                k: (
                    2 * (v["precision"] or 0) * (v["recall"] or 0) / (((v["precision"] or 0) + (v["recall"] or 0)) or 1)
                )
                for k, v in pp.items()
            }
            print(
                f"\nworst for {m['name']}: "
                + "  ".join(f"{k}={f:.2f}" for k, f in sorted(f1.items(), key=lambda kv: kv[1])[:worst])
            )


def check(rows: list[dict], margin: float, speed: float) -> int:
    if len(rows) < 2:
        return 0
    ours, peer = rows[0], rows[1]
    ratio = ours["timing"]["cpu_pages_per_s"] / max(peer["timing"]["cpu_pages_per_s"], 1e-9)
    lead = ours["f1"] - peer["f1"]
    print(
        f"\nF1 lead {lead:+.3f} (target >= {margin}); speed {ratio:.1f}x (target >= {speed}x);"
        f" empty {ours['empty']} (target 0)"
    )
    ok = lead >= margin and ratio >= speed and ours["empty"] == 0
    print("targets met" if ok else "TARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
