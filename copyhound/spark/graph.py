"""Connected components on RDDs: alternating large-star / small-star
(Kiveris et al., "Connected Components in MapReduce and Beyond", 2014).

Each round shuffles edges only; at convergence every edge is (node, smallest
node of its component). Rounds are bounded: the method converges in
O(log^2 n) rounds, far below `MAX_ROUNDS` for any real corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

MAX_ROUNDS = 60


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


def components(edges: Any) -> Any:
    """(node, root) for every node with an edge; `edges` is an RDD of (a, b) int pairs."""
    e = edges.filter(lambda ab: ab[0] != ab[1]).map(lambda ab: (max(ab), min(ab))).distinct().cache()
    for _ in range(MAX_ROUNDS):
        large = e.flatMap(lambda ab: [ab, (ab[1], ab[0])]).groupByKey().flatMap(_large_star).distinct()
        small = large.map(lambda ab: (max(ab), min(ab))).groupByKey().flatMap(_small_star).distinct().cache()
        small.count()  # materialise before comparing, so lineage stays one round deep
        changed = small.subtract(e).union(e.subtract(small)).take(1)
        e.unpersist()
        e = small
        if not changed:
            return e
    raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")


__all__ = ["components"]
