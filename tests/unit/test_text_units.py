"""Units of text for counting and shingling: words, and in scripts written
without spaces (Chinese, Japanese, Thai) pieces of two characters."""

from __future__ import annotations

import hashlib

from copyhound.dedupe.match.shingles import shingle_hashes
from copyhound.dedupe.match.text import normalize, word_count, words

LATIN = (
    "Héllo wörld, ça va? The quick brown fox — jumps over the lazy dog 1999 times. "
    "Ünïcödé naïve café Straße ДОБРЫЙ вечер, друзья мои!"
)
JA = "この隠れたやかんが粉屋の下で細い仕立屋を磨く。この優しい運河が港のそばで北の納屋を集める。"


def test_latin_and_cyrillic_units_are_the_words_as_before() -> None:
    assert words(LATIN) == normalize(LATIN).split()
    assert word_count(LATIN) == len(normalize(LATIN).split()) == 23


def test_latin_shingles_are_bit_identical_to_the_word_shingles() -> None:
    # digest of the shingle hashes computed by the word-only implementation (before CJK units)
    h = shingle_hashes(LATIN, 5)
    assert (len(h), hashlib.blake2b(h.tobytes(), digest_size=8).hexdigest()) == (19, "8021b881d767c030")


def test_japanese_is_counted_and_shingled_by_pieces_of_two_characters() -> None:
    units = words(JA)
    assert units[:4] == ["この", "隠れ", "たや", "かん"]
    assert "".join(units) == JA.replace("。", "")  # every character, in order, in pieces of two
    # pieces restart after punctuation: each sentence is cut from its start
    assert words("港が。灯籠") == ["港が", "灯籠"] and words("港。灯籠") == ["港", "灯籠"]
    assert word_count(JA) == len(units) == 22
    assert len(shingle_hashes(JA, 5)) == 22 - 5 + 1  # was one shingle: the text was two "words"
    assert word_count("Hugo 0.111 で" + JA) == 3 + 12 + 11  # "で" starts the first run


def test_a_japanese_copy_shares_shingles_and_another_post_does_not() -> None:
    other = "その静かな港が灯籠のそばで市場を守る。ある北の橋が川の中で煙突を描く。"
    a, b, c = (set(shingle_hashes(t, 5).tolist()) for t in (JA, JA + "ある賢い橋。", other))
    assert len(a & b) / len(a) == 1.0
    assert len(a & c) / len(a) < 0.1


def test_korean_keeps_its_spaces() -> None:
    assert words("안녕하세요 세계") == ["안녕하세요", "세계"]
