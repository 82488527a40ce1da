"""Word n-gram shingle hashes, built from word hashes with numpy.

Each word is hashed once, vectorised over the UTF-8 bytes of a whole batch (a
64-bit polynomial hash over fixed per-byte values, then mixed: stable across
processes and machines, unlike the salted builtin `hash()`); a shingle of n consecutive
words is the mixed sum of its n word hashes times fixed odd constants, so no
shingle string is ever built. The result is a 32-bit hash per shingle, the
input width of datasketch's "affine32" MinHash scheme.

A text shorter than n words has one shingle made of all its words; an empty
text has none. In scripts written without spaces (Chinese, Japanese, Thai)
each piece of two characters is a "word" (`text.unit_text`).

The words are exactly those of `unit_text(normalize(t)).split()`, but found
without regexes or per-word Python: NFKC and casefold per text (C), then one
lookup table over code points (`text.word_char_table`, built from the same
regexes) marks word characters and the no-space scripts, and word bounds come
from numpy edge detection over the whole pass (2.4x faster on Japanese and
Russian posts than the regex path it replaces, same hashes: see
tests/unit/test_shingles_reference.py).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from copyhound.dedupe.match.text import word_char_table

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
# ASCII `normalize` as a byte table: letters lower-cased, digits kept,
# everything else (punctuation, `_`, control and space characters) a space.
_ASCII_TABLE = bytes(
    (c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() else _SPACE for c in range(128)
) + bytes([_SPACE]) * 128
# A-Z lower-cased, every other byte (UTF-8 sequences included) left alone.
_ASCII_LOWER = bytes(c + 32 if 65 <= c <= 90 else c for c in range(256))
# Bytes of text hashed per numpy pass: small enough that the pass's uint64
# arrays stay in the CPU cache (a 4 MB pass ran 1.5x slower), big enough that
# the ~30 numpy calls of a pass are nothing beside it.
_CHUNK_BYTES = 1 << 16
_POWERS_CACHED = 1 << 17  # 1 MB: every pass but one of a single huge text
_POWER_BITS = 10  # R^i = R^(i >> 10 << 10) * R^(i & 1023): two small tables, no sequential cumprod over a pass


@lru_cache(maxsize=4)
def _power_tables(radix: int, n_hi: int) -> tuple[np.ndarray, np.ndarray]:
    """(radix^(k * 1024) for k < n_hi, radix^j for j < 1024), mod 2^64."""
    lo = np.empty(1 << _POWER_BITS, dtype=np.uint64)
    lo[0] = 1
    lo[1:] = U64(radix)
    np.cumprod(lo, out=lo)
    hi = np.empty(n_hi, dtype=np.uint64)
    hi[0] = 1
    hi[1:] = U64(pow(radix, 1 << _POWER_BITS, 1 << 64))
    np.cumprod(hi, out=hi)
    hi.setflags(write=False)
    lo.setflags(write=False)
    return hi, lo


def _tables_for(radix: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    # sizes rounded up to a power of two: a handful of cached tables serve every pass
    return _power_tables(radix, 1 << max((n >> _POWER_BITS).bit_length(), 6))


@lru_cache(maxsize=1)
def _radix_powers() -> np.ndarray:
    """radix^i for i < _POWERS_CACHED: a pass of ordinary size only slices it."""
    hi, lo = _tables_for(_RADIX, _POWERS_CACHED)
    table: np.ndarray = np.multiply.outer(hi, lo).ravel()[:_POWERS_CACHED]
    table.setflags(write=False)
    return table


def _powers_upto(n: int) -> np.ndarray:
    """_RADIX^i mod 2^64 for i in range(n)."""
    if n <= _POWERS_CACHED:
        return _radix_powers()[:n]
    hi, lo = _tables_for(_RADIX, n)
    out: np.ndarray = np.multiply.outer(hi, lo).ravel()[:n]
    return out


def _powers_at(radix: int, at: np.ndarray, n: int) -> np.ndarray:
    """radix^i mod 2^64 for every i of `at` (all < n)."""
    hi, lo = _tables_for(radix, n)
    out: np.ndarray = hi[at >> _POWER_BITS] * lo[at & ((1 << _POWER_BITS) - 1)]
    return out


def _spans(word: np.ndarray, cut: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the units: maximal runs of `word`, also broken before each `cut`."""
    n = len(word)
    prev = np.empty(n, dtype=bool)
    prev[:1] = False
    prev[1:] = word[:-1]
    if cut is None:
        starts = np.flatnonzero(word & ~prev)
        ends = np.flatnonzero(prev & ~word)
    else:
        starts = np.flatnonzero(word & (~prev | cut))
        ends = np.flatnonzero(prev & (~word | cut))
    if n and word[-1]:
        ends = np.append(ends, n)
    return starts, ends


