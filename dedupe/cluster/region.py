"""Which verified overlaps to keep, and which part of the match graph to
rebuild: the two matching rules of the incremental dedupe stage (pure).

`worth_keeping` is the verification's keep-rule: a pair is stored when some
relation of dedupe/cluster/audit.py could follow from its overlap, using
the same thresholds `relation` applies (near, contains, excerpt), so the two
cannot drift apart. `connected_region` is the part of the graph a change
reaches: the changed texts and every text linked to them by a stored match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from copyhound.dedupe.cluster.audit import excerpt_min_shared
from copyhound.dedupe.match.params import MinHashParams
from copyhound.dedupe.match.similarity import Overlap


def worth_keeping(o: Overlap, params: MinHashParams) -> bool:
    """True when the overlap of two texts could make one a copy of the other,
    whichever way round: near-duplicate, held whole, or a shared excerpt."""
    most = max(o.a_in_b, o.b_in_a)
    low = min(params.contains_threshold, params.excerpt_min_share)
    return (
        o.jaccard >= params.near_threshold
        or most >= params.contains_threshold
        or (o.shared >= excerpt_min_shared(params) and most >= low)
    )


def connected_region(affected: Iterable[str], edges: Iterable[tuple[str, str]]) -> set[str]:
    """The affected texts and every text connected to them through `edges`."""
    neighbours: defaultdict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    seen = set(affected)
    stack = list(seen)
    while stack:  # bounded: each text enters the stack once
        for y in neighbours.get(stack.pop(), ()):
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return seen


__all__ = ["connected_region", "worth_keeping"]
