"""MinHash, LSH and matching parameters: one frozen object, defaults in one place.

The fields that change stored state (`SIGNATURE_KEYS`) are recorded in the
database's `params` table; a database signed with other values is refused
rather than silently mixed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from copyhound.dedupe.match.shingles import SHINGLE_HASH_NAME


def band_recall(similarity: float, bands: int, rows: int) -> float:
    """Probability that a pair at Jaccard `similarity` shares at least one band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def choose_bands(num_perm: int, similarity: float, recall: float) -> tuple[int, int]:
    """The most selective banding (most rows per band) that still makes a pair
    at Jaccard `similarity` a candidate with probability >= `recall`.

    datasketch's optimiser balances false positives against false negatives;
    copyhound verifies every candidate anyway, so it only needs recall.
    """
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if band_recall(similarity, bands, rows) >= recall:
            return bands, rows
    raise ValueError(f"no banding of {num_perm} permutations reaches recall {recall} at J={similarity}")


_BANDS, _ROWS = choose_bands(128, 0.7, 0.99)


@dataclass(frozen=True, slots=True, kw_only=True)
class MinHashParams:
    """Everything that decides signatures, candidates and relations.

    Thresholds are fractions of shingles (word `shingle_size`-grams) unless
    their name says words.
    """

    algorithm: str = "minhash"
    scheme: str = "affine32"  # datasketch >= 2 permutation scheme
    hash: str = SHINGLE_HASH_NAME  # how a shingle becomes a 32-bit value
    seed: int = 1
    num_perm: int = 128
    shingle_size: int = 5
    bands: int = _BANDS  # 32 bands of 4 rows: P(candidate | J=0.7) = 0.9998
    rows: int = _ROWS
    sample_rate: int = 8  # keep shingle hashes with hash % sample_rate == 0
    # --- candidates
    max_bucket: int = 200  # band buckets / sample hashes shared by more posts are skipped
    min_shared_samples: int = 2  # sampled hashes two posts must share to be compared
    # --- relations
    near_threshold: float = 0.5  # Jaccard at or above: exact/near copy
    contains_threshold: float = 0.9  # fraction of the post found on the copy: contains
    # shared shingles an excerpt needs (about words): listings show summaries of
    # 55-80 words; shorter teasers are left out by `min_post_words` anyway
    excerpt_min_words: int = 60
    excerpt_min_share: float = 0.6  # fraction of the excerpt's own text taken from the post
    # shorter posts are never compared (captions); a teaser that is a short
    # piece of a post is no copy of it (`audit.short_part`)
    min_post_words: int = 50

    def signature_record(self) -> dict[str, str]:
        """The stored-state parameters, as strings for the `params` table."""
        d = asdict(self)
        return {k: str(d[k]) for k in SIGNATURE_KEYS}

    def matching_record(self) -> dict[str, str]:
        """The thresholds that filter stored matches (a change means recomputing them)."""
        d = asdict(self)
        return {k: str(d[k]) for k in MATCHING_KEYS}


# Changing any of these makes stored signatures, band keys or samples incomparable.
SIGNATURE_KEYS = ("algorithm", "scheme", "hash", "seed", "num_perm", "shingle_size", "bands", "rows",
                  "sample_rate")

MATCHING_KEYS = ("max_bucket", "min_shared_samples", "near_threshold", "contains_threshold",
                 "excerpt_min_words", "excerpt_min_share", "min_post_words")

DEFAULT_PARAMS = MinHashParams()

__all__ = ["DEFAULT_PARAMS", "MATCHING_KEYS", "SIGNATURE_KEYS", "MinHashParams", "band_recall", "choose_bands"]
