"""The hunt on Spark: the own posts' index (`commands.hunt.OwnIndex`, built
from site.db) and the database's page URLs broadcast to the executors; the
corpus streamed one WARC file a task past them through the in-process hunt's
batched steps (`commands.hunt.verified_groups`: pre-filter 64 records at a
time, own capture, extraction, verification 32 at a time). Only matching
records leave the tasks: no shuffle at all. They are written as Parquet
(`matches/`), and `copyhound import` stores them into site.db through the
crawl's sink and clusters them, as `copyhound hunt` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from copyhound.commands.hunt import HuntCounts, OwnIndex, holds_own_post, load_own_index, verified_groups
from copyhound.crawler.discover.urls import normalize_url
from copyhound.crawler.warc import WarcPage, WarcProblem
from copyhound.spark.input import records

MATCH_COLS = (("source", "string"), ("offset", "long"), ("record_id", "string"), ("url", "string"),
              ("warc_date", "string"), ("status", "long"), ("headers", "string"), ("body", "binary"),
              ("content_type", "string"))
# the records a task extracted that hold no own post (past the pre-filter, no copy): where, and their URL
CAPTURE_COLS = (("source", "string"), ("offset", "long"), ("url", "string"))
COUNTED = ("records", "own_captures", "prefiltered", "extracted", "stored", "problems")
SHOWN_PROBLEMS = 50


@dataclass(frozen=True, slots=True)
class HuntIndex:
    own: OwnIndex
    known_urls: frozenset[str]  # pages already in site.db: newer captures of a page, never copies of it


@dataclass(frozen=True, slots=True, kw_only=True)
class HuntStats:
    files: int
    counts: dict[str, int]
    problem_lines: tuple[str, ...]

    def as_dict(self) -> dict[str, int]:
        return {"files": self.files, **self.counts}


def load_hunt_index(db_path: str, own_domains: tuple[str, ...]) -> tuple[HuntIndex, tuple[str, ...]]:
    from copyhound.commands.report import own_domains_of
    from copyhound.errors import InputError
    from copyhound.store import open_db
    from copyhound.store.imports import page_urls

    db = open_db(db_path, create=False)
    own = own_domains_of(db, own_domains)
    if not own:
        raise InputError("no --own-domain given and the database's last crawl had none: say whose posts to hunt")
    return HuntIndex(load_own_index(db, own), frozenset(page_urls(db))), own


def verdict(page: WarcPage, index: HuntIndex, counts: HuntCounts) -> bool:
    """One record alone through the in-process hunt's steps, the database's URLs as a set
    (what each task did before `hunt_file` grouped records: the tests' reference)."""
    return holds_own_post(page, index.own, index.known_urls.__contains__, counts)


def hunt_file_singly(path: str, index: HuntIndex) -> Iterator[tuple[str, Any]]:
    """`hunt_file` a record at a time (`verdict`), as each task ran before it
    grouped records: the reference its matches, problems and counts must
    equal (tests/unit/test_spark_hunt_file.py, bench/spark_hunt_file.py)."""
    counts = HuntCounts()
    for rec in records(path):
        if isinstance(rec, WarcProblem):
            counts.problems += 1
            yield "problem", WarcProblem(source=path, offset=rec.offset, message=rec.message).line()
            continue
        counts.records += 1
        if verdict(rec, index, counts):
            counts.stored += 1
            yield "match", match_row(path, rec)
    yield "counts", {k: getattr(counts, k) for k in COUNTED}


def hunt_file(path: str, index: HuntIndex) -> Iterator[tuple[str, Any]]:
    """("match", row) for each record holding an own post, in file order; ("capture", row) for
    each other record extracted (CAPTURE_COLS: `import` counts it as `copyhound hunt` does,
    an own capture when its URL was stored earlier in the hunt's order); ("problem", line) for
    the file's first SHOWN_PROBLEMS problems (all counted: the driver shows no more); one
    ("counts", dict) last. The database's URLs are a fixed set here, so a record's verdict is
    the one it had alone: grouping changes no row and no count."""
    counts = HuntCounts()
    problems: list[str] = []
    pages = _pages(path, counts, problems)
    for group in verified_groups(pages, index.own, index.known_urls.__contains__, counts):
        yield from (("problem", line) for line in problems)
        problems.clear()
        for v in group:
            if v.holds_own_post:
                counts.stored += 1
                yield "match", match_row(path, v.page)
            else:
                yield "capture", (path, v.page.offset, v.url)
    yield from (("problem", line) for line in problems)
    yield "counts", {k: getattr(counts, k) for k in COUNTED}


def _pages(path: str, counts: HuntCounts, problems: list[str]) -> Iterator[WarcPage]:
    """The file's pages, counted; its problems counted, the first SHOWN_PROBLEMS kept as lines."""
    for rec in records(path):
        if isinstance(rec, WarcProblem):
            counts.problems += 1
            if counts.problems <= SHOWN_PROBLEMS:
                problems.append(WarcProblem(source=path, offset=rec.offset, message=rec.message).line())
            continue
        counts.records += 1
        yield rec


def match_row(path: str, rec: WarcPage) -> tuple[Any, ...]:
    """A `matches/` row (MATCH_COLS)."""
    return (path, rec.offset, rec.record_id, rec.url, rec.warc_date, rec.status,
            json.dumps(dict(rec.headers)), rec.body, rec.content_type)


def first_captures(
    pages: Sequence[WarcPage], files: Sequence[str], others: Sequence[tuple[str, int, str]] = (),
) -> tuple[list[WarcPage], int]:
    """The matches `copyhound hunt` stores, in its order (`files`' order, then
    offset), and how many extracted records it counts as own captures instead
    (`others`: the rest extracted, as (source, offset, normalised URL)). A task
    judged each record alone, but the in-process hunt stores the first capture
    of a URL holding an own post and calls each later capture of it, holding
    one or not, a newer capture of that page (its URL is in the database by
    then). URLs compared normalised, as the hunt's."""
    rank = {f: i for i, f in enumerate(files)}
    items: list[tuple[str, int, str | None, WarcPage | None]] = [
        *((p.source, p.offset, normalize_url(p.url), p) for p in pages), *((s, o, u, None) for s, o, u in others)]
    items.sort(key=lambda it: (rank.get(it[0], len(rank)), it[0], it[1]))
    stored: set[str] = set()
    kept: list[WarcPage] = []
    again = 0
    for _source, _offset, url, page in items:
        if url is not None and url in stored:
            again += 1
        elif page is not None:
            kept.append(page)
            if url is not None:
                stored.add(url)
    return kept, again


def run_hunt(spark: Any, files: Sequence[str], out_dir: str, index: HuntIndex) -> HuntStats:
    sc = spark.sparkContext
    shared = sc.broadcast(index)
    items = sc.parallelize(list(files), max(1, len(files))).flatMap(lambda p: hunt_file(p, shared.value)).cache()
    schema = ", ".join(f"{n} {t}" for n, t in MATCH_COLS)
    matches = items.filter(lambda kv: kv[0] == "match").map(lambda kv: kv[1])
    spark.createDataFrame(matches, schema).write.mode("overwrite").parquet(f"{out_dir.rstrip('/')}/matches")
    captures = items.filter(lambda kv: kv[0] == "capture").map(lambda kv: kv[1])
    spark.createDataFrame(captures, ", ".join(f"{n} {t}" for n, t in CAPTURE_COLS)).write.mode(
        "overwrite").parquet(f"{out_dir.rstrip('/')}/captures")
    per_file = items.filter(lambda kv: kv[0] == "counts").map(lambda kv: kv[1]).collect()
    counts = {k: sum(c[k] for c in per_file) for k in COUNTED}
    lines = items.filter(lambda kv: kv[0] == "problem").map(lambda kv: kv[1]).take(SHOWN_PROBLEMS)
    items.unpersist()
    return HuntStats(files=len(files), counts=counts, problem_lines=tuple(lines))


__all__ = ["CAPTURE_COLS", "HuntIndex", "HuntStats", "first_captures", "hunt_file", "load_hunt_index", "match_row",
           "run_hunt", "verdict"]
