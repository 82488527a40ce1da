"""`text.normalize` takes a byte-table path for ASCII text, and a numpy
table for long texts that are not ASCII: both must give exactly what the
regex path (NFKC, casefold, `[\\W_]+` to space) gives, and `text_facts` the
same word counts."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from copyhound.dedupe.match.text import normalize, text_facts, text_hash

_NON_WORD = re.compile(r"[\W_]+")


def by_regex(text: str) -> str:
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def test_every_ascii_character_is_normalised_as_the_regex_does() -> None:
    for c in map(chr, range(128)):
        text = f"Ab{c}Cd {c} x{c}"
        assert normalize(text) == by_regex(text), repr(c)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_ascii_texts_normalise_as_the_regex_does(text: str) -> None:
    assert normalize(text) == by_regex(text)


def test_a_non_ascii_text_still_takes_the_unicode_rules() -> None:
    assert normalize("Straße, ＡＢＣ café") == "strasse abc café"
    # one non-ASCII character anywhere: the whole text goes the Unicode way, with the same result for its ASCII
    assert text_hash("The Quick_Brown-fox!") == text_hash("the quick brown fox")
    assert text_facts("Hello, World… again") == (text_hash("hello world again"), 3)


# Long texts that are not ASCII take `word_char_table` instead of the regex.
_MIXED = st.text(
    alphabet=st.one_of(st.characters(max_codepoint=127), st.sampled_from("éüßİﬁ’“”—…東京タイ語 \u00a0\u2028_")),
    min_size=500, max_size=900,
)


def by_regex_facts(text: str) -> tuple[str, int]:
    from copyhound.dedupe.match.text import _digest, unit_text

    norm = by_regex(text)
    return _digest(norm), len(unit_text(norm).split())


@given(_MIXED, st.sampled_from(["", "é", "東京", "—"]))
def test_long_texts_normalise_and_count_as_the_regex_does(text: str, tail: str) -> None:
    text += tail  # not ASCII for sure, when the tail is not empty
    assert normalize(text) == by_regex(text)
    assert text_facts(text) == by_regex_facts(text)


def test_long_texts_of_punctuation_only_or_surrogates() -> None:
    for text in ("—" * 600, " ’ " * 300, "a\ud800b " * 200 + "é", "ＡＢＣ" * 200):
        assert normalize(text) == by_regex(text)
        assert text_facts(text) == by_regex_facts(text)
