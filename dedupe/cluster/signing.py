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
    minhash: bytes  # LeanMinHash bytes (datasketch's serialize format, little-endian)
    shingles: int  # distinct shingles of the text
    band_keys: np.ndarray  # int64 (bands,)
    samples: np.ndarray  # uint32 shingle hashes kept by the sample rate


def signature_states(texts: Sequence[str], params: MinHashParams = DEFAULT_PARAMS) -> list[SignatureState]:
    """The signature state of each text, in order."""
    if not texts:
        return []
    hashes, offsets = shingle_hashes_batch(list(texts), params.shingle_size)
    sigs = sign_hashes(hashes, offsets, params)
    keys = band_keys(sigs, params)
    out = []
    for j in range(len(texts)):
        uniq = np.unique(hashes[offsets[j] : offsets[j + 1]])
        out.append(SignatureState(
            minhash=to_lean_bytes(sigs[j], params.seed),
            shingles=len(uniq),
            band_keys=keys[j],
            samples=uniq[uniq % np.uint32(params.sample_rate) == 0],
        ))
    return out


__all__ = ["SignatureState", "signature_states"]
