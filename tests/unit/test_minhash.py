"""Signatures are datasketch 2.x's, bit for bit, and load back into datasketch."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH
from support.clustering import prose

from copyhound.dedupe import DEFAULT_PARAMS, signatures
from copyhound.dedupe.match.minhash import from_lean_bytes, sign_hashes, signatures_with, to_lean_bytes
from copyhound.dedupe.match.params import MinHashParams, band_recall
from copyhound.dedupe.match.shingles import shingle_hashes, shingle_hashes_batch
from copyhound.dedupe.match.text import normalize, text_hash


def _identity(x: int) -> int:
    return x


def _datasketch(hashes: np.ndarray, num_perm: int = 128, seed: int = 1) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed, scheme="affine32", hashfunc=_identity)
    m.update_batch([int(h) for h in hashes])
    return m


TEXTS = [prose(i, n) for i, n in enumerate([600, 250, 4, 1, 0, 80, 1200])] + ["Ünïcode “quotes” — ﬁne", "a b c d e"]


def test_signatures_equal_datasketch_update_batch_bit_for_bit() -> None:
    hashes, offsets = shingle_hashes_batch(TEXTS, 5)
    sig = sign_hashes(hashes, offsets)
    assert sig.shape == (len(TEXTS), 128) and sig.dtype == np.uint32
    for i in range(len(TEXTS)):
        expected = _datasketch(hashes[offsets[i] : offsets[i + 1]]).hashvalues
        assert np.array_equal(sig[i], expected), TEXTS[i][:40]


@pytest.mark.parametrize(("num_perm", "seed"), [(64, 7), (256, 42)])
def test_other_parameters_match_datasketch_too(num_perm: int, seed: int) -> None:
    params = MinHashParams(num_perm=num_perm, seed=seed, bands=16, rows=4)
    hashes, offsets = shingle_hashes_batch(TEXTS[:3], 5)
    sig = sign_hashes(hashes, offsets, params)
    for i in range(3):
        assert np.array_equal(sig[i], _datasketch(hashes[offsets[i] : offsets[i + 1]], num_perm, seed).hashvalues)


def test_update_one_by_one_gives_the_same_values() -> None:
    h = shingle_hashes(TEXTS[1], 5)
    m = MinHash(num_perm=128, seed=1, hashfunc=_identity)
    for x in h.tolist():
        m.update(x)
    assert np.array_equal(signatures([TEXTS[1]])[0], m.hashvalues)


def test_stored_bytes_are_lean_minhash_bytes() -> None:
    sig = signatures(TEXTS[:2])
    blob = to_lean_bytes(sig[0], 1)
    lean = LeanMinHash.deserialize(blob, byteorder="<")
    assert lean.scheme == "affine32" and lean.seed == 1
    assert np.array_equal(lean.hashvalues, sig[0])
    buf = bytearray(lean.bytesize(byteorder="<"))
    lean.serialize(buf, byteorder="<")
    assert bytes(buf) == blob
    seed, values = from_lean_bytes(blob)
    assert seed == 1 and np.array_equal(values, sig[0])
    # and works in datasketch's LSH
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    lsh.insert("a", lean)
    assert lsh.query(LeanMinHash.deserialize(to_lean_bytes(sig[0], 1), byteorder="<")) == ["a"]


def test_empty_text_has_the_empty_signature() -> None:
    sig = signatures(["", "!!! ...", TEXTS[0]])
    assert (sig[:2] == np.iinfo(np.uint32).max).all()
    assert np.array_equal(sig[:2], np.vstack([MinHash(num_perm=128).hashvalues] * 2))


def test_normalisation_makes_cosmetic_variants_identical() -> None:
    a = "The “Customer” is NOT always right—ever.  Really!\n\nﬁne 2024"
    b = 'the "customer" is not always right ever really fine 2024'
    assert normalize(a) == normalize(b) == "the customer is not always right ever really fine 2024"
    assert text_hash(a) == text_hash(b)
    assert np.array_equal(signatures([a])[0], signatures([b])[0])
    assert text_hash("price 10") != text_hash("price 11")  # digits are kept


def test_shingles_are_ordered_word_5_grams() -> None:
    assert len(shingle_hashes("a b c d e f", 5)) == 2
    assert not np.array_equal(shingle_hashes("a b c d e", 5), shingle_hashes("e d c b a", 5))
    # stable: a fixed value, so stored state survives restarts and machines
    assert shingle_hashes("one two three four five", 5).tolist() == [shingle_hashes("ONE two, three four five", 5)[0]]


def test_batch_and_single_shingling_agree() -> None:
    hashes, offsets = shingle_hashes_batch(TEXTS, 5)
    for i, t in enumerate(TEXTS):
        assert np.array_equal(np.unique(hashes[offsets[i] : offsets[i + 1]]), shingle_hashes(t, 5))
    assert np.array_equal(signatures_with(TEXTS, DEFAULT_PARAMS), signatures(TEXTS))


def test_default_banding_finds_a_pair_at_jaccard_0_7_with_p_0_99() -> None:
    p = DEFAULT_PARAMS
    assert p.bands * p.rows <= p.num_perm
    assert band_recall(0.7, p.bands, p.rows) >= 0.99


def test_estimate_tracks_exact_jaccard() -> None:
    words = TEXTS[6].split()
    edited = words[:]
    for i in range(0, len(edited), 40):
        edited[i] = "zzz"
    a, b = shingle_hashes(" ".join(words), 5), shingle_hashes(" ".join(edited), 5)
    exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    sig = signatures([" ".join(words), " ".join(edited)])
    est = float((sig[0] == sig[1]).mean())
    assert abs(est - exact) < 0.15, (est, exact)


def test_sign_one_matches_the_batch() -> None:
    from copyhound.dedupe.match.minhash import sign_one

    h = shingle_hashes(TEXTS[0], 5)
    assert np.array_equal(sign_one(h), _datasketch(h).hashvalues)
    assert np.array_equal(sign_one(h), signatures([TEXTS[0]])[0])
