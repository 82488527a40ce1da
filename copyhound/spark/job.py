"""The Spark dedupe: WARC files → posts → signatures → candidates → components →
clusters, written as Parquet (`copyhound.spark.output`).

Every step runs copyhound's own pure functions with the in-process
parameters; Spark only moves data, in as few shuffles as the steps allow
(each stage costs a Python worker round trip per partition): one WARC file a
task; a shuffle by host (a URL's records merged, site chrome); by text (each
distinct text signed once); by band key or sampled shingle (candidates); by
candidate pair (the sample threshold); the components; by node and then by
component (verification, election, audit).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pyspark import StorageLevel

from copyhound.crawler.warc import WarcProblem
from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.types import Cluster, PostRecord
from copyhound.spark import output
from copyhound.spark.components import component_clusters
from copyhound.spark.graph import DRIVER_EDGES, star_components, union_find
from copyhound.spark.hostposts import LivePost, live_posts, merge_by_url
from copyhound.spark.input import host_key, read_all
from copyhound.spark.records import Origin, PageFacts
from copyhound.spark.revisits import PendingRevisit, resolve

DISK_TOO = StorageLevel.MEMORY_AND_DISK  # an evicted partition is read back, not recomputed (re-extracted)

HostGroup = tuple[str, Iterable[Any]]
TextRow = tuple[str, str, list[PostRecord]]  # (text hash, text, posts in post-id order)
Bucket = tuple[tuple[int, int], Iterable[int]]

SIGN_BATCH = 2_000
SHOWN_PROBLEMS = 50
BAND, SAMPLE = 0, 1


@dataclass(frozen=True, slots=True, kw_only=True)
class JobStats:
    files: int
    problems: int
    problem_lines: tuple[str, ...]  # the first `SHOWN_PROBLEMS`, for the command to print
    pages: int
    posts: int  # compared (the report's total also counts short posts and posts on pages not live)
    revisits: int  # revisit records resolved to their original (in any file)
    texts: int
    candidates: int
    clusters: int
    copies: int

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.__slots__ if k != "problem_lines"}


def node_id(key: str) -> int:
    """A text hash as a graph node: its first 60 bits (collisions need ~10^9 texts to be likely at all)."""
    return int(key[:15], 16)


PROBLEMS_KEY = ""  # no host is empty: the files' problems travel in the host shuffle under this key


def _shuffle_key(r: PageFacts | Origin | PendingRevisit | WarcProblem) -> tuple[str, Any]:
    return (PROBLEMS_KEY, r) if isinstance(r, WarcProblem) else (host_key(r), r)


def _host_posts(
    item: HostGroup, is_own: Any, params: MinHashParams, files: Sequence[str],
) -> tuple[list[Any], list[LivePost], list[Any], int]:
    """(stored pages as `pages/` rows, posts, problems, revisits resolved) of
    one host (its revisits resolved first), or the problems' group."""
    if item[0] == PROBLEMS_KEY:
        return [], [], sorted(item[1], key=lambda p: (p.source, p.offset)), 0
    facts: list[PageFacts] = []
    pending: list[PendingRevisit] = []
    origins: list[Origin] = []
    for r in item[1]:
        if isinstance(r, PageFacts):
            facts.append(r)
            if r.origin is not None:
                origins.append(r.origin)
        else:
            (pending if isinstance(r, PendingRevisit) else origins).append(r)
    problems = []
    n = len(facts)
    for r in resolve(pending, origins, files):
        (facts if isinstance(r, PageFacts) else problems).append(r)
    pages = merge_by_url(facts)
    rows = [output.page_row(p) for p in pages]
    return rows, list(live_posts(item[0], pages, is_own, params)), problems, len(facts) - n


def _merge_text(a: TextRow, b: TextRow) -> TextRow:
    """One text's posts, in post-id order; its text as its first post has it
    (in-process, a text's first post owns its signature)."""
    first = a if a[2][0].post_id < b[2][0].post_id else b
    return first[0], first[1], list(heapq.merge(a[2], b[2], key=lambda r: r.post_id))


