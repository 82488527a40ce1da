"""The Spark job: WARC files → posts → signatures → candidates → components →
clusters, written as Parquet (`copyhound.spark.output`).

Every step runs copyhound's own pure functions with the in-process
parameters; Spark only moves data: one WARC file a task, a shuffle by host
(site chrome), by text (exact copies are one text), by band key and sampled
shingle (candidates), by edge (connected components) and by component
(verification, election, audit).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.types import Cluster, PostRecord
from copyhound.spark import output
from copyhound.spark.components import component_clusters
from copyhound.spark.graph import components
from copyhound.spark.hostposts import live_posts
from copyhound.spark.records import PageFacts, page_facts, page_id
from copyhound.spark.warcinput import WarcPage, WarcProblem, read_warc

SIGN_BATCH = 2_000


@dataclass(frozen=True, slots=True, kw_only=True)
class JobStats:
    files: int
    problems: int
    pages: int
    posts: int
    texts: int
    candidates: int
    clusters: int
    copies: int

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.__slots__}


def _open(path: str) -> Any:
    """Local paths directly, any other scheme (s3a://, gs://, hdfs://) through pyarrow's filesystems."""
    if "://" not in path or path.startswith("file://"):
        return open(path.removeprefix("file://"), "rb")
    from pyarrow import fs

    filesystem, inner = fs.FileSystem.from_uri(path.replace("s3a://", "s3://", 1))
    return filesystem.open_input_stream(inner)


def read_file(item: tuple[int, str]) -> Iterator[PageFacts | WarcProblem]:
    """One WARC file's pages in file order, or the problem that ended it early."""
    index, path = item
    try:
        stream = _open(path)
    except OSError as e:
        yield WarcProblem(path=path, offset=0, message=f"{type(e).__name__}: {e}"[:300])
        return
    with stream:
        for n, rec in enumerate(read_warc(stream, path)):
            yield page_facts(rec, page_id(index, n)) if isinstance(rec, WarcPage) else rec


def _merge_url(a: PageFacts, b: PageFacts) -> PageFacts:
    """A URL recorded twice: the later record's content under the first
    record's id and first-seen time, as a re-fetch updates a stored page."""
    first, last = (a, b) if a.page_id < b.page_id else (b, a)
    return PageFacts(page_id=first.page_id, url=last.url, host=last.host, status=last.status,
                     fetched_at=first.fetched_at, canonical_link=last.canonical_link,
                     robots_noindex=last.robots_noindex, published=last.published, posts=last.posts)


def _sign(part: Iterable[tuple[tuple[str, str], int]], params: MinHashParams) -> Iterator[tuple[int, Any, Any]]:
    from copyhound.stages.cluster_pass import signature_states

    batch: list[tuple[tuple[str, str], int]] = []
    for item in part:
        batch.append(item)
        if len(batch) >= SIGN_BATCH:
            yield from _sign_batch(batch, params, signature_states)
            batch = []
    yield from _sign_batch(batch, params, signature_states)


def _sign_batch(batch: Sequence[tuple[tuple[str, str], int]], params: MinHashParams, states: Any) -> Iterator[Any]:
    for ((_key, _text), tid), s in zip(batch, states([t for (_, t), _ in batch], params), strict=True):
        yield tid, [int(x) for x in s["band_keys"]], [int(x) for x in s["samples"]]


def _bucket_pairs(max_bucket: int) -> Any:
    def pairs(item: tuple[int, Iterable[int]]) -> Iterator[tuple[int, int]]:
        ids = sorted(set(item[1]))
        if 2 <= len(ids) <= max_bucket:  # larger buckets are common phrases (dedupe.match.lsh)
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    yield (a, b)
    return pairs


def candidates(sigs: Any, params: MinHashParams) -> Any:
    """Candidate text pairs: a shared band key, or `min_shared_samples` shared
    sampled shingles, in buckets of at most `max_bucket` texts: the pairs the
    in-process `cluster_pass._candidates` verifies."""
    pairs = _bucket_pairs(params.max_bucket)
    bands = sigs.flatMap(lambda s: [(k, s[0]) for k in set(s[1])]).groupByKey().flatMap(pairs)
    samples = (sigs.flatMap(lambda s: [(k, s[0]) for k in s[2]]).groupByKey().flatMap(pairs)
               .map(lambda ab: (ab, 1)).reduceByKey(lambda x, y: x + y)
               .filter(lambda kv: kv[1] >= params.min_shared_samples).keys())
    return bands.union(samples).distinct()


def _cluster_group(item: tuple[int, Iterable[tuple[str, Any]]], params: MinHashParams) -> list[Cluster]:
    texts: dict[str, str] = {}
    key_of_tid: dict[int, str] = {}
    edges: list[tuple[int, int]] = []
    posts: list[tuple[str, PostRecord]] = []
    for tag, value in item[1]:
        if tag == "t":
            tid, key, text = value
            texts[key] = text
            key_of_tid[tid] = key
        elif tag == "e":
            edges.append(value)
        else:
            posts.append(value)
    pairs = [(key_of_tid[a], key_of_tid[b]) for a, b in edges]
    return component_clusters(texts, pairs, posts, params)


def run_dedupe(spark: Any, files: Sequence[str], out_dir: str, own_domains: Sequence[str] = (),
               params: MinHashParams = DEFAULT_PARAMS) -> JobStats:
    from copyhound.pipeline import own_url_predicate

    sc = spark.sparkContext
    read = sc.parallelize(list(enumerate(files)), max(1, len(files))).flatMap(read_file).cache()
    problems = read.filter(lambda r: isinstance(r, WarcProblem))
    pages = (read.filter(lambda r: isinstance(r, PageFacts)).map(lambda p: (p.url, p)).reduceByKey(_merge_url)
             .values())
    is_own = own_url_predicate(list(own_domains))
    live = (pages.map(lambda p: (p.host, p)).groupByKey()
            .flatMap(lambda hp: live_posts(hp[0], hp[1], is_own, params)).cache())
    texts = live.map(lambda lp: (lp.key, lp.text)).reduceByKey(lambda a, _b: a).zipWithIndex().cache()
    sigs = texts.mapPartitions(lambda part: _sign(part, params))
    cand = candidates(sigs, params).cache()
    roots = components(cand)
    root_of = texts.map(lambda kt: (kt[1], kt[0][0])).leftOuterJoin(roots).map(
        lambda x: (x[1][0], x[1][1] if x[1][1] is not None else x[0]))  # (key, root)
    by_root = (texts.map(lambda kt: (kt[1], ("t", (kt[1], kt[0][0], kt[0][1])))).join(
                   roots.union(texts.map(lambda kt: (kt[1], kt[1])).subtractByKey(roots)))
               .map(lambda x: (x[1][1], x[1][0])))
    edge_rows = cand.map(lambda ab: (ab[0], ab)).join(roots).map(lambda x: (x[1][1], ("e", x[1][0])))
    post_rows = live.map(lambda lp: (lp.key, lp.record)).join(root_of).map(
        lambda x: (x[1][1], ("p", (x[0], x[1][0]))))
    clusters = (by_root.union(edge_rows).union(post_rows).groupByKey()
                .flatMap(lambda item: _cluster_group(item, params))
                .map(lambda c: (c.id, c)).reduceByKey(lambda a, b: min(a, b, key=lambda c: c.canonical_post_id))
                .values().cache())
    output.write(spark, out_dir, clusters, live, problems)
    return JobStats(files=len(files), problems=problems.count(), pages=pages.count(), posts=live.count(),
                    texts=texts.count(), candidates=cand.count(), clusters=clusters.count(),
                    copies=clusters.map(lambda c: len(c.copies)).sum() if not clusters.isEmpty() else 0)


def expand(spark: Any, patterns: Sequence[str]) -> list[str]:
    """WARC paths and globs, on any filesystem Hadoop knows, sorted: file order is page-id order."""
    sc = spark.sparkContext
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    found: list[str] = []
    for pattern in patterns:
        path = jvm.org.apache.hadoop.fs.Path(pattern if "://" in pattern else os.path.abspath(pattern))
        statuses = path.getFileSystem(conf).globStatus(path)
        for st in statuses or []:
            if st.isFile():
                uri = str(st.getPath().toUri())
                found.append(uri.removeprefix("file:") if uri.startswith("file:/") else uri)
    return sorted(dict.fromkeys(found))


__all__ = ["JobStats", "candidates", "expand", "read_file", "run_dedupe"]
