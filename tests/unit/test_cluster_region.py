"""The incremental dedupe stage's two matching rules, pure: which verified
overlaps are kept, and which part of the match graph a change reaches."""

from __future__ import annotations

from dataclasses import replace

import pytest

from copyhound.dedupe.cluster.audit import excerpt_min_shared
from copyhound.dedupe.cluster.region import connected_region, worth_keeping
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.dedupe.match.similarity import Overlap

P = DEFAULT_PARAMS


def ov(jaccard: float = 0.0, a_in_b: float = 0.0, b_in_a: float = 0.0, shared: int = 0) -> Overlap:
    return Overlap(jaccard=jaccard, a_in_b=a_in_b, b_in_a=b_in_a, shared=shared)


def test_near_duplicates_are_kept_from_the_threshold_up() -> None:
    assert worth_keeping(ov(jaccard=P.near_threshold), P)
    assert not worth_keeping(ov(jaccard=P.near_threshold - 0.01), P)


@pytest.mark.parametrize("side", ["a_in_b", "b_in_a"])
def test_a_text_held_whole_is_kept_either_way_round(side: str) -> None:
    held = replace(ov(), **{side: P.contains_threshold})
    assert worth_keeping(held, P)
    assert not worth_keeping(replace(ov(), **{side: P.contains_threshold - 0.01}), P)


def test_an_excerpt_needs_both_enough_words_and_enough_share() -> None:
    low = min(P.contains_threshold, P.excerpt_min_share)
    enough = excerpt_min_shared(P)
    assert worth_keeping(ov(b_in_a=low, shared=enough), P)
    assert not worth_keeping(ov(b_in_a=low, shared=enough - 1), P)  # too short a passage
    assert not worth_keeping(ov(b_in_a=low - 0.01, shared=10 * enough), P)  # a passage lost in a long page


def test_the_keep_rule_follows_the_params() -> None:
    strict = replace(P, near_threshold=0.9)
    assert worth_keeping(ov(jaccard=0.6), P)
    assert not worth_keeping(ov(jaccard=0.6), strict)


def test_region_walks_every_connected_text_and_nothing_else() -> None:
    edges = [("a", "b"), ("b", "c"), ("x", "y"), ("c", "d")]
    assert connected_region({"a"}, edges) == {"a", "b", "c", "d"}
    assert connected_region({"y"}, edges) == {"x", "y"}
    assert connected_region({"lonely"}, edges) == {"lonely"}
    assert connected_region(set(), edges) == set()


def test_region_terminates_on_cycles() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "a")]
    assert connected_region(["c"], edges) == {"a", "b", "c"}
