"""`copyhound ingest`: any crawler's WARC files → the same pages, posts and
clusters a crawl would have stored, recorded as a run (issue 12).

Records go through the crawl's own sink (`stages/page_sink.StoreSink`) and
the post-crawl stages (`pipeline.after_pages`), so report, diff and --fail-on
work on the result. Each stored record's key (WARC-Record-ID, or file:offset)
is written in the same transaction as its page: a killed ingest restarted
with the same command resumes its run and skips what is stored.
"""

from __future__ import annotations

import asyncio
import glob
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from copyhound.crawler.types import CrawlConfig, FetchResult, ParsedPage
from copyhound.crawler.warc import RevisitIndex, WarcPage, WarcProblem, iter_pages
from copyhound.crawler.warc.results import to_fetch_result
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.errors import InputError
from copyhound.pipeline import after_pages
from copyhound.stages.page_sink import StoreSink
from copyhound.store import open_db
from copyhound.store import signatures as sig_store
from copyhound.store import warc as warc_store
from copyhound.store.runs import crawl_lock, finish_run, start_run

MAX_BODY_BYTES = CrawlConfig(seeds=()).max_body_bytes  # the crawl's own cap
# Commit groups for archive input: nothing waits on a fetch, so a group is
# bounded by size and age only; a kill re-reads at most this much.
ARCHIVE_BATCH_PAGES = 1024
ARCHIVE_BATCH_AGE_S = 2.0


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestOptions:
    patterns: tuple[str, ...]
    db_path: str
    own_domains: tuple[str, ...] = ()
    url_filter: str | None = None
    max_records: int | None = None
    quiet: bool = False


@dataclass(slots=True)
class IngestCounts:
    records: int = 0  # HTML pages read
    stored: int = 0
    skipped_stored: int = 0  # already stored by an earlier (killed) ingest
    problems: int = 0
    stats: dict[str, Any] = field(default_factory=dict)


def expand_inputs(patterns: Sequence[str], warn: Callable[[str], None]) -> list[str]:
    """Files named or matched; a pattern matching nothing is one warning line, not the end."""
    files: list[str] = []
    for pattern in patterns:
        matched = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        matched = [m for m in matched if not os.path.isdir(m)]
        if not matched or not all(os.path.exists(m) for m in matched):
            warn(f"copyhound: {pattern}: no such file")
        files.extend(m for m in matched if os.path.exists(m))
    if not files:
        raise InputError("no WARC file to read: check the paths (globs are expanded, folders are not)")
    return list(dict.fromkeys(files))


def compile_filter(pattern: str | None) -> Callable[[str], bool] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern).search  # type: ignore[return-value]
    except re.error as e:
        raise InputError(f"bad --url-filter pattern {pattern!r}: {e}") from None


def run_ingest(opts: IngestOptions) -> IngestCounts:
    """Read the archives into the database, then sign and cluster like a crawl."""
    warn = (lambda m: click.echo(m, err=True)) if not opts.quiet else (lambda _m: None)
    url_filter = compile_filter(opts.url_filter)
    files = expand_inputs(opts.patterns, lambda m: click.echo(m, err=True))
    db = open_db(opts.db_path)
    with crawl_lock(opts.db_path):
        sig_store.check_params(db, DEFAULT_PARAMS.signature_record())
        warc_store.prepare(db)
        options = {"own_domains": list(opts.own_domains), "ingest": files}
        run = start_run(db, [Path(f).resolve().as_uri() for f in files], options)
        if run.resumed:
            warn(f"resuming interrupted run {run.id}")
        # The WARC holds the bodies; no frontier (record keys say what is stored).
        sink = StoreSink(db, None, run.id, keep_bodies=False, batch_pages=ARCHIVE_BATCH_PAGES,
                         batch_age_s=ARCHIVE_BATCH_AGE_S, page_savepoints=False)
        counts = IngestCounts()
        keys_before = warc_store.stored_count(db, run.id)  # a resumed run's earlier attempts
        try:
            with _progress(files, opts.quiet) as advance:
                asyncio.run(_ingest_files(db, sink, run.id, files, url_filter, opts.max_records, counts, advance))
        except BaseException:
            with suppress(Exception):
                sink.flush()
                # a failed page rolled its whole commit group back: count what was kept
                counts.stored = warc_store.stored_count(db, run.id) - keys_before
                finish_run(db, run.id, {"ingest": _count_dict(counts)}, state="interrupted")
            raise
        sink.flush()
        stats: dict[str, Any] = {"ingest": _count_dict(counts)}
        stats.update(after_pages(db, run.id, opts.own_domains).as_dict())
        finish_run(db, run.id, stats)
        counts.stats = stats
        return counts


