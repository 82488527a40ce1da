"""Signature states are typed values, deterministic, one per text."""

from __future__ import annotations

import numpy as np

from copyhound.dedupe.cluster.signing import SignatureState, signature_states, unique_per_text
from copyhound.dedupe.match.minhash import sign_one, to_lean_bytes
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.dedupe.match.shingles import shingle_hashes_batch

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


def test_batched_states_equal_signing_each_text_alone_on_all_its_shingles() -> None:
    # texts with repeated shingles, an empty one and one shorter than a shingle
    texts = [TEXT + " " + TEXT, "", "two words", " ".join(f"w{i % 40}" for i in range(500)), TEXT]
    hashes, offsets = shingle_hashes_batch(texts, DEFAULT_PARAMS.shingle_size)
    uniq, starts = unique_per_text(hashes, offsets)
    for j, state in enumerate(signature_states(texts)):
        raw = hashes[offsets[j] : offsets[j + 1]]
        assert np.array_equal(uniq[starts[j] : starts[j + 1]], np.unique(raw))
        assert state.minhash == to_lean_bytes(sign_one(raw), DEFAULT_PARAMS.seed)  # every shingle, dups included
        assert state.shingles == len(np.unique(raw))
        assert np.array_equal(state.samples, np.unique(raw)[np.unique(raw) % DEFAULT_PARAMS.sample_rate == 0])
