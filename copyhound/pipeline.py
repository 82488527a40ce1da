"""The crawl pipeline: the only place that sequences I/O.

crawl (crawler/) → each page extracted and stored (copyhound/sink.py) →
site-level chrome stripped → posts signed and clustered
(copyhound/clustering.py) → the run recorded. Every stage is re-entrant: a
killed run resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from copyhound.crawler.discover.urls import MAX_URL_CHARS, host_matches, normalize_url
from copyhound.crawler.engine import run_crawl
from copyhound.crawler.types import CrawlConfig, FetchRecorder, FrontierItem
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.errors import InputError, NothingFetched
from copyhound.stages.chrome_pass import strip_site_chrome
from copyhound.stages.cluster_pass import update_clusters
from copyhound.stages.page_sink import StoreSink
from copyhound.store import open_db
from copyhound.store import signatures as sig_store
from copyhound.store.frontier import SqliteFrontier, redirect_targets
from copyhound.store.runs import crawl_lock, finish_run, start_run
from copyhound.workers import ExtractionPool


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlOutcome:
    run_id: int
    resumed: bool
    interrupted: bool
    stats: dict[str, Any] = field(default_factory=dict)


def validate_seed(url: str) -> str:
    """The seed normalised, or InputError naming what is wrong with it."""
    shown = url if len(url) <= 200 else url[:200] + "..."
    try:
        parts = urlsplit(url.strip())
    except ValueError as e:  # an unclosed IPv6 bracket
        raise InputError(f"bad URL {shown!r}: {e}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"bad URL {shown!r}: seeds must start with http:// or https://")
    if not parts.hostname:
        raise InputError(f"bad URL {shown!r}: no host name")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise InputError(f"bad URL {shown!r}: malformed port") from None
    normalized = normalize_url(url.strip())
    if normalized is None:  # what the crawler itself refuses: bad host characters, over-long URLs
        if len(url) > MAX_URL_CHARS:
            raise InputError(f"bad URL {shown!r}: longer than {MAX_URL_CHARS} characters")
        raise InputError(f"bad URL {shown!r}: the host name {parts.hostname!r} is not valid")
    return normalized


def own_url_predicate(own_domains: Sequence[str]) -> Callable[[str], bool]:
    patterns = tuple(own_domains)

    def is_own(url: str) -> bool:
        return bool(patterns) and host_matches(urlsplit(url).hostname or "", patterns)

    return is_own


def crawl(
    config: CrawlConfig,
    db_path: str | Path,
    *,
    own_domains: Sequence[str] = (),
    progress: Any = None,
    log: Callable[[str], None] = lambda _m: None,
    workers: int | None = None,
    recorder_for_run: Callable[[int], AbstractContextManager[FetchRecorder]] | None = None,
) -> CrawlOutcome:
    """Crawl `config.seeds` into the database at `db_path` and update its clusters.

    `recorder_for_run(run_id)` (`crawl --warc`) opens the recorder that sees
    every HTTP exchange; it is closed when the crawl loop ends."""
    seeds = [validate_seed(s) for s in config.seeds]
    db = open_db(db_path)
    with crawl_lock(db_path):
        options = {"own_domains": list(own_domains), "scope": list(config.scope_hosts),
                   "max_pages": config.max_pages, "depth": config.max_depth}
        # Refuse a database signed with other MinHash parameters before crawling
        # into it: the crawl's workers sign posts as they arrive.
        sig_store.check_params(db, DEFAULT_PARAMS.signature_record())
        run = start_run(db, seeds, options)
        frontier = SqliteFrontier(db, run.id)
        if not run.resumed:
            frontier.reset_for_new_run(run.id)
        with db.atomic():
            frontier.add([FrontierItem(url=s, depth=0, source="seed") for s in seeds])
        if run.resumed:
            log(f"resuming interrupted run {run.id}")
        recording = recorder_for_run(run.id) if recorder_for_run is not None else nullcontext(None)
        with _extraction_pool(workers) as executor, recording as recorder:
            sink = StoreSink(db, frontier, run.id, executor=executor)
            try:
                stats = asyncio.run(_crawl_until_signal(config, frontier, sink, progress, log, recorder))
            except BaseException:
                with suppress(sqlite3.Error):  # keep what was stored; the first error is the one to tell
                    sink.flush()
                raise
            sink.flush()
        stats_dict = stats.as_dict()
        if stats.stopped_early:
            finish_run(db, run.id, stats_dict, state="interrupted")
            return CrawlOutcome(run_id=run.id, resumed=run.resumed, interrupted=True, stats=stats_dict)
        if not _any_seed_fetched(db, seeds):
            finish_run(db, run.id, stats_dict, state="finished")
            raise NothingFetched(f"no seed could be fetched: {_seed_errors(db, seeds)}")
        stats_dict["chrome"] = asdict(strip_site_chrome(db))
        cluster_stats = update_clusters(db, run_id=run.id, is_own_url=own_url_predicate(own_domains))
        stats_dict["clusters"] = cluster_stats.as_dict()
        finish_run(db, run.id, stats_dict)
        return CrawlOutcome(run_id=run.id, resumed=run.resumed, interrupted=False, stats=stats_dict)


def after_pages(db: Any, run_id: int, own_domains: Sequence[str]) -> dict[str, Any]:
    """The stages after a run's pages are in, whatever brought them (a crawl,
    `copyhound ingest`): site chrome, signatures, clusters. Returns their stats."""
    chrome = asdict(strip_site_chrome(db))
    clusters = update_clusters(db, run_id=run_id, is_own_url=own_url_predicate(own_domains))
    return {"chrome": chrome, "clusters": clusters.as_dict()}


def default_workers() -> int:
    """Extraction processes: one per core; on one core extraction stays in-process."""
    cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, 8)


@contextmanager
def _extraction_pool(workers: int | None) -> Iterator[ExtractionPool | None]:
    """Worker processes for extraction, the crawl's CPU work, so parsing runs
    beside the event loop instead of stalling the fetches."""
    n = default_workers() if workers is None else workers
    if n <= 0:
        yield None
        return
    # fork is cheap, but unsafe once other threads exist (the demo serves its
    # sites from threads in this process): then use forkserver.
    method = "fork" if threading.active_count() == 1 else "forkserver"
    # A forkserver's workers are the forkserver's children, not ours.
    with ExtractionPool(n, method=method, initializer=_die_with_parent,
                        initargs=(os.getpid() if method == "fork" else None,)) as pool:
        yield pool


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent_pid: int | None) -> None:
    """Extraction worker start-up: end with the crawl process, and stay out
    of its signals (tests/test_crash_kill.py).

    A crawl killed with SIGKILL (the OOM killer, `kill -9 PID`) cannot shut
    its pool down, and its workers wait forever on a queue whose write end
    they also hold. Forked, they also hold the crawl lock's open file, so no
    crawl could ever resume on the database.

    Forked inside the running event loop, a worker also inherits the loop's
    signal wake-up socket and its no-op handlers: when the pool terminated
    its workers (SIGTERM, after the OOM killer took one of them), they did
    not die, and each wrote "SIGTERM" into the crawl's loop, which stopped as
    if the user had pressed Ctrl-C. Workers drop the socket, die on SIGTERM,
    and leave Ctrl-C to the crawl, which shuts them down itself."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent_pid is not None and os.getppid() != parent_pid:  # the crawl died before the line above
        os._exit(1)


