"""Band keys and bucket pairing."""

from __future__ import annotations

import numpy as np
from support.clustering import prose

from copyhound.dedupe import DEFAULT_PARAMS, signatures
from copyhound.dedupe.match.lsh import band_keys, bucket_pairs, sample
from copyhound.dedupe.match.params import band_recall, choose_bands


def test_band_keys_are_int64_and_match_only_equal_bands() -> None:
    sig = signatures([prose(1, 300), prose(1, 300), prose(2, 300)])
    keys = band_keys(sig)
    assert keys.dtype == np.int64 and keys.shape == (3, DEFAULT_PARAMS.bands)
    assert (keys[0] == keys[1]).all()
    assert not (keys[0] == keys[2]).any()
    # a band's key depends on its index: equal values in another band are another key
    same = np.zeros((1, 128), np.uint32)
    k = band_keys(same)[0]
    assert len(set(k.tolist())) == DEFAULT_PARAMS.bands


def test_bucket_pairs_counts_shared_keys_and_skips_big_buckets() -> None:
    keys = np.array([1, 1, 1, 2, 2, 3, 3, 3, 3, 9])
    ids = np.array([10, 11, 10, 10, 11, 1, 2, 3, 4, 5])
    pairs, counts = bucket_pairs(keys, ids, max_bucket=3)
    assert pairs.tolist() == [[10, 11]] and counts.tolist() == [2]  # bucket 3 has 4 posts: skipped
    pairs, counts = bucket_pairs(keys, ids, max_bucket=4)
    assert len(pairs) == 7 and dict(zip(map(tuple, pairs.tolist()), counts.tolist(), strict=True))[(10, 11)] == 2


def test_choose_bands_meets_the_recall_target() -> None:
    b, r = choose_bands(128, 0.7, 0.99)
    assert (b, r) == (32, 4)
    assert band_recall(0.7, b, r) >= 0.99 > band_recall(0.7, 128 // (r + 1), r + 1)


def test_planted_pairs_at_jaccard_0_7_are_candidates() -> None:
    """Empirical recall on copies with ~30% of shingles changed (exact J ~ 0.7)."""
    rng = np.random.default_rng(0)
    base = [prose(1000 + i, 400).split() for i in range(150)]
    copies = []
    for w in base:
        w = list(w)
        # replace every 28th word: each change breaks 5 shingles -> J ~ 0.7
        for i in range(int(rng.integers(0, 28)), len(w), 28):
            w[i] = "zz" + str(i)
        copies.append(w)
    sig = signatures([" ".join(w) for w in base + copies])
    keys = band_keys(sig)
    n = len(base)
    hit = [(keys[i] == keys[n + i]).any() for i in range(n)]
    est = [(sig[i] == sig[n + i]).mean() for i in range(n)]
    assert 0.6 < float(np.mean(est)) < 0.8
    assert np.mean(hit) >= 0.98


def test_sample_is_content_defined() -> None:
    h = np.arange(1000, dtype=np.uint32)
    s = sample(h, 8)
    assert (s % 8 == 0).all() and len(s) == 125
    assert np.array_equal(sample(h[500:], 8), s[s >= 500])
