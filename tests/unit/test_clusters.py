"""build_clusters on hand-made overlaps (pure): archives in several clusters,
no chaining, stable ids."""

from __future__ import annotations

from support.records import rec

from copyhound.dedupe.cluster.build import build_clusters, cluster_id
from copyhound.dedupe.match.similarity import Overlap


def ov(j: float, ab: float, ba: float, shared: int = 300) -> Overlap:
    return Overlap(jaccard=j, a_in_b=ab, b_in_a=ba, shared=shared)


def test_unsegmented_archive_is_a_copy_in_each_cluster_and_merges_nothing() -> None:
    a, b, c = rec(1, "http://o/a", own_domain=True), rec(2, "http://o/b", own_domain=True), rec(3, "http://o/c")
    arch = rec(4, "http://o/tag/", own_domain=True, words=900)
    b2 = rec(5, "http://x/b")
    key_of = {1: "A", 2: "B", 3: "C", 4: "T", 5: "B"}
    overlaps = {("A", "T"): ov(0.33, 1.0, 0.33), ("B", "T"): ov(0.33, 1.0, 0.33), ("C", "T"): ov(0.3, 1.0, 0.3)}
    out = build_clusters([a, b, c, arch, b2], key_of, overlaps)
    by_canon = {cl.canonical_url: cl for cl in out}
    assert set(by_canon) == {"http://o/a", "http://o/b", "http://o/c"}
    assert {cp.url: cp.relation for cp in by_canon["http://o/b"].copies} == {"http://o/tag/": "contains",
                                                                               "http://x/b": "exact"}
    assert all("http://o/tag/" in {cp.url for cp in cl.copies} for cl in out)


def test_no_chaining() -> None:
    a, b, c = rec(1, "http://o/a", own_domain=True), rec(2, "http://x/b"), rec(3, "http://y/c")
    key_of = {1: "A", 2: "B", 3: "C"}
    overlaps = {("A", "B"): ov(0.6, 0.75, 0.75), ("B", "C"): ov(0.6, 0.75, 0.75), ("A", "C"): ov(0.2, 0.33, 0.33)}
    out = build_clusters([a, b, c], key_of, overlaps)
    assert [(cl.canonical_url, [cp.url for cp in cl.copies]) for cl in out] == [("http://o/a", ["http://x/b"])]


def test_cluster_id_depends_on_canonical_url_and_ordinal_only() -> None:
    p = rec(1, "http://o/a/", ordinal=0)
    assert cluster_id(p) == cluster_id(rec(99, "HTTP://o/a", ordinal=0, words=5))
    assert cluster_id(p) != cluster_id(rec(1, "http://o/a/", ordinal=1))


def test_one_teaser_on_several_listings_is_no_cluster() -> None:
    # Hugo's home, author and section pages show the same 58-word summary of a
    # 400-word post: exact copies of each other, each naming the post's page.
    post = "http://o/2024/07/post/"
    home, author, section = (rec(i, u, words=58, page_posts=8, permalink=post)
                             for i, u in ((1, "http://o/"), (2, "http://o/authors/ada/"), (3, "http://o/posts/")))
    page = rec(4, post, words=417, own_domain=True)
    key_of = {1: "S", 2: "S", 3: "S", 4: "P"}
    overlaps = {("P", "S"): ov(0.14, 0.14, 1.0, shared=54)}
    assert build_clusters([home, author, section, page], key_of, overlaps) == []


def test_a_short_post_in_full_on_listings_stays_a_cluster() -> None:
    # the same 55 words on two archives and on the post's own page: a post, not a teaser
    post = "http://o/p/"
    a = rec(1, "http://o/tag/x/", words=55, page_posts=3, permalink=post)
    b = rec(2, "http://o/2024/", words=55, page_posts=3, permalink=post)
    page = rec(3, post, words=55, own_domain=True)
    out = build_clusters([a, b, page], {1: "S", 2: "S", 3: "S"}, {})
    assert [(cl.canonical_url, sorted(cp.url for cp in cl.copies)) for cl in out] == [
        (post, ["http://o/2024/", "http://o/tag/x/"])]


def test_listing_entries_long_enough_to_be_excerpts_keep_their_cluster() -> None:
    # the post's page not crawled: two archives repeating its 80-word summary are still worth reporting
    a = rec(1, "http://o/tag/x/", words=80, page_posts=3, permalink="http://o/p/")
    b = rec(2, "http://o/2024/", words=80, page_posts=3, permalink="http://o/p/")
    out = build_clusters([a, b], {1: "S", 2: "S"}, {})
    assert len(out) == 1


def test_a_short_post_signed_on_listings_is_copied_there() -> None:
    # a 51-word post republished on another site's listings with "Originally
    # published at <url>" appended (65 words): the listings hold the post whole
    post = rec(1, "http://o/p/", words=51, own_domain=True)
    repub = rec(2, "http://r/p/", words=51)
    entries = [rec(i, u, words=65, page_posts=8, permalink="http://r/p/")
               for i, u in ((3, "http://r/"), (4, "http://r/authors/ada/"))]
    key_of = {1: "P", 2: "P", 3: "S", 4: "S"}
    overlaps = {("P", "S"): ov(0.77, 1.0, 0.77, shared=47)}
    [cluster] = [cl for cl in build_clusters([post, repub, *entries], key_of, overlaps) if cl.canonical_url == post.url]
    assert {cp.url: cp.relation for cp in cluster.copies} == {
        "http://r/p/": "exact", "http://r/": "contains", "http://r/authors/ada/": "contains"}