def _hash_spans(x: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """64-bit hash of each unit x[starts[i]:ends[i]]: the polynomial sum of its
    bytes' table values (prefix sums over the whole buffer, shifted back by the
    inverse radix power of the unit's start), mixed with its length through
    the 64-bit finaliser."""
    n = len(x)
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    # take() with intp indices: 2x faster than fancy indexing with the uint8 bytes
    np.cumsum(_BYTE_VALUES.take(x.astype(np.intp)) * _powers_upto(n), out=prefix[1:])
    value = (prefix[ends] - prefix[starts]) * _powers_at(_RADIX_INV, starts, n)
    value ^= (ends - starts).astype(np.uint64) * _LENGTH_MIX
    return fmix64(value)


def _nfkc_folded(text: str) -> str:
    """`normalize` up to its regex: NFKC and casefold, which change nothing in
    ASCII but its capitals (lower-cased later, on the bytes)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text).casefold()


def _units(joined: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(UTF-8 bytes, unit starts and ends in bytes, unit starts in characters)
    of a text normalised but not yet split.

    The same units as `unit_text(normalize(t)).split()`, found with lookup
    tables over code points instead of regexes: a run of characters of a
    script written without spaces starts a unit, and so does every second
    character of it, and the first word character after it."""
    if joined.isascii():
        x = np.frombuffer(joined.encode("ascii").translate(_ASCII_TABLE), dtype=np.uint8)
        starts, ends = _spans(x != _SPACE, None)
        return x, starts, ends, starts
    # lone surrogates are not word characters: carried through, never hashed
    x = np.frombuffer(joined.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER), dtype=np.uint8)
    cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # take() with intp indices: 1.5x faster than fancy indexing
    cls = word_char_table().take(cps.astype(np.intp))
    word = cls > 0
    starts, ends = _spans(word, _no_space_cuts(cls == 3, word))
    # byte offset of every character: where its UTF-8 sequence starts (not 10xxxxxx)
    offset = np.append(np.flatnonzero((x & 0xC0) != 0x80), len(x))
    return x, offset[starts], offset[ends], starts


def _no_space_cuts(nospace: np.ndarray, word: np.ndarray) -> np.ndarray | None:
    """Where units start inside words: every second character of a run of a
    script written without spaces, counted from the run's start, and the word
    character right after such a run. Works on the run characters alone."""
    at = np.flatnonzero(nospace)
    if len(at) == 0:
        return None
    new_run = np.empty(len(at), dtype=bool)
    new_run[0] = True
    np.not_equal(at[1:], at[:-1] + 1, out=new_run[1:])
    k = np.arange(len(at))
    run_first = np.where(new_run, k, 0)
    np.maximum.accumulate(run_first, out=run_first)
    cut = np.zeros(len(word), dtype=bool)
    cut[at[(k - run_first) & 1 == 0]] = True
    after = at[np.append(new_run[1:], True)] + 1  # the character after each run's last
    after = after[after < len(word)]
    cut[after] = word[after]
    return cut


def _tokenize_chunk(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Unit hashes of texts hashed in one numpy pass, and each text's unit count."""
    pieces = [_nfkc_folded(t) for t in texts]
    joined = " ".join(pieces)  # a space never belongs to a word: units never span texts
    x, starts, ends, char_starts = _units(joined)
    text_starts = np.zeros(len(pieces), dtype=np.int64)
    np.cumsum([len(p) + 1 for p in pieces[:-1]], out=text_starts[1:])
    first_unit = np.searchsorted(char_starts, text_starts)
    return _hash_spans(x, starts, ends), np.diff(np.append(first_unit, len(starts)))


def tokenize(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of all normalised words of `texts` in order, and per-text word counts."""
    token_parts: list[np.ndarray] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    i = 0
    while i < len(texts):
        # whole texts until the chunk is full; a huge text gets a chunk of its own
        size, j = 0, i
        while j < len(texts) and (size < _CHUNK_BYTES or j == i):
            size += len(texts[j]) + 1
            j += 1
        hashes, lengths[i:j] = _tokenize_chunk(texts[i:j])
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
