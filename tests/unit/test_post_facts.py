"""text_facts: the text hash and word count of dedupe.match.text from one normalisation."""

from __future__ import annotations

import random

import pytest

from copyhound.dedupe.match.text import text_facts as post_facts
from copyhound.dedupe.match.text import text_hash, word_count

SAMPLES = [
    "",
    "   ",
    "Hello, World! It's 2024 — the year of the “quotes”.",
    "Ｆｕｌｌｗｉｄｔｈ ｌｅｔｔｅｒｓ and ﬁ ligatures",
    "snake_case_words and CamelCase STRASSE Straße",
    "日本語の文章は単語の間にスペースがありません。次の文。",
    "中文混合 English words 和数字 42",
    "ภาษาไทยไม่มีช่องว่างระหว่างคำ",
    "한국어는 단어 사이에 공백이 있습니다",
    "tabs\tand\nnewlines\r\nand\u00a0nbsp",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_post_facts_equal_text_hash_and_word_count(text: str) -> None:
    assert post_facts(text) == (text_hash(text), word_count(text))


def test_post_facts_on_random_mixed_scripts() -> None:
    rng = random.Random(12)
    alphabet = "abcXYZ éüß 日本語かなカナ ไทย 한국 .,;-_\n\t0123456789ﬁＡ"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert post_facts(text) == (text_hash(text), word_count(text)), text
