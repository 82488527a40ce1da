"""Connected components of the candidate graph: (node, smallest node of its component).

A graph whose edges fit in the driver (`DRIVER_EDGES`, far above what a
10^6-record corpus yields) is solved there with `union_find` (the job's
`by_component`: one collect, the roots broadcast, no Spark rounds). A larger
one runs alternating large-star / small-star on RDDs (Kiveris et al.,
"Connected Components in MapReduce and Beyond", 2014): each round is two
shuffles of edges, and ends when the edges form stars around each
component's smallest node. The method converges in O(log^2 n)
rounds, far below `MAX_ROUNDS` for any real corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

MAX_ROUNDS = 60
DRIVER_EDGES = 2_000_000  # ~200 MB of Python tuples on the driver at most


def union_find(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """{node: smallest node of its component} for every node with an edge (pure)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def _large_star(item: tuple[int, Iterable[int]]) -> Iterator[tuple[int, int]]:
    u, ns = item
    nbrs = set(ns)
    m = min(nbrs | {u})
    for v in nbrs:
        if v > u:
            yield (v, m)


def _small_star(item: tuple[int, Iterable[int]]) -> Iterator[tuple[int, int]]:
    u, ns = item
    nbrs = set(ns) | {u}
    m = min(nbrs)
    for v in nbrs:
        if v != m:
            yield (v, m)


def _not_a_leaf(item: tuple[int, Iterable[int]]) -> bool:
    """A node with a smaller neighbour and a second neighbour: the edges are not yet stars."""
    u, ns = item
    nbrs = set(ns)
    return len(nbrs) > 1 and min(nbrs) < u


def star_components(edges: Any, partitions: int) -> Any:
    """RDD (node, root) from an RDD of (a, b) int pairs, by large-star / small-star rounds."""
    sc = edges.context
    e = edges.filter(lambda ab: ab[0] != ab[1]).map(lambda ab: (max(ab), min(ab))).cache()
    for _ in range(MAX_ROUNDS):
        unfinished = sc.accumulator(0)

        def large_star(item: tuple[int, Iterable[int]], acc: Any = unfinished) -> Iterator[tuple[int, int]]:
            if _not_a_leaf(item):
                acc.add(1)
            return _large_star(item)

        both = e.flatMap(lambda ab: [ab, (ab[1], ab[0])]).groupByKey(partitions)
        small = (both.flatMap(large_star).map(lambda ab: (max(ab), min(ab))).groupByKey(partitions)
                 .flatMap(_small_star).cache())
        small.count()  # one job a round: materialises `small` and fills `unfinished` for `e`
        if unfinished.value == 0:  # `e` was already stars around each component's minimum
            small.unpersist()
            return e.distinct(partitions)
        e.unpersist()
        e = small
    raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")


__all__ = ["DRIVER_EDGES", "MAX_ROUNDS", "star_components", "union_find"]
