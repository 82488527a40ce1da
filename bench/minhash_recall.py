#!/usr/bin/env python3
"""Recall of copyhound's own banding (DEFAULT_PARAMS: 32 bands x 4 rows) on the
shared harness's corpus with planted copies around Jaccard 0.7.

The harness scores every contestant with datasketch's banding for 0.8 and 0.5;
this measures the banding copyhound actually uses, then verifies candidates
as the pipeline does (exact Jaccard on shingles >= near threshold) and counts
planted pairs with exact J >= 0.7 that are found, and verified pairs that
were not planted.

    python bench/minhash_recall.py [--n-docs 20000] [--edit-rate 0.04]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT.parent / "shared" / "bench" / "minhash"))

from minhash_bench import CorpusConfig, make_corpus  # noqa: E402

from copyhound.dedupe.match.lsh import band_keys, bucket_pairs  # noqa: E402
from copyhound.dedupe.match.minhash import sign_hashes  # noqa: E402
from copyhound.dedupe.match.params import DEFAULT_PARAMS as P  # noqa: E402
from copyhound.dedupe.match.shingles import shingle_hashes_batch, split_unique  # noqa: E402
from copyhound.dedupe.match.similarity import overlap  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-docs", type=int, default=20_000)
    ap.add_argument("--edit-rate", type=float, default=0.04)
    ap.add_argument("--edit-mode", default="scattered")
    args = ap.parse_args()
    corpus = make_corpus(CorpusConfig(n_docs=args.n_docs, edit_rate=args.edit_rate, edit_mode=args.edit_mode))
    t0 = time.perf_counter()
    h, off = shingle_hashes_batch(corpus.docs, P.shingle_size)
    sig = sign_hashes(h, off, P)
    keys = band_keys(sig, P)
    n = len(corpus.docs)
    ids = np.repeat(np.arange(n, dtype=np.int64), P.bands)
    cands, _ = bucket_pairs(keys.ravel(), ids, P.max_bucket)
    t_sign = time.perf_counter() - t0
    sets = split_unique(h, off)
    verified = {(int(a), int(b)) for a, b in cands.tolist() if overlap(sets[a], sets[b]).jaccard >= P.near_threshold}
    planted = {tuple(sorted(map(int, p))) for p in corpus.pairs.tolist()}
    exact = {p: overlap(sets[p[0]], sets[p[1]]).jaccard for p in planted}
    at07 = [p for p, j in exact.items() if j >= 0.7]
    js = np.array(list(exact.values()))
    print(f"{n} docs, {len(planted)} planted pairs, exact J mean {js.mean():.3f} p10 {np.quantile(js, .1):.3f} "
          f"p90 {np.quantile(js, .9):.3f}; bands {P.bands} x rows {P.rows}")
    print(f"signed + banded in {t_sign:.1f}s; {len(cands)} candidate pairs, {len(verified)} verified")
    print(f"recall at exact J >= 0.7: {sum(p in verified for p in at07) / max(1, len(at07)):.4f} "
          f"({len(at07)} pairs); candidate recall of all planted: "
          f"{sum(p in {tuple(c) for c in cands.tolist()} for p in planted) / len(planted):.4f}")
    print(f"false pairs (verified, not planted): {len(verified - planted)}")


if __name__ == "__main__":
    main()
