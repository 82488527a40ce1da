"""The hunt on Spark: the own posts' index (`commands.hunt.OwnIndex`, built
from site.db) and the database's page URLs broadcast to the executors; the
corpus streamed one WARC file a task past them with the in-process hunt's
steps (`commands.hunt.holds_own_post`: own capture, pre-filter, extraction and
verification). Only matching records leave the tasks: no shuffle at all.
They are written as Parquet (`matches/`), and `copyhound import` stores them
into site.db through the crawl's sink and clusters them, as `copyhound hunt` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from copyhound.commands.hunt import HuntCounts, OwnIndex, holds_own_post, load_own_index
from copyhound.crawler.warc import WarcPage, WarcProblem
from copyhound.spark.input import records

MATCH_COLS = (("source", "string"), ("offset", "long"), ("record_id", "string"), ("url", "string"),
              ("warc_date", "string"), ("status", "long"), ("headers", "string"), ("body", "binary"),
              ("content_type", "string"))
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
    """The in-process hunt's steps, with the database's URLs as a set."""
    return holds_own_post(page, index.own, index.known_urls.__contains__, counts)


def hunt_file(path: str, index: HuntIndex) -> Iterator[tuple[str, Any]]:
    """("match", row) for each record holding an own post, ("problem", line), and one ("counts", dict) last."""
    counts = HuntCounts()
    for rec in records(path):
        if isinstance(rec, WarcProblem):
            counts.problems += 1
            yield "problem", WarcProblem(source=path, offset=rec.offset, message=rec.message).line()
            continue
        counts.records += 1
        if verdict(rec, index, counts):
            counts.stored += 1
            yield "match", (path, rec.offset, rec.record_id, rec.url, rec.warc_date, rec.status,
                            json.dumps(dict(rec.headers)), rec.body, rec.content_type)
    yield "counts", {k: getattr(counts, k) for k in COUNTED}


def run_hunt(spark: Any, files: Sequence[str], out_dir: str, index: HuntIndex) -> HuntStats:
    sc = spark.sparkContext
    shared = sc.broadcast(index)
    items = sc.parallelize(list(files), max(1, len(files))).flatMap(lambda p: hunt_file(p, shared.value)).cache()
    schema = ", ".join(f"{n} {t}" for n, t in MATCH_COLS)
    matches = items.filter(lambda kv: kv[0] == "match").map(lambda kv: kv[1])
    spark.createDataFrame(matches, schema).write.mode("overwrite").parquet(f"{out_dir.rstrip('/')}/matches")
    per_file = items.filter(lambda kv: kv[0] == "counts").map(lambda kv: kv[1]).collect()
    counts = {k: sum(c[k] for c in per_file) for k in COUNTED}
    lines = items.filter(lambda kv: kv[0] == "problem").map(lambda kv: kv[1]).take(SHOWN_PROBLEMS)
    items.unpersist()
    return HuntStats(files=len(files), counts=counts, problem_lines=tuple(lines))


__all__ = ["HuntIndex", "HuntStats", "hunt_file", "load_hunt_index", "run_hunt", "verdict"]