def _count_dict(counts: IngestCounts) -> dict[str, int]:
    return {"records": counts.records, "stored": counts.stored, "skipped_stored": counts.skipped_stored,
            "problems": counts.problems}


async def _ingest_files(
    db: Database, sink: StoreSink, run_id: int, files: list[str], url_filter: Callable[[str], bool] | None,
    max_records: int | None, counts: IngestCounts, advance: Callable[[str, int], None],
) -> None:
    revisits = RevisitIndex()  # shared: a revisit may name an original in an earlier file
    for path in files:
        for item in iter_pages(path, url_filter=url_filter, revisits=revisits):
            if isinstance(item, WarcProblem):
                counts.problems += 1
                click.echo(f"copyhound: {item.line()}", err=True)
                continue
            advance(path, item.offset)
            if max_records is not None and counts.stored >= max_records:
                return
            await _ingest_page(db, sink, run_id, item, counts)
        advance(path, -1)


async def _ingest_page(db: Database, sink: StoreSink, run_id: int, page: WarcPage, counts: IngestCounts) -> None:
    counts.records += 1
    outcome = await store_record(db, sink, run_id, page)
    if outcome == "already":
        counts.skipped_stored += 1
    elif outcome == "stored":
        counts.stored += 1


async def store_record(db: Database, sink: StoreSink, run_id: int, page: WarcPage) -> str:
    """Store one archived page through the crawl's sink, once: "stored",
    "already" (an earlier, killed run stored it) or "skipped" (no URL the
    crawler would fetch). Used by ingest, hunt and the import of a Spark hunt."""
    if warc_store.is_stored(db, record_key(page)):
        return "already"
    result = to_fetch_result(page, max_body_bytes=MAX_BODY_BYTES)
    if result is None:
        return "skipped"
    commit_record(db, sink, run_id, page, result, await sink.parse(result))
    return "stored"


def record_key(page: WarcPage) -> str:
    """What says a record is stored: its WARC-Record-ID, or file:offset (ARC)."""
    return page.record_id or f"{page.source}:{page.offset}"


def commit_record(
    db: Database, sink: StoreSink, run_id: int, page: WarcPage, result: FetchResult, parsed: ParsedPage,
) -> None:
    """Store the record's page with its key in the page's own write: the key lands with it, or neither does."""

    def mark() -> None:
        warc_store.mark_stored(db, record_key(page), source=page.source, offset=page.offset, url=result.url,
                               run_id=run_id)

    sink.commit(result, parsed, (), with_page=mark)


@contextmanager
def _progress(files: list[str], quiet: bool) -> Iterator[Callable[[str, int], None]]:
    """A bar by bytes read over all files, on a terminal only."""
    if quiet or not sys.stderr.isatty():
        yield lambda _path, _offset: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    sizes = {f: os.path.getsize(f) for f in files}
    done_before: dict[str, int] = {}
    total_done = 0
    with Progress(TextColumn("ingest"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  transient=True) as bar:
        task = bar.add_task("ingest", total=sum(sizes.values()))

        def advance(path: str, offset: int) -> None:
            nonlocal total_done
            if path not in done_before:
                done_before[path] = total_done
            at = sizes[path] if offset < 0 else offset
            if offset < 0:
                total_done = done_before[path] + sizes[path]
            bar.update(task, completed=done_before[path] + at)

        yield advance