def _sign(part: Iterable[tuple[int, tuple[str, str, int]]], params: MinHashParams) -> Iterator[tuple[int, Any, Any]]:
    from copyhound.dedupe.cluster.signing import signature_states

    batch: list[tuple[int, str]] = []
    for tid, (_key, text, _n) in part:
        batch.append((tid, text))
        if len(batch) >= SIGN_BATCH:
            yield from _sign_batch(batch, params, signature_states)
            batch = []
    yield from _sign_batch(batch, params, signature_states)


def _sign_batch(batch: Sequence[tuple[int, str]], params: MinHashParams, states: Any) -> Iterator[Any]:
    for (tid, _text), s in zip(batch, states([t for _, t in batch], params), strict=True):
        yield tid, sorted({int(x) for x in s.band_keys}), [int(x) for x in s.samples]


def _bucket_pairs(item: Bucket, max_bucket: int) -> Iterator[tuple[tuple[int, int], int]]:
    ids = sorted(set(item[1]))
    if 2 <= len(ids) <= max_bucket:  # larger buckets are common phrases (dedupe.match.lsh)
        weight = 1 if item[0][0] == SAMPLE else 1 << 30  # one shared band key is enough
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                yield (a, b), weight


def candidates(sigs: Any, params: MinHashParams, partitions: int) -> Any:
    """Candidate text pairs (a < b): a shared band key, or `min_shared_samples`
    shared sampled shingles, in buckets of at most `max_bucket` texts: the
    pairs the in-process `cluster_pass._candidates` verifies. Band keys and
    samples go through one shuffle, tagged."""
    need = params.min_shared_samples
    return (sigs.flatMap(lambda s: [((BAND, k), s[0]) for k in s[1]] + [((SAMPLE, k), s[0]) for k in s[2]])
            .groupByKey(partitions).flatMap(lambda item: _bucket_pairs(item, params.max_bucket))
            .reduceByKey(lambda x, y: x + y, partitions).filter(lambda kv: kv[1] >= need).keys())


def _by_node(item: tuple[int, Iterable[tuple[str, Any]]]) -> Iterator[tuple[int, tuple[str, Any]]]:
    """One text's rows → the same rows keyed by its component's root (star-rounds path)."""
    tid, rows = item
    root, node, edges = tid, None, []
    for tag, value in rows:
        if tag == "r":
            root = value
        elif tag == "n":
            node = value
        else:
            edges.append(value)
    if node is not None and _clustered(tid, root, bool(edges), node):
        yield root, ("n", node)
    for e in edges:
        yield root, ("e", e)


def _clustered(tid: int, root: int, has_edge: bool, node: tuple[int, str, str, list[PostRecord]]) -> bool:
    """A text in no candidate pair and with one post clusters with nothing: dropped before the shuffle."""
    return root != tid or has_edge or len(node[3]) > 1


def _node_rows(kv: tuple[int, tuple[str, str, list[PostRecord]]], roots: dict[int, int]) -> Iterator[Any]:
    """A text keyed by its component's root (driver path: `roots` broadcast)."""
    tid = kv[0]
    root = roots.get(tid, tid)
    node = (tid, *kv[1])
    if _clustered(tid, root, tid in roots, node):
        yield root, ("n", node)


def by_component(sc: Any, texts: Any, cand: Any, parts: int, driver_edges: int) -> tuple[Any, int]:
    """(RDD of (root, tagged text or edge row), candidate count): every
    component's texts and candidate pairs, keyed by the component."""
    n = cand.count()
    if n <= driver_edges:
        roots = sc.broadcast(union_find(cand.collect()) if n else {})
        return sc.union([texts.flatMap(lambda kv: _node_rows(kv, roots.value)),
                         cand.map(lambda ab: (roots.value[ab[0]], ("e", ab)))]), n
    roots_rdd = star_components(cand, parts)
    rows = sc.union([
        texts.map(lambda kv: (kv[0], ("n", (kv[0], *kv[1])))),
        roots_rdd.map(lambda nr: (nr[0], ("r", nr[1]))),
        cand.map(lambda ab: (ab[0], ("e", ab))),
    ])
    return rows.groupByKey(parts).flatMap(_by_node), n


