"""The vectorised shingling equals its definition, computed the slow way:
`unit_text(normalize(t)).split()`, each unit's UTF-8 bytes hashed one by one
with Python integers, shingles summed and mixed. Texts from every script the
tables distinguish (ASCII, Latin, combining marks, Cyrillic, Thai, kana, CJK,
Hangul, fullwidth forms, astral planes, lone surrogates, unassigned code points)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from copyhound.dedupe.match import shingles
from copyhound.dedupe.match.text import normalize, unit_text

M64 = (1 << 64) - 1
_RANGES = [(0x20, 0x7F), (0xA0, 0x250), (0x300, 0x370), (0x400, 0x500), (0xE00, 0xE80), (0x3000, 0x3100),
           (0x4E00, 0x4E80), (0xAC00, 0xAC40), (0xD800, 0xE000), (0xFF00, 0xFFF0), (0x1F300, 0x1F400),
           (0x20000, 0x20010), (0, 0x110000)]


def _fmix64(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & M64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & M64
    return h ^ (h >> 33)


def _unit_hash(unit: bytes) -> int:
    table = shingles._BYTE_VALUES
    v = sum(int(table[b]) * pow(shingles._RADIX, i, 1 << 64) for i, b in enumerate(unit)) & M64
    return _fmix64(v ^ ((len(unit) * int(shingles._LENGTH_MIX)) & M64))


def reference(text: str, size: int) -> list[int]:
    units = [_unit_hash(u) for u in unit_text(normalize(text)).encode("utf-8").split()]
    mult = [int(m) for m in shingles._POSITION_MULTIPLIERS[:size]]
    windows = [units[i : i + size] for i in range(len(units) - size + 1)] or ([units] if units else [])
    return [_fmix64(sum(u * m for u, m in zip(w, mult, strict=False)) & M64) >> 32 for w in windows]


def _random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 40)):
        lo, hi = rng.choice(_RANGES)
        parts.append("".join(chr(rng.randrange(lo, hi)) for _ in range(rng.randint(1, 8))))
        parts.append(rng.choice([" ", "", "\n", "。", "_", "-", "Ab", "ß"]))
    return "".join(parts)


FIXED = [
    "", " ", "...", "a", "Hello, World", "ÉCOLE d'été — Straße ﬁne", "Hugo 0.111 で港が。灯籠", "港。灯籠abc日本",
    "ДОБРЫЙ вечер", "ภาษาไทยง่ายนิดเดียว", "안녕하세요 세계", "ＦＵＬＬ　ｗｉｄｔｈ", "x\ud800y", "𠀀𠀁𠀂 emoji🙂ok",
]


@pytest.mark.parametrize("size", [1, 2, 5])
def test_batch_shingles_equal_the_definition(size: int) -> None:
    rng = random.Random(size)
    texts = FIXED + [_random_text(rng) for _ in range(150)]
    hashes, offsets = shingles.shingle_hashes_batch(texts, size)
    for i, text in enumerate(texts):
        got = hashes[offsets[i] : offsets[i + 1]].tolist()
        assert got == reference(text, size), text


def test_a_batch_spanning_many_passes_equals_texts_one_by_one() -> None:
    rng = random.Random(7)
    # ~0.5 MB: several numpy passes, ASCII-only passes and mixed ones, and a text bigger than a pass
    texts = [_random_text(rng) if i % 3 else "Plain ASCII words, Again and again. " * rng.randint(1, 40)
             for i in range(3000)] + ["word " * 40_000]
    hashes, offsets = shingles.shingle_hashes_batch(texts, 5)
    for i in range(0, len(texts), 97):
        one, _ = shingles.shingle_hashes_batch([texts[i]], 5)
        assert np.array_equal(hashes[offsets[i] : offsets[i + 1]], one)
    assert np.array_equal(hashes[offsets[-2] :], shingles.shingle_hashes_batch([texts[-1]], 5)[0])
