"""Text normalisation shared by exact hashing, shingling and word counts.

Two texts that differ only in Unicode form, case, punctuation or spacing are
the same text for copyhound: syndicated copies re-encode quotes, dashes and
ligatures, change case in headings and reflow whitespace. Digits are kept
(a changed price or year is a real edit).

Scripts written without spaces between words (Chinese, Japanese, Thai) have
no whitespace words: a Japanese paragraph would be one "word". There every
`CHARS_PER_WORD` characters make a unit (shingles become character n-grams of
about five words), and word counts take that many characters as a word, as
extraction does.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import numpy as np

# Everything that is not a letter, digit or combining mark becomes a word
# break; `_` is in \w but is punctuation for us.
_NON_WORD = re.compile(r"[\W_]+")
# Kana, CJK ideographs (with extension A and compatibility forms) and Thai: no
# spaces between words. Hangul is left out: Korean puts spaces between words.
_NO_SPACE_CHAR = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NO_SPACE_RUN = re.compile(_NO_SPACE_CHAR.pattern + "+")
# Characters that make a word in those scripts, for word counts: about two in
# Chinese and Japanese (the rule extraction's own word count uses).
CHARS_PER_WORD = 2
# `normalize` of ASCII as a byte table: NFKC and casefold change nothing there
# but capitals, and `_NON_WORD` matches exactly the bytes that are not
# letters or digits. Translating bytes and splitting is 4x the regex's speed
# on a post (0.01 against 0.04 ms), and most posts on the web are ASCII.
_ASCII_NORMAL = bytes(
    (c + 32 if 65 <= c <= 90 else c) if chr(c).isalnum() else 0x20 for c in range(128)
) + bytes([0x20]) * 128


# From this length on, a text that is not ASCII is normalised through
# `word_char_table` (numpy): the regex took 0.14 ms of a 4,000-character
# post with curly quotes, the table 0.04; both take ~16 us at 512 characters,
# and below that numpy's fixed cost loses.
TABLE_NORMALIZE_CHARS = 512


def normalize(text: str) -> str:
    """NFKC, casefold, punctuation to space, whitespace collapsed, stripped."""
    if text.isascii():
        return " ".join(text.encode("ascii").translate(_ASCII_NORMAL).decode("ascii").split())
    t = unicodedata.normalize("NFKC", text).casefold()
    if len(t) >= TABLE_NORMALIZE_CHARS:
        return _normalize_folded(t)[0]
    return _NON_WORD.sub(" ", t).strip()


def _normalize_folded(folded: str) -> tuple[str, int, bool]:
    """(`normalize` of a text already NFKC-normalised and casefolded, its
    whitespace words, does it hold a script written without spaces): the
    characters that are not word characters (`word_char_table`, built from
    `_NON_WORD`) become one space between words, none at either end."""
    cps = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = word_char_table().take(cps.astype(np.intp))
    word = cls > 0
    after_word = np.empty_like(word)
    after_word[0] = False
    after_word[1:] = word[:-1]
    starts = word & ~after_word
    n_words = int(np.count_nonzero(starts))
    if not n_words:
        return "", 0, False
    keep = word | after_word  # a word's characters, and the first break after it
    keep[int(np.flatnonzero(word)[-1]) + 1 :] = False  # not the break after the last word
    out = np.where(word, cps, np.uint32(0x20))[keep]
    return out.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass"), n_words, bool((cls == 3).any())


def unit_text(normalised: str) -> str:
    """A normalised text with every run of a script written without spaces
    cut into units of `CHARS_PER_WORD` characters from the run's start (about
    a word each: shingles of five units span about five words, as in Latin
    text, where five characters would match common phrases across posts).
    Punctuation ends a run, so an edit shifts the cut only up to the next one.
    Text without such characters is returned as is (Latin words stay words)."""
    if normalised.isascii() or not _NO_SPACE_CHAR.search(normalised):
        return normalised
    return " ".join(_NO_SPACE_RUN.sub(_cut_run, normalised).split())


def _cut_run(m: re.Match[str]) -> str:
    run = m.group()
    return " " + " ".join(run[i : i + CHARS_PER_WORD] for i in range(0, len(run), CHARS_PER_WORD)) + " "


def words(text: str) -> list[str]:
    """The normalised units of `text`, in order: its words, and pieces of
    `CHARS_PER_WORD` characters of a script written without spaces."""
    return unit_text(normalize(text)).split()


def no_space_chars(text: str) -> int:
    """How many characters of `text` belong to scripts written without spaces."""
    return 0 if text.isascii() else len(_NO_SPACE_CHAR.findall(text))


def word_count(text: str) -> int:
    """Words: the units of `words`, so a script written without spaces counts
    `CHARS_PER_WORD` characters (rounded up in each run) as one word."""
    return _count(normalize(text))


def _count(norm: str) -> int:
    return len(norm.split()) if norm.isascii() else len(unit_text(norm).split())


@lru_cache(maxsize=1)
def word_char_table() -> np.ndarray:
    """uint8 per code point (0..0x10FFFF): 1 for a character that stays in a
    word after `normalize` (not matched by `_NON_WORD`, not whitespace for
    `str.split`), 2 more when it is also of a script written without spaces.
    Built from the very regexes above, so the vectorised shingling
    (`shingles.tokenize`) cuts units exactly where `unit_text(normalize(t)).split()`
    does. About 1 MB, built once (~0.06 s) on the first text that is not ASCII."""
    # every code point, surrogates included, in one decode: "".join(map(chr, ...))
    # took 0.15 s, paid by every ingest of a page that is not ASCII
    every = np.arange(0x110000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    table = np.ones(0x110000, dtype=np.uint8)
    for pattern in (_NON_WORD, re.compile(r"\s")):
        for m in pattern.finditer(every):
            table[m.start() : m.end()] = 0
    for m in _NO_SPACE_RUN.finditer(every):
        table[m.start() : m.end()] *= 3
    table.setflags(write=False)
    return table


def text_hash(text: str) -> str:
    """Hex digest of the normalised text: equal exactly when the normalised texts are."""
    return _digest(normalize(text))


def _digest(norm: str) -> str:
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=16).hexdigest()


def text_facts(text: str) -> tuple[str, int]:
    """`(text_hash(text), word_count(text))` from one normalisation instead of
    two: normalising (NFKC, casefold, punctuation) is most of what storing a
    post costs, ~0.04 ms a post."""
    if text.isascii() or len(text) < TABLE_NORMALIZE_CHARS:
        norm = normalize(text)
        return _digest(norm), _count(norm)
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) < TABLE_NORMALIZE_CHARS:
        norm = _NON_WORD.sub(" ", folded).strip()
        return _digest(norm), _count(norm)
    norm, n_words, no_space = _normalize_folded(folded)  # the table also says whether units need cutting
    return _digest(norm), (len(unit_text(norm).split()) if no_space else n_words)


__all__ = [
    "CHARS_PER_WORD", "no_space_chars", "normalize", "text_facts", "text_hash", "unit_text", "word_count", "words",
]
