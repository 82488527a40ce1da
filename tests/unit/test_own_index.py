"""OwnIndex (dedupe/match/own_index.py): the hunt's query index of own posts."""

from __future__ import annotations

import random

from copyhound.dedupe.match.own_index import OwnIndex

# Letter-only words: normalisation keeps letters, and random words make texts
# that share nothing but what a test copies into them.
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _text(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choice(_LETTERS) for _ in range(6)) for _ in range(n))


def _own(seed: int = 1, posts: int = 20, words: int = 300) -> tuple[OwnIndex, list[str]]:
    rng = random.Random(seed)
    texts = [_text(rng, words) for _ in range(posts)]
    return OwnIndex(texts), texts


def test_an_exact_copy_matches_fully() -> None:
    index, texts = _own()
    assert len(index) == 20
    assert index.may_hold("Home About " + texts[3] + " Copyright")
    assert index.best_match([texts[3]]) == 1.0


def test_an_unrelated_text_is_prefiltered_and_never_matches() -> None:
    index, _ = _own()
    other = _text(random.Random(99), 300)
    assert not index.may_hold(other)
    assert index.best_match([other]) == 0.0


def test_a_page_containing_a_post_matches_by_containment() -> None:
    index, texts = _own()
    rng = random.Random(5)
    host = _text(rng, 250) + " " + texts[7] + " " + _text(rng, 250)
    score = index.best_match([host])
    # Jaccard is about 300/800, below near; the own post is wholly contained.
    assert score >= index.params.contains_threshold


def test_a_lightly_edited_copy_matches_near() -> None:
    index, texts = _own()
    words = texts[11].split()
    words[::25] = ["edited"] * len(words[::25])  # every 25th word changed
    score = index.best_match([" ".join(words)])
    assert index.params.near_threshold <= score < 1.0


def test_a_short_quote_is_not_a_copy() -> None:
    index, texts = _own()
    quote = " ".join(texts[2].split()[:40])  # 40 words: under the excerpt's 150
    assert index.best_match([quote + " " + _text(random.Random(7), 300)]) == 0.0


def test_best_of_several_texts_and_of_none() -> None:
    index, texts = _own()
    partial = " ".join(texts[0].split()[:200]) + " " + _text(random.Random(8), 100)
    both = index.best_match([partial, texts[4]])
    assert both == 1.0
    assert index.best_match([]) == 0.0


def test_an_empty_page_never_passes_the_prefilter() -> None:
    index, _ = _own()
    assert not index.may_hold("")
    assert not OwnIndex([]).may_hold(_text(random.Random(3), 100))