def _cluster_group(item: tuple[int, Iterable[tuple[str, Any]]], params: MinHashParams) -> list[Cluster]:
    texts: dict[str, str] = {}
    key_of: dict[int, str] = {}
    edges: list[tuple[int, int]] = []
    posts: list[tuple[str, PostRecord]] = []
    for tag, value in item[1]:
        if tag == "n":
            tid, (key, text, records) = value[0], value[1:]
            texts[key], key_of[tid] = text, key
            posts.extend((key, r) for r in records)
        else:
            edges.append(value)
    return component_clusters(texts, [(key_of[a], key_of[b]) for a, b in edges], posts, params)


def run_dedupe(spark: Any, files: Sequence[str], out_dir: str, own_domains: Sequence[str] = (),
               params: MinHashParams = DEFAULT_PARAMS, driver_edges: int = DRIVER_EDGES) -> JobStats:
    from copyhound.pipeline import own_url_predicate

    sc = spark.sparkContext
    # no more shuffle partitions than input files: a small input pays no task round trips for empty partitions
    parts = max(1, min(sc.defaultParallelism, len(files)))
    is_own = own_url_predicate(list(own_domains))
    paths = sc.broadcast(list(files))  # a revisit's original is read again from its file
    # the files are read once: nothing upstream of the host shuffle is kept
    hosts = (read_all(sc, files).map(_shuffle_key).groupByKey(parts)
             .map(lambda item: _host_posts(item, is_own, params, paths.value)).persist(DISK_TOO))
    problems = hosts.flatMap(lambda h: h[2])
    stored = hosts.flatMap(lambda h: h[1])
    live = stored.filter(lambda lp: lp.compared)
    texts = (live.map(lambda lp: (node_id(lp.key), (lp.key, lp.text, [lp.record])))
             .reduceByKey(_merge_text, parts).persist(DISK_TOO))
    cand = candidates(texts.mapPartitions(lambda part: _sign(part, params)), params, parts).cache()
    rows, n_cand = by_component(sc, texts, cand, parts, driver_edges)
    clusters = rows.groupByKey(parts).flatMap(lambda item: _cluster_group(item, params)).persist(DISK_TOO)
    output.write(spark, out_dir, clusters, hosts.flatMap(lambda h: h[0]), stored, problems)
    return _stats(sc, len(files), hosts, texts, clusters, problems, n_cand)


def _stats(sc: Any, files: int, hosts: Any, texts: Any, clusters: Any, problems: Any, n_cand: int) -> JobStats:
    """Every count in one job over the cached RDDs (one action each would be a job each)."""
    tally = sc.union([
        hosts.map(lambda h: {"pages": len(h[0]), "posts": sum(lp.compared for lp in h[1]), "revisits": h[3]}),
        texts.map(lambda _: {"texts": 1}),
        clusters.map(lambda c: {"clusters": 1, "copies": len(c.copies)}),
        problems.map(lambda p: {"problems": 1, "lines": [p.line()]}),
    ]).fold({}, _add_tally)
    return JobStats(files=files, problems=tally.get("problems", 0),
                    problem_lines=tuple(tally.get("lines", [])[:SHOWN_PROBLEMS]), pages=tally.get("pages", 0),
                    posts=tally.get("posts", 0), revisits=tally.get("revisits", 0), texts=tally.get("texts", 0),
                    candidates=n_cand,
                    clusters=tally.get("clusters", 0), copies=tally.get("copies", 0))


def _add_tally(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out[k] + v if k in out else v
        if k == "lines":
            out[k] = out[k][:SHOWN_PROBLEMS]
    return out
