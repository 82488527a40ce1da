"""A Spark hunt task (`spark.hunt.hunt_file`) runs the in-process hunt's
grouped steps over its file; it must yield what one record at a time
(`spark.hunt.verdict`, the loop it replaced, kept below as the reference)
yielded: the same match rows in the same order, the same counts and problem
lines, across the pre-filter's and the verifier's group bounds, while
holding one group, not the file."""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.hunt_warc import OWN_HOST, corpus_records, own_posts, write_warc

from copyhound.commands.hunt import PREFILTER_BATCH_RECORDS, VERIFY_BATCH_RECORDS
from copyhound.crawler.discover.urls import normalize_url
from copyhound.crawler.warc import WarcProblem
from copyhound.dedupe.match.own_index import OwnIndex
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.spark import hunt as spark_hunt
from copyhound.spark.hunt import SHOWN_PROBLEMS, HuntIndex, hunt_file, hunt_file_singly
from copyhound.spark.input import records

pytestmark = pytest.mark.unit

_KINDS = ("exact", "near", "contains", "excerpt", "own", "404")


def _by_kind(items: Iterator[tuple[str, Any]]) -> dict[str, list[Any]]:
    """Each kind's values in order: Spark splits a task's items by kind (`spark.hunt.run_hunt`).
    The one-record loop yielded no "capture" (extracted, no own post): checked apart."""
    out: dict[str, list[Any]] = {"match": [], "problem": [], "counts": []}
    for kind, value in items:
        if kind != "capture":
            out[kind].append(value)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[HuntIndex, Path, Path]:
    """A 300-record file: 48 copies of every kind over the first 64 records
    (more candidates than one verification group), more past each group
    bound, the last record a copy (the tail group); the same file with half a
    record after it (a problem at its end)."""
    rng = random.Random(12)
    posts = own_posts(rng, 6)
    at = {**{i: _KINDS[i % len(_KINDS)] for i in range(0, 64, 4)}, **{i: "exact" for i in range(1, 64, 2)},
          **{i: _KINDS[i % len(_KINDS)] for i in (64, 65, 127, 128, 129, 200, 255, 256)}, 299: "exact"}
    d = tmp_path_factory.mktemp("hunt-file")
    write_warc(d / "corpus.warc.gz", corpus_records(rng, posts, 300, "a", at))
    cut = d / "cut.warc.gz"
    whole = (d / "corpus.warc.gz").read_bytes()
    last = gzip.compress(gzip.decompress(whole)[-3000:])  # not a record boundary: the reader names it
    cut.write_bytes(whole + last[: len(last) // 2])
    index = HuntIndex(OwnIndex(posts, DEFAULT_PARAMS), frozenset(f"http://{OWN_HOST}/post-{i}/" for i in range(6)))
    return index, d / "corpus.warc.gz", cut


def test_grouped_task_yields_what_one_record_at_a_time_yielded(corpus: tuple[HuntIndex, Path, Path]) -> None:
    index, path, cut = corpus
    for f in (path, cut):
        got, expected = _by_kind(hunt_file(str(f), index)), _by_kind(hunt_file_singly(str(f), index))
        assert got == expected  # (a problem may now come before the matches of records read before it)
    counts, matches = got["counts"][0], got["match"]
    assert counts["records"] == 300 and counts["problems"] >= 1
    captures = [v for kind, v in hunt_file(str(cut), index) if kind == "capture"]
    assert len(captures) == counts["extracted"] - counts["stored"] > 0  # every other record extracted, once
    read = {(str(cut), r.offset, normalize_url(r.url)) for r in records(str(cut)) if not isinstance(r, WarcProblem)}
    assert set(captures) <= read  # each the record's own place and normalised URL
    assert counts["own_captures"] > 0 and counts["prefiltered"] > 200
    assert len(matches) == counts["stored"] > VERIFY_BATCH_RECORDS  # more than one verification group
    assert max(row[1] for row in matches[VERIFY_BATCH_RECORDS:]) > 0  # offsets: rows carry the records
    assert {row[3].split("/")[2] for row in matches} >= {"copy0.test", "copy4.test"}


def test_a_task_holds_a_group_not_the_file(corpus: tuple[HuntIndex, Path, Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The first verification group fills within the first pre-filter group:
    its matches leave the task before the 65th record is read."""
    index, path, _ = corpus
    read = 0

    def counted(p: str) -> Iterator[Any]:
        nonlocal read
        for rec in records(p):
            read += 1
            yield rec

    monkeypatch.setattr(spark_hunt, "records", counted)
    items = hunt_file(str(path), index)
    assert next(items)[0] == "match"
    assert read <= PREFILTER_BATCH_RECORDS
    assert sum(1 for _ in items) > 1 and read == 300


def test_a_task_counts_every_problem_and_tells_the_first_ones(corpus: tuple[HuntIndex, Path, Path],
                                                              tmp_path: Path) -> None:
    """The driver shows SHOWN_PROBLEMS lines: a task yields no more of its file's (and holds no more)."""
    index, path, _ = corpus
    members = gzip.decompress(path.read_bytes()).split(b"WARC/1.1\r\n")[1:]  # its records
    bad = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    many = tmp_path / "many.warc.gz"
    many.write_bytes(b"".join(gzip.compress(b"WARC/1.1\r\n" + m) + bad for m in members[:140]))
    got, expected = _by_kind(hunt_file(str(many), index)), _by_kind(hunt_file_singly(str(many), index))
    assert got["counts"] == expected["counts"] and got["match"] == expected["match"]
    assert got["counts"][0]["problems"] > SHOWN_PROBLEMS and got["match"]
    assert got["problem"] == expected["problem"][:SHOWN_PROBLEMS]
