"""Verification of candidate pairs: exact Jaccard and containment on shingles.

Candidates come from LSH bands or shared samples, so some are false; each is
checked on the two texts' full sets of shingle hashes (sorted, unique uint32
arrays) before it becomes an edge. Exact on shingles, so "similarity" in the
report is the true Jaccard of the two texts, not an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True, kw_only=True)
class Overlap:
    """How much two texts a and b share, by shingles.

    `a_in_b` is the fraction of a's shingles found in b (containment of a in
    b); `shared` the number of shingles in common (about the number of words).
    """

    jaccard: float
    a_in_b: float
    b_in_a: float
    shared: int

    def flipped(self) -> Overlap:
        return Overlap(jaccard=self.jaccard, a_in_b=self.b_in_a, b_in_a=self.a_in_b, shared=self.shared)


IDENTICAL = Overlap(jaccard=1.0, a_in_b=1.0, b_in_a=1.0, shared=0)


def overlap(a: np.ndarray, b: np.ndarray) -> Overlap:
    """Overlap of two sorted unique shingle-hash arrays."""
    if len(a) == 0 or len(b) == 0:
        return Overlap(jaccard=0.0, a_in_b=0.0, b_in_a=0.0, shared=0)
    shared = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - shared
    return Overlap(jaccard=shared / union, a_in_b=shared / len(a), b_in_a=shared / len(b), shared=shared)


def sampled_containment(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated containment of a in b from their sampled hashes (a fast pre-check)."""
    if len(a) == 0:
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / len(a)


__all__ = ["IDENTICAL", "Overlap", "overlap", "sampled_containment"]
