"""Word n-gram shingle hashes, built from word hashes with numpy.

Each word is hashed once, vectorised over the UTF-8 bytes of a whole batch (a
64-bit polynomial hash over fixed per-byte values, then mixed: stable across
processes and machines, unlike the salted builtin `hash()`); a shingle of n consecutive
words is the mixed sum of its n word hashes times fixed odd constants, so no
shingle string is ever built. The result is a 32-bit hash per shingle, the
input width of datasketch's "affine32" MinHash scheme.

A text shorter than n words has one shingle made of all its words; an empty
text has none. In scripts written without spaces (Chinese, Japanese, Thai)
each character is a "word" (`text.unit_text`): shingles of n characters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from copyhound.dedupe.match.text import normalize, unit_text

U64 = np.uint64
# Fixed odd multipliers, one per position in the shingle (order matters: "a b"
# and "b a" must differ). Part of the hash definition: never change them
# without changing `SHINGLE_HASH_NAME` (it is recorded in the params table).
_POSITION_MULTIPLIERS = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0xA0761D6478BD642F,
        0xE7037ED1A0B428DB,
    ],
    dtype=np.uint64,
)
MAX_SHINGLE_SIZE = len(_POSITION_MULTIPLIERS)
SHINGLE_HASH_NAME = "poly64-words-mix64-hi32"


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit."""
    h = h ^ (h >> U64(33))
    h = h * U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> U64(33))
    h = h * U64(0xC4CEB9FE1A85EC53)
    mixed: np.ndarray = h ^ (h >> U64(33))
    return mixed


def _byte_table() -> np.ndarray:
    # A fixed random 64-bit value per byte, derived from blake2b so that it never
    # depends on a library's random generator.
    t = np.array(
        [int.from_bytes(hashlib.blake2b(bytes([i]), digest_size=8).digest(), "little") for i in range(256)],
        dtype=np.uint64,
    )
    t[_SPACE] = 0
    return t


_SPACE = 0x20
_BYTE_VALUES = _byte_table()
_RADIX = 0x100000001B3 * 2 + 1  # odd, so invertible mod 2^64
_RADIX_INV = pow(_RADIX, -1, 1 << 64)
_LENGTH_MIX = U64(0x9FB21C651E98DF25)
# ASCII fast path of `normalize`: lower-case letters, keep digits, everything
# else (punctuation, `_`, control and space characters) becomes a space.
_ASCII_TABLE = bytes(
    (c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() else _SPACE for c in range(128)
) + bytes([_SPACE]) * 128
_CHUNK_BYTES = 1 << 22  # bytes of text hashed per numpy pass (bounds memory)


def _normalised_bytes(text: str) -> bytes:
    """UTF-8 of `unit_text(normalize(text))`, possibly with runs of spaces (split ignores them)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_TABLE)
    return unit_text(normalize(text)).encode("utf-8")


def _hash_words(buf: bytes) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hash of every space-separated word of `buf`, and the word start offsets.

    A word's hash is the polynomial sum of its bytes' table values (prefix sums
    over the whole buffer, shifted back by the inverse radix power of the
    word's start), mixed with its length through the 64-bit finaliser.
    """
    x = np.frombuffer(buf, dtype=np.uint8)
    n = len(x)
    if n == 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    word = x != _SPACE
    edge = np.diff(word.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)
    powers = np.empty(n, dtype=np.uint64)
    powers[0] = 1
    powers[1:] = U64(_RADIX)
    np.cumprod(powers, out=powers)
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(_BYTE_VALUES[x] * powers, out=prefix[1:])
    del powers
    # R^-s for each word start s (powers of the inverse radix, also by cumprod)
    inv = np.empty(n, dtype=np.uint64)
    inv[0] = 1
    inv[1:] = U64(_RADIX_INV)
    np.cumprod(inv, out=inv)
    inv = inv[starts]
    value = (prefix[ends] - prefix[starts]) * inv
    value ^= (ends - starts).astype(np.uint64) * _LENGTH_MIX
    return fmix64(value), starts


def tokenize(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of all normalised words of `texts` in order, and per-text word counts."""
    token_parts: list[np.ndarray] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    i = 0
    while i < len(texts):
        # one numpy pass over a chunk of texts joined by spaces (words never span texts)
        parts: list[bytes] = []
        size = 0
        j = i
        while j < len(texts) and (size < _CHUNK_BYTES or j == i):
            b = _normalised_bytes(texts[j])
            parts.append(b)
            size += len(b) + 1
            j += 1
        hashes, starts = _hash_words(b" ".join(parts))
        text_starts = np.cumsum([0] + [len(p) + 1 for p in parts[:-1]])
        first_word = np.searchsorted(starts, text_starts)
        lengths[i:j] = np.diff(np.append(first_word, len(starts)))
        token_parts.append(hashes)
        i = j
    tokens = np.concatenate(token_parts) if token_parts else np.zeros(0, np.uint64)
    return tokens, lengths


def shingles_from_word_hashes(
    tokens: np.ndarray, lengths: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes (uint32) of consecutive texts given their word hashes.

    Returns (hashes, offsets): text i owns hashes[offsets[i]:offsets[i + 1]], in
    text order, duplicates kept (MinHash ignores them; `unique` removes them).
    """
    if not 1 <= size <= MAX_SHINGLE_SIZE:
        raise ValueError(f"shingle size must be 1..{MAX_SHINGLE_SIZE}, got {size}")
    mult = _POSITION_MULTIPLIERS[:size]
    total = len(tokens)
    nwin = max(total - size + 1, 0)
    acc = np.zeros(nwin, dtype=np.uint64)
    for j in range(size):
        acc += tokens[j : j + nwin] * mult[j]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    per_text = np.where(lengths >= size, lengths - size + 1, np.minimum(lengths, 1))
    offsets = np.concatenate([[0], np.cumsum(per_text)]).astype(np.int64)
    # window index of every kept shingle: text start + position inside the text
    full = lengths >= size
    nfull = np.where(full, per_text, 0)
    pos = np.arange(int(nfull.sum()), dtype=np.int64) - np.repeat(np.cumsum(nfull) - nfull, nfull)
    win = np.repeat(starts, nfull) + pos
    out = np.empty(int(offsets[-1]), dtype=np.uint64)
    dest_full = np.repeat(offsets[:-1], nfull) + pos
    out[dest_full] = acc[win]
    # short texts (fewer words than `size`): one shingle of all their words (rare)
    for i in np.nonzero((lengths > 0) & ~full)[0]:
        w = tokens[starts[i] : starts[i] + lengths[i]]
        out[offsets[i]] = np.sum(w * mult[: len(w)], dtype=np.uint64)
    hashed = (fmix64(out) >> U64(32)).astype(np.uint32)
    return hashed, offsets


def shingle_hashes_batch(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """(hashes uint32, offsets int64) of the word `size`-gram shingles of `texts`."""
    tokens, lengths = tokenize(texts)
    return shingles_from_word_hashes(tokens, lengths, size)


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Sorted unique uint32 shingle hashes of one text."""
    h, _ = shingle_hashes_batch([text], size)
    return np.unique(h)


def split_unique(hashes: np.ndarray, offsets: np.ndarray) -> list[np.ndarray]:
    """Per-text sorted unique shingle hashes from a batch result."""
    return [np.unique(hashes[offsets[i] : offsets[i + 1]]) for i in range(len(offsets) - 1)]


__all__ = [
    "SHINGLE_HASH_NAME",
    "shingle_hashes",
    "shingle_hashes_batch",
    "shingles_from_word_hashes",
    "split_unique",
    "tokenize",
]
