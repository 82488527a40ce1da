"""Canonical election, relations and statuses, rule by rule (pure functions)."""

from __future__ import annotations

from support.records import rec

from copyhound.dedupe.cluster.audit import relation, short_part, status
from copyhound.dedupe.cluster.election import elect
from copyhound.dedupe.cluster.urlkeys import same_url, url_key
from copyhound.dedupe.match.similarity import Overlap


def test_url_comparison_ignores_cosmetic_differences() -> None:
    assert same_url("HTTP://Example.COM:80/a/b/#x", "http://example.com/a/b")
    assert same_url("https://example.com:443", "https://example.com/")
    assert not same_url("https://example.com/a?x=1", "https://example.com/a?x=2")
    assert not same_url("http://example.com:8080/a", "http://example.com/a")
    assert url_key("http://h/a/") == "http://h/a"


def test_election_order() -> None:
    own = rec(1, "http://own/a", own_domain=True, published="2024-05-01")
    early = rec(2, "http://x/a", published="2024-01-01")
    archive = rec(3, "http://own/tag/", own_domain=True, page_posts=3, published="2023-01-01")
    assert elect([archive, early, own]) == (own, "own-domain")
    # a page holding several posts is no candidate while a single page exists
    assert elect([archive, early]) == (early, "earliest-published")
    # declared canonical beats dates; self-canonicals do not vote
    pointed = rec(4, "http://y/a", published="2024-06-01", canonical_link="http://y/a")
    voter = rec(5, "http://z/a", canonical_link="http://y/a/", published="2020-01-01")
    selfish = rec(6, "http://q/a", canonical_link="http://q/a", published="2019-01-01")
    assert elect([pointed, voter, selfish]) == (pointed, "declared-canonical")
    assert elect([voter, selfish])[1] == "earliest-published"
    # earliest seen, then most complete
    s1 = rec(7, "http://s/1", first_seen="2024-01-01T10:00:00Z")
    s2 = rec(8, "http://s/2", first_seen="2024-01-01T09:00:00+00:00")
    assert elect([s1, s2]) == (s2, "earliest-seen")
    big = rec(9, "http://m/1", words=500)
    small = rec(10, "http://m/2", words=400)
    assert elect([small, big]) == (big, "most-complete")
    # a date without time ties with a time on the same day
    d1 = rec(11, "http://d/1", published="2024-01-01", words=10)
    d2 = rec(12, "http://d/2", published="2024-01-01T23:00:00Z", words=20)
    assert elect([d1, d2]) == (d2, "most-complete")
    # the archive becomes the canonical only when no page holds the post alone
    a2 = rec(13, "http://own/tag2/", page_posts=2, first_seen="2024-01-02T00:00:00Z")
    a1 = rec(14, "http://own/tag1/", page_posts=2, first_seen="2024-01-01T00:00:00Z")
    assert elect([a2, a1]) == (a1, "earliest-seen")


def test_relations() -> None:
    copy = rec(1, "http://c/1")
    archive = rec(2, "http://c/tag/", page_posts=3)
    same = Overlap(jaccard=1.0, a_in_b=1.0, b_in_a=1.0, shared=300)
    assert relation(copy, same, exact=True) == "exact"
    assert relation(archive, same, exact=True) == "contains"
    assert relation(copy, Overlap(jaccard=0.7, a_in_b=0.8, b_in_a=0.85, shared=250), exact=False) == "near"
    assert relation(copy, Overlap(jaccard=0.3, a_in_b=0.97, b_in_a=0.3, shared=300), exact=False) == "contains"
    assert relation(copy, Overlap(jaccard=0.4, a_in_b=0.4, b_in_a=0.95, shared=200), exact=False) == "excerpt"
    # too little shared text, or a copy mostly of its own text: not a copy
    assert relation(copy, Overlap(jaccard=0.2, a_in_b=0.2, b_in_a=0.95, shared=50), exact=False) is None
    assert relation(copy, Overlap(jaccard=0.2, a_in_b=0.3, b_in_a=0.3, shared=160), exact=False) is None


def test_statuses() -> None:
    canon = "http://o/post/"
    assert status(rec(1, "http://c/1", canonical_link="http://O/post"), canon) == "canonical-ok"
    assert status(rec(1, "http://c/1", canonical_link="http://o/post/", robots_noindex=True), canon) == "canonical-ok"
    assert status(rec(1, "http://c/1", canonical_link="http://c/1/", robots_noindex=True), canon) == "noindex"
    assert status(rec(1, "http://c/1", canonical_link="http://c/1/"), canon) == "self-canonical"
    assert status(rec(1, "http://c/1", canonical_link="http://t/x"), canon) == "canonical-elsewhere"
    assert status(rec(1, "http://c/1"), canon) == "missing-canonical"
    assert status(rec(1, "http://c/1", robots_noindex=True), canon) == "noindex"


def test_excerpt_needs_60_words_and_a_teaser_of_a_short_post_is_no_copy() -> None:
    copy = rec(1, "http://c/1")
    # a 65-word summary of a long post: an excerpt (listings show 55-80 words)
    assert relation(copy, Overlap(jaccard=0.1, a_in_b=0.1, b_in_a=1.0, shared=61), exact=False) == "excerpt"
    # a 55-word teaser of a 70-word post: high Jaccard, but only a piece of it
    teaser = Overlap(jaccard=51 / 66, a_in_b=51 / 66, b_in_a=1.0, shared=51)
    assert short_part(teaser) and relation(copy, teaser, exact=False) is None
    # the same 55 words as an edited copy of a 58-word post (neither holds the other): near
    edited = Overlap(jaccard=45 / 63, a_in_b=45 / 54, b_in_a=45 / 51, shared=45)
    assert not short_part(edited) and relation(copy, edited, exact=False) == "near"


def test_a_short_post_held_whole_by_a_longer_text_is_copied_not_a_teaser() -> None:
    # a 51-word post republished with "Originally published at <url>" (65 words)
    signed = Overlap(jaccard=51 / 65, a_in_b=1.0, b_in_a=51 / 65, shared=51)
    assert short_part(signed)  # too short a piece either way round for an excerpt
    assert relation(rec(1, "http://c/1"), signed, exact=False) == "near"
    assert relation(rec(1, "http://c/archive", page_posts=3), signed, exact=False) == "contains"
    # the same texts the other way round: the copy is the 51 words, a piece of a longer post
    assert relation(rec(1, "http://c/1"), signed.flipped(), exact=False) is None
