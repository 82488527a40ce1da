"""Candidate pairs: LSH band keys of signatures and sampled shingle hashes.

Both are "bucket" indexes: posts sharing a band key (Jaccard candidates) or
a sampled shingle hash (containment candidates) are compared. Keys are signed
64-bit ints so SQLite stores them as INTEGER. Buckets holding more than
`max_bucket` posts are skipped: they are common phrases, not copies, and
would make the pair count quadratic (exact copies are grouped by text hash
instead, whatever their number).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.match.shingles import fmix64

U64 = np.uint64
_ROW_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93] * 8, dtype=np.uint64
)
_BAND_SALT = U64(0xA0761D6478BD642F)
SAMPLE_PARTS = 16  # slices of the sample hash range sorted one at a time (a power of two)



def band_keys(sig: np.ndarray, params: MinHashParams = DEFAULT_PARAMS) -> np.ndarray:
    """(n, bands) int64: one key per band of `rows` signature values; the band
    index is mixed in, so equal values in different bands never collide."""
    sig = np.asarray(sig)
    if sig.ndim != 2 or sig.shape[1] < params.bands * params.rows:
        raise ValueError(f"signatures of shape {sig.shape} have fewer than {params.bands}x{params.rows} values")
    if params.rows > len(_ROW_MULTIPLIERS):
        raise ValueError(f"at most {len(_ROW_MULTIPLIERS)} rows per band, not {params.rows}")
    s = sig[:, : params.bands * params.rows].astype(np.uint64).reshape(len(sig), params.bands, params.rows)
    acc = (np.arange(1, params.bands + 1, dtype=np.uint64) * _BAND_SALT)[None, :].repeat(len(sig), axis=0)
    for j in range(params.rows):
        acc = fmix64(acc ^ (s[:, :, j] * _ROW_MULTIPLIERS[j]))
    return acc.view(np.int64)


def sample(hashes: np.ndarray, rate: int) -> np.ndarray:
    """The unique shingle hashes kept for containment: those divisible by `rate`
    (a content-defined sample: two texts keep the same hashes of shared text)."""
    h = np.unique(np.asarray(hashes, dtype=np.uint32))
    kept: np.ndarray = h[h % np.uint32(rate) == 0]
    return kept


def bucket_pairs(keys: np.ndarray, ids: np.ndarray, max_bucket: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of distinct ids sharing a key, and how many keys each pair shares.

    `keys` and `ids` are parallel 1-D arrays (one row per (key, id)); rows are
    deduplicated first. Returns (pairs (m, 2) int64 with a < b, counts (m,)).
    """
    if len(keys) == 0:
        return np.zeros((0, 2), np.int64), np.zeros(0, np.int64)
    keys, ids = np.asarray(keys, np.int64), np.asarray(ids, np.int64)
    if ids.min() < 0 or ids.max() >= 1 << 31:
        raise ValueError("bucket_pairs packs ids into 32 bits: ids must be in [0, 2^31)")
    order = np.lexsort((ids, keys))
    k, v = keys[order], ids[order]
    fresh = np.ones(len(k), dtype=bool)
    fresh[1:] = (k[1:] != k[:-1]) | (v[1:] != v[:-1])
    k, v = k[fresh], v[fresh]
    brk = np.flatnonzero(k[1:] != k[:-1]) + 1
    starts = np.concatenate([[0], brk])
    sizes = np.diff(np.append(starts, len(k)))
    out: list[np.ndarray] = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_bucket)]):
        # all buckets of one size at once: (groups, size) members, upper-triangle pairs
        st = starts[sizes == size]
        members = v[st[:, None] + np.arange(size)[None, :]]
        ii, jj = np.triu_indices(int(size), 1)
        out.append(np.stack([members[:, ii].ravel(), members[:, jj].ravel()], axis=1))
    if not out:
        return np.zeros((0, 2), np.int64), np.zeros(0, np.int64)
    p = np.concatenate(out)
    a, b = np.minimum(p[:, 0], p[:, 1]), np.maximum(p[:, 0], p[:, 1])
    # ids are SQLite rowids (< 2^31 here), so a pair packs into one int64
    codes, counts = np.unique((a << 32) | b, return_counts=True)
    return _unpack(codes), counts


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values: np.unique without its hash path (numpy >= 2.3),
    many times slower than a sort on millions of int64."""
    a = np.sort(a)
    out: np.ndarray = a[np.concatenate([[True], a[1:] != a[:-1]])] if len(a) else a
    return out


def _unpack(codes: np.ndarray) -> np.ndarray:
    return np.stack([codes >> 32, codes & 0xFFFFFFFF], axis=1)


def _pack(pairs: np.ndarray) -> np.ndarray:
    packed: np.ndarray = (pairs[:, 0] << 32) | pairs[:, 1]
    return packed


def band_candidates(columns: Iterable[tuple[np.ndarray, np.ndarray]], max_bucket: int) -> np.ndarray:
    """Pairs (a < b) sharing a band key, from one (keys, ids) column per band.

    Band keys mix in their band's index, so buckets never span two bands:
    sorting each band on its own finds the same buckets as sorting them all
    at once, in a fraction of the memory (`columns` may be a generator of
    views: one band's copy is held at a time)."""
    found = [_pack(bucket_pairs(k, i, max_bucket)[0]) for k, i in columns if len(k)]
    if not found:
        return np.zeros((0, 2), np.int64)
    return _unpack(sorted_unique(np.concatenate(found)))


def sample_candidates(
    hashes: np.ndarray, ids: np.ndarray, max_bucket: int, min_shared: int, parts: int = SAMPLE_PARTS
) -> np.ndarray:
    """Pairs (a < b) sharing at least `min_shared` sampled hashes (`hashes`
    and `ids` parallel, one row per (hash, id)).

    Sorted in `parts` slices of the hash range, so only a slice's rows are
    sorted at once; the shared counts of a pair are summed over slices."""
    # ids keep their width (int32 halves a big index); bucket_pairs widens a slice at a time
    hashes, ids = np.asarray(hashes, np.uint32), np.asarray(ids)
    codes, counts = [], []
    bits = int(parts).bit_length() - 1  # parts == 2 ** bits
    # samples are multiples of the sample rate (low bits alike): slice on the top bits
    part = (hashes >> np.uint32(32 - bits)).astype(np.uint8) if bits else np.zeros(len(hashes), np.uint8)
    for p in np.unique(part):
        sel = part == p
        pairs, n = bucket_pairs(hashes[sel], ids[sel], max_bucket)
        codes.append(_pack(pairs))
        counts.append(n)
    if not codes:
        return np.zeros((0, 2), np.int64)
    uniq, inverse = np.unique(np.concatenate(codes), return_inverse=True)
    total = np.bincount(inverse, weights=np.concatenate(counts), minlength=len(uniq))
    return _unpack(uniq[total >= min_shared])


__all__ = ["band_candidates", "band_keys", "bucket_pairs", "sample", "sample_candidates", "sorted_unique"]
