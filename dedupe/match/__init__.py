"""Matching: normalised text → word shingles → MinHash signatures → LSH candidates.

Candidates are verified by exact Jaccard and containment (`similarity`); every
threshold and MinHash parameter is one frozen `MinHashParams` (`params`).
"""

from copyhound.dedupe.match.lsh import band_keys, bucket_pairs, sample
from copyhound.dedupe.match.minhash import from_lean_bytes, sign_hashes, signatures, signatures_with, to_lean_bytes
from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.match.shingles import shingle_hashes, shingle_hashes_batch
from copyhound.dedupe.match.similarity import Overlap, overlap
from copyhound.dedupe.match.text import normalize, text_hash, word_count

__all__ = [
    "DEFAULT_PARAMS",
    "MinHashParams",
    "Overlap",
    "band_keys",
    "bucket_pairs",
    "from_lean_bytes",
    "normalize",
    "overlap",
    "sample",
    "shingle_hashes",
    "shingle_hashes_batch",
    "sign_hashes",
    "signatures",
    "signatures_with",
    "text_hash",
    "to_lean_bytes",
    "word_count",
]
