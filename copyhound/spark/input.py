"""WARC files into Spark: paths and globs on any Hadoop filesystem, one file a
task, each read by copyhound's WARC reader (`crawler.warc.iter_pages`) into
page facts (`records.page_facts`) or the reader's problems."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

from copyhound.crawler.warc import RevisitIndex, WarcPage, WarcProblem, iter_pages
from copyhound.spark.records import Origin, PageFacts, page_facts, page_id
from copyhound.spark.revisits import DeferredIndex, PendingRevisit
from copyhound.store.pages import host_of


def open_remote(path: str) -> BinaryIO:
    """A seekable stream for s3a://, gs://, hdfs:// (the reader sniffs and seeks), through pyarrow."""
    from pyarrow import fs

    filesystem, inner = fs.FileSystem.from_uri(path.replace("s3a://", "s3://", 1))
    stream: BinaryIO = filesystem.open_input_file(inner)
    return stream


def records(path: str, revisits: RevisitIndex | None = None) -> Iterator[WarcPage | WarcProblem]:
    """One file's pages and problems; a file that cannot be opened is one problem."""
    if "://" not in path or path.startswith("file://"):
        yield from iter_pages(path.removeprefix("file://"), revisits=revisits)
        return
    try:
        stream = open_remote(path)
    except (OSError, ValueError) as e:
        yield WarcProblem(source=path, offset=0, message=f"cannot open: {e}"[:300])
        return
    with stream:
        yield from iter_pages(stream, revisits=revisits)


def read_file(item: tuple[int, str]) -> Iterator[PageFacts | Origin | PendingRevisit | WarcProblem]:
    """One WARC file's stored pages in file order, its revisits (resolved
    after the host shuffle, across files: `spark.revisits`), the places of
    its other responses (originals a revisit may name) and its problems."""
    index, path = item
    deferred = DeferredIndex(index)
    for n, rec in enumerate(records(path, deferred)):
        missed, deferred.missed = deferred.missed, None
        added, deferred.added = deferred.added, []
        if isinstance(rec, WarcProblem):
            yield from added
            problem = WarcProblem(source=path, offset=rec.offset, message=rec.message)
            if missed is None:
                yield problem
            else:  # the reader asked its index for this revisit's original
                uri, date, digest = missed
                yield PendingRevisit(page_id=page_id(index, n), offset=rec.offset, uri=uri or "", date=date,
                                     digest=digest, problem=problem)
            continue
        mine = next((o for o in added if o.offset == rec.offset), None)
        facts = page_facts(rec, page_id(index, n), mine)
        yield from (o for o in added if facts is None or o is not mine)
        if facts is not None:
            yield facts
    yield from deferred.added


def read_all(sc: Any, files: Sequence[str]) -> Any:
    """RDD of `read_file` values (page facts, origins, pending revisits, problems): one partition (task) a file."""
    return sc.parallelize(list(enumerate(files)), max(1, len(files))).flatMap(read_file)


def host_key(page: PageFacts | Origin | PendingRevisit) -> str:
    """The shuffle key of a page: the host of its URL, so every record of a URL meets in one group;
    of a revisit: the host of the URL it refers to, where its original is."""
    return host_of(page.url if isinstance(page, PageFacts) else page.uri)


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


__all__ = ["expand", "host_key", "read_all", "read_file", "records"]
