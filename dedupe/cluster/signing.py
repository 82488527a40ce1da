"""What the index stores for each text: its MinHash, shingle count, LSH band
keys and sampled shingle hashes (pure).

Run by the dedupe stage on new and changed posts, in batches: one call
shingles and signs many texts at once (numpy), which is what makes signing
cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copyhound.dedupe.match.lsh import band_keys
from copyhound.dedupe.match.minhash import sign_hashes, to_lean_bytes
from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.match.shingles import shingle_hashes_batch


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatureState:
    signature: np.ndarray  # uint32 (num_perm,): the MinHash values
    seed: int
    shingles: int  # distinct shingles of the text
    band_keys: np.ndarray  # int64 (bands,)
    samples: np.ndarray  # uint32 shingle hashes kept by the sample rate

    @property
    def minhash(self) -> bytes:
        """LeanMinHash bytes (datasketch's serialize format, little-endian), made
        on demand: matching reads only band keys and samples, and nothing stores them."""
        return to_lean_bytes(self.signature, self.seed)


def signature_states(texts: Sequence[str], params: MinHashParams = DEFAULT_PARAMS) -> list[SignatureState]:
    """The signature state of each text, in order."""
    if not texts:
        return []
    hashes, offsets = shingle_hashes_batch(list(texts), params.shingle_size)
    uniq, starts = unique_per_text(hashes, offsets)
    # a MinHash is a minimum over the set: signing each distinct shingle once is the same signature
    sigs = sign_hashes(uniq, starts, params)
    keys = band_keys(sigs, params)
    # the samples of all texts in one pass, then sliced: a mask per text was a fifth of signing
    kept = uniq % np.uint32(params.sample_rate) == 0
    samples = uniq[kept]
    bounds = np.zeros(len(uniq) + 1, np.int64)
    np.cumsum(kept, out=bounds[1:])
    at = bounds[starts].tolist()
    counts = np.diff(starts).tolist()
    return [
        SignatureState(signature=sigs[j], seed=params.seed, shingles=counts[j], band_keys=keys[j],
                       samples=samples[at[j] : at[j + 1]])
        for j in range(len(texts))
    ]


def unique_per_text(hashes: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each text's distinct shingle hashes, sorted, end to end, and their
    offsets: one sort of (text, hash) codes instead of a sort per text."""
    n = len(offsets) - 1
    text = np.repeat(np.arange(n, dtype=np.uint64), np.diff(offsets))
    codes = np.sort((text << np.uint64(32)) | np.asarray(hashes, np.uint32).astype(np.uint64))
    # np.unique would hash here (numpy >= 2.3): 20x slower than this sort on a million codes
    if len(codes):
        codes = codes[np.concatenate([[True], codes[1:] != codes[:-1]])]
    counts = np.bincount((codes >> np.uint64(32)).astype(np.int64), minlength=n)
    starts = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=starts[1:])
    return (codes & np.uint64(0xFFFFFFFF)).astype(np.uint32), starts


__all__ = ["SignatureState", "signature_states", "unique_per_text"]
