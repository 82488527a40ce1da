"""One connected component of candidate texts → its clusters (pure).

The keep-rule of verification is the in-process one (`dedupe.cluster.region.
worth_keeping`). On a fresh corpus every text is in the in-process
pipeline's rebuild region, so the region walk reduces to: every text with a
verified overlap, or with more than one post, is clustered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from copyhound.dedupe.cluster.build import build_clusters
from copyhound.dedupe.cluster.region import worth_keeping
from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.match.shingles import shingle_hashes_batch
from copyhound.dedupe.match.similarity import Overlap, overlap
from copyhound.dedupe.types import Cluster, PostRecord


def verify(
    texts: Mapping[str, str], pairs: Iterable[tuple[str, str]], params: MinHashParams = DEFAULT_PARAMS
) -> dict[tuple[str, str], Overlap]:
    """Exact overlaps of candidate text pairs, keyed (smaller key, larger key)."""
    keys = sorted(texts)
    h, off = shingle_hashes_batch([texts[k] for k in keys], params.shingle_size)
    shingles = {k: np.unique(h[off[j] : off[j + 1]]) for j, k in enumerate(keys)}
    out: dict[tuple[str, str], Overlap] = {}
    for a, b in sorted({(min(p), max(p)) for p in pairs}):
        o = overlap(shingles[a], shingles[b])
        if worth_keeping(o, params):
            out[(a, b)] = o
    return out


def component_clusters(
    texts: Mapping[str, str], pairs: Iterable[tuple[str, str]], posts: Sequence[tuple[str, PostRecord]],
    params: MinHashParams = DEFAULT_PARAMS,
) -> list[Cluster]:
    """The clusters of one component: its texts by key, its candidate pairs
    of keys, and its posts as (key, record)."""
    overlaps = verify(texts, pairs, params)
    per_text = Counter(k for k, _ in posts)
    involved = {k for pair in overlaps for k in pair} | {k for k, n in per_text.items() if n > 1}
    chosen = sorted(((k, r) for k, r in posts if k in involved), key=lambda kr: kr[1].post_id)
    records = [r for _, r in chosen]
    key_of = {r.post_id: k for k, r in chosen}
    return build_clusters(records, key_of, overlaps, params)


__all__ = ["component_clusters", "verify"]
