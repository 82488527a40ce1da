"""`text.normalize` takes a byte-table path for ASCII text: it must give
exactly what the regex path (NFKC, casefold, `[\\W_]+` to space) gives."""

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