async def _crawl_until_signal(
    config: CrawlConfig, frontier: SqliteFrontier, sink: StoreSink, progress: Any, log: Callable[[str], None],
    recorder: FetchRecorder | None = None,
) -> Any:
    """Run the crawl; the first Ctrl-C (or SIGTERM) asks the engine to stop
    after its in-flight requests, a second one interrupts at once."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)

    def first_signal() -> None:
        log("stopping after the requests in flight (Ctrl-C again to stop at once)")
        stop.set()
        for sig in signals:
            loop.remove_signal_handler(sig)

    for sig in signals:
        loop.add_signal_handler(sig, first_signal)
    try:
        return await run_crawl(config, frontier, sink, progress=progress, stop=stop, recorder=recorder)
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


def _any_seed_fetched(db: Any, seeds: Sequence[str]) -> bool:
    """Did a seed, or where its redirects led (http→https, a moved home page), bring content?"""
    targets = list(set(redirect_targets(db, seeds).values()) | set(seeds))
    marks = ",".join("?" * len(targets))
    row = db.execute(
        f"SELECT count(*) FROM pages WHERE url IN ({marks}) AND body_hash IS NOT NULL", targets
    ).fetchone()
    return bool(row[0])


def _seed_errors(db: Any, seeds: Sequence[str]) -> str:
    marks = ",".join("?" * len(seeds))
    rows = db.execute(
        f"SELECT url, coalesce(error, 'HTTP ' || status) FROM pages WHERE url IN ({marks})", list(seeds)
    ).fetchall()
    if not rows:
        return "none was requested"
    return "; ".join(f"{u}: {e}" for u, e in rows[:3])


__all__ = ["CrawlOutcome", "after_pages", "crawl", "own_url_predicate", "validate_seed"]
