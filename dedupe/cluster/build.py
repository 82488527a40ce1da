"""Clusters built around posts: one canonical post and every copy of it.

Input: the posts that have at least one verified overlap (or an exact twin),
each with a text key (the hash of its normalised text: posts with the same
key are exact copies), and the verified overlaps between distinct texts.

1. Texts linked by a near-duplicate edge (Jaccard >= near threshold) form a
   component; its canonical is elected by the contract's rules, and only the
   texts with their *own* near edge to the canonical's text join its class.
   The others start a new class: no chaining A~B~C where A and C differ.
2. A text outside the class that holds the canonical's whole text (an
   archive, a home page, an aggregator) joins as `contains`; one mostly made
   of a substantial part of it joins as `excerpt`. Between two single-post
   pages where one holds the other whole, the contract's election says which
   is the original (an excerpt of a post vs. a post inside a bigger one).
   A text that holds two or more other posts whole is an aggregate: never the
   original of the posts it holds. A class whose canonical is an excerpt of
   another class's winning canonical has no cluster of its own: its members
   are that post's excerpts (two sites quoting the same first half).
3. A class made only of listing entries too short to be excerpts, each
   naming another page as the post's own, is a teaser repeated: no cluster.
4. A post is in at most one class, but may be a copy in several clusters (a
   tag archive holding posts A, B and C is a copy in three clusters).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from copyhound.dedupe.cluster.audit import excerpt_min_shared, make_copy, relation, short_part
from copyhound.dedupe.cluster.election import elect
from copyhound.dedupe.cluster.urlkeys import url_key
from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.match.similarity import IDENTICAL, Overlap
from copyhound.dedupe.types import Cluster, Copy, PostRecord, Reason


def cluster_id(canonical: PostRecord) -> str:
    """Stable across runs for the same canonical post: its URL and place on the page."""
    key = f"{url_key(canonical.url)}#{canonical.ordinal}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class _Class:
    canonical: PostRecord
    reason: Reason
    keys: frozenset[str]


class _Graph:
    def __init__(self, overlaps: Mapping[tuple[str, str], Overlap]) -> None:
        self.overlaps = overlaps
        self.neighbours: defaultdict[str, set[str]] = defaultdict(set)
        for a, b in overlaps:
            self.neighbours[a].add(b)
            self.neighbours[b].add(a)

    def get(self, a: str, b: str) -> Overlap | None:
        """The overlap oriented a → b (`a_in_b`: fraction of a found in b)."""
        if a == b:
            return IDENTICAL
        if (a, b) in self.overlaps:
            return self.overlaps[(a, b)]
        o = self.overlaps.get((b, a))
        return o.flipped() if o is not None else None


def _components(keys: Sequence[str], near: Mapping[str, set[str]]) -> list[list[str]]:
    seen: set[str] = set()
    out = []
    for k in keys:
        if k in seen:
            continue
        stack, comp = [k], []
        seen.add(k)
        while stack:
            x = stack.pop()
            comp.append(x)
            for y in near.get(x, ()):
                if y not in seen:
                    seen.add(y)
                    stack.append(y)
        out.append(sorted(comp))
    return out


def _classes(
    by_key: Mapping[str, list[PostRecord]], key_of: Mapping[int, str], near: Mapping[str, set[str]]
) -> list[_Class]:
    out = []
    for comp in _components(sorted(by_key), near):
        remaining = set(comp)
        while remaining:
            members = [p for k in sorted(remaining) for p in by_key[k]]
            canonical, reason = elect(members)
            kc = key_of[canonical.post_id]
            keys = frozenset({kc} | (near.get(kc, set()) & remaining))
            if keys != remaining:
                # the class is smaller than the component: its own election
                # decides the reason when it agrees on the canonical
                again, why = elect([p for k in sorted(keys) for p in by_key[k]])
                if again.post_id == canonical.post_id:
                    reason = why
            out.append(_Class(canonical=canonical, reason=reason, keys=keys))
            remaining -= keys
    return out


def build_clusters(
    posts: Sequence[PostRecord],
    key_of: Mapping[int, str],
    overlaps: Mapping[tuple[str, str], Overlap],
    params: MinHashParams = DEFAULT_PARAMS,
) -> list[Cluster]:
    """Clusters of `posts` from the verified `overlaps` between their texts.

    `key_of` maps each post id to its text key; `overlaps[(a, b)]` is oriented
    a → b. Clusters without copies are not returned.
    """
    by_key: defaultdict[str, list[PostRecord]] = defaultdict(list)
    for p in posts:
        by_key[key_of[p.post_id]].append(p)
    graph = _Graph({k: v for k, v in overlaps.items() if k[0] in by_key and k[1] in by_key})
    near: defaultdict[str, set[str]] = defaultdict(set)
    for (a, b), o in graph.overlaps.items():
        if o.jaccard >= params.near_threshold and not short_part(o, params):
            near[a].add(b)
            near[b].add(a)
    classes = _classes(by_key, key_of, near)
    class_of = {k: i for i, c in enumerate(classes) for k in c.keys}
    canonical_keys = {key_of[c.canonical.post_id] for c in classes}
    aggregate = _aggregates(graph, canonical_keys, class_of, params)
    subsumed = _subsumed(classes, key_of, graph, aggregate, params)
    clusters = []
    seen_ids: set[str] = set()
    for i, cls in enumerate(classes):
        if i in subsumed or _teasers_only(cls, by_key, params):
            continue
        copies = _copies(cls, by_key, key_of, graph, aggregate, params)
        # two pages at one final URL holding different texts would share an id
        if copies and cluster_id(cls.canonical) not in seen_ids:
            seen_ids.add(cluster_id(cls.canonical))
            c = cls.canonical
            clusters.append(
                Cluster(
                    id=cluster_id(c),
                    canonical_post_id=c.post_id,
                    canonical_page_id=c.page_id,
                    canonical_url=c.url,
                    title=c.title,
                    published=c.published,
                    reason=cls.reason,
                    copies=copies,
                )
            )
    clusters.sort(key=lambda c: (url_key(c.canonical_url), c.id))
    return clusters


def _teasers_only(cls: _Class, by_key: Mapping[str, list[PostRecord]], params: MinHashParams) -> bool:
    """Is the class one short summary shown on several listings? Entries under
    `excerpt_min_words` words whose permalinks all name a page outside the
    class (a home page, an author page and a tag page showing the same
    58-word summary of a 400-word post) are teasers, a copy of nothing: no
    cluster of their own, whichever listing was seen first."""
    members = [p for k in cls.keys for p in by_key[k]]
    urls = {url_key(p.url) for p in members}
    return all(
        p.words < params.excerpt_min_words and p.permalink is not None and url_key(p.permalink) not in urls
        for p in members
    )


def _aggregates(
    graph: _Graph, canonical_keys: set[str], class_of: Mapping[str, int], params: MinHashParams
) -> set[str]:
    """Texts that hold whole two or more *distinct* posts (other classes'
    canonical texts that do not overlap each other): archives and listings
    that segmentation did not split. An excerpt and a teaser of the same
    post are not two posts."""
    held: defaultdict[str, set[str]] = defaultdict(set)
    for kc in canonical_keys:
        for q in graph.neighbours.get(kc, ()):
            o = graph.get(kc, q)
            if o is not None and o.a_in_b >= params.contains_threshold and class_of[q] != class_of[kc]:
                held[q].add(kc)
    out = set()
    for q, keys in held.items():
        ks = sorted(keys)
        if any(_apart(graph, a, b) for i, a in enumerate(ks) for b in ks[i + 1 :]):
            out.add(q)
    return out


def _apart(graph: _Graph, a: str, b: str) -> bool:
    o = graph.get(a, b)
    return o is None or max(o.a_in_b, o.b_in_a) < 0.5


def _part_of(graph: _Graph, k: str, c: str, params: MinHashParams) -> bool:
    """Is text k mostly a substantial part of text c (an excerpt of it)?"""
    o = graph.get(k, c)
    return (
        o is not None
        and o.jaccard < params.near_threshold
        and o.a_in_b >= params.excerpt_min_share
        and o.shared >= excerpt_min_shared(params)
    )


def _subsumed(
    classes: Sequence[_Class], key_of: Mapping[int, str], graph: _Graph, aggregate: set[str],
    params: MinHashParams,
) -> set[int]:
    """Classes whose canonical is an excerpt of another class's canonical that
    wins the election against it: their members are that post's excerpts, not
    a cluster of their own (two sites quoting the same first half of a post)."""
    canon = {key_of[c.canonical.post_id]: i for i, c in enumerate(classes)}
    out = set()
    for i, cls in enumerate(classes):
        k = key_of[cls.canonical.post_id]
        for c in sorted(graph.neighbours.get(k, ())):
            j = canon.get(c)
            if j is None or j == i or c in aggregate or not _part_of(graph, k, c, params):
                continue
            if elect([classes[j].canonical, cls.canonical])[0] is classes[j].canonical:
                out.add(i)
                break
    return out


def _copies(
    cls: _Class,
    by_key: Mapping[str, list[PostRecord]],
    key_of: Mapping[int, str],
    graph: _Graph,
    aggregate: set[str],
    params: MinHashParams,
) -> tuple[Copy, ...]:
    c = cls.canonical
    kc = key_of[c.post_id]
    found: dict[str, Copy] = {}

    def add(p: PostRecord, o: Overlap, exact: bool) -> None:
        rel = relation(p, o, exact=exact, params=params)
        if rel is None or url_key(p.url) == url_key(c.url):
            return
        cp = make_copy(p, c, o, rel, exact=exact)
        key = url_key(p.url)
        old = found.get(key)
        # one row per URL: a page holding the post twice keeps its best match
        if old is None or (cp.containment, cp.similarity) > (old.containment, old.similarity):
            found[key] = cp

    for k in sorted(cls.keys):
        o = graph.get(kc, k)
        for p in by_key[k]:
            if p.post_id != c.post_id and o is not None:
                add(p, o, k == kc)
    min_shared = excerpt_min_shared(params)
    for q in sorted(graph.neighbours.get(kc, ())):
        if q in cls.keys:
            continue
        o = graph.get(kc, q)
        if o is None or (o.jaccard >= params.near_threshold and not short_part(o, params)):
            continue  # near to the canonical but in an earlier class: it stays there
        whole = o.a_in_b >= params.contains_threshold
        part = o.b_in_a >= params.excerpt_min_share and o.shared >= min_shared
        inside = o.b_in_a >= params.contains_threshold  # q held whole by the canonical
        for p in by_key[q]:
            if whole:
                # the canonical is on p whole: p is an archive or aggregate, or
                # the original that the canonical is an excerpt of
                if p.page_posts > 1 or q in aggregate or elect([c, p])[0] is c:
                    add(p, o, False)
            elif part:
                if inside and p.page_posts <= 1 and (kc in aggregate or elect([c, p])[0] is p):
                    continue  # p is a post of its own that the canonical holds
                add(p, o, False)
    return tuple(sorted(found.values(), key=lambda x: url_key(x.url)))


__all__ = ["build_clusters", "cluster_id"]
