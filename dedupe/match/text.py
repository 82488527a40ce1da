"""Text normalisation shared by exact hashing, shingling and word counts.

Two texts that differ only in Unicode form, case, punctuation or spacing are
the same text for copyhound: syndicated copies re-encode quotes, dashes and
ligatures, change case in headings and reflow whitespace. Digits are kept
(a changed price or year is a real edit).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Everything that is not a letter, digit or combining mark becomes a word
# break; `_` is in \w but is punctuation for us.
_NON_WORD = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """NFKC, casefold, punctuation to space, whitespace collapsed, stripped."""
    t = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", t).strip()


def words(text: str) -> list[str]:
    """The normalised words of `text`, in order."""
    return normalize(text).split()


def word_count(text: str) -> int:
    return len(words(text))


def text_hash(text: str) -> str:
    """Hex digest of the normalised text: equal exactly when the normalised texts are."""
    return hashlib.blake2b(normalize(text).encode("utf-8"), digest_size=16).hexdigest()


__all__ = ["normalize", "text_hash", "word_count", "words"]
