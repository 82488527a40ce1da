"""Signature states are typed values, deterministic, one per text."""

from __future__ import annotations

import numpy as np

from copyhound.dedupe.cluster.signing import SignatureState, signature_states
from copyhound.dedupe.match.params import DEFAULT_PARAMS

TEXT = " ".join(f"word{i}" for i in range(300))


def test_one_state_per_text_and_the_same_text_signs_the_same() -> None:
    a, b, c = signature_states([TEXT, TEXT, TEXT.replace("word7 ", "other ")])
    assert isinstance(a, SignatureState)
    assert a.minhash == b.minhash and a.minhash != c.minhash
    assert a.shingles == 300 - DEFAULT_PARAMS.shingle_size + 1
    assert np.array_equal(a.band_keys, b.band_keys)
    assert a.band_keys.dtype == np.int64 and a.samples.dtype == np.uint32
    assert all(int(s) % DEFAULT_PARAMS.sample_rate == 0 for s in a.samples)


def test_no_text_no_state() -> None:
    assert signature_states([]) == []
