"""The crawl pipeline: the only place that sequences I/O.

crawl (crawler/) → each page extracted and stored (copyhound/stages/page_sink.py)
→ site-level chrome stripped (stages/chrome_pass.py) → posts signed and
clustered (stages/cluster_pass.py) → the run recorded. Every stage is re-entrant: a
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
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlite_utils import Database

from copyhound.crawler.discover.urls import MAX_URL_CHARS, normalize_url
from copyhound.crawler.engine import CrawlStats, run_crawl
from copyhound.crawler.types import CrawlConfig, FetchRecorder, FrontierItem, ProgressReporter
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.errors import InputError, NothingFetched
from copyhound.hosts import url_on_hosts
from copyhound.stages.chrome_pass import ChromeStats, strip_site_chrome
from copyhound.stages.cluster_pass import ClusterStats, update_clusters
from copyhound.stages.page_sink import StoreSink
from copyhound.store import open_db
from copyhound.store import pages as page_store
from copyhound.store import signatures as sig_store
from copyhound.store.frontier import SqliteFrontier, redirect_targets
from copyhound.store.runs import crawl_lock, finish_run, start_run
from copyhound.store.search import refresh_post_search
from copyhound.workers import ExtractionPool

# `crawl --warc`: given the run id, opens the recorder that sees every HTTP exchange.
RecorderFactory = Callable[[int], AbstractContextManager[FetchRecorder]]


@dataclass(frozen=True, slots=True, kw_only=True)
class AfterPages:
    """What the stages after a run's pages did."""

    chrome: ChromeStats
    clusters: ClusterStats
    search_indexed: int  # posts added to the search index

    def as_dict(self) -> dict[str, object]:
        return {"chrome": asdict(self.chrome), "clusters": self.clusters.as_dict(),
                "search_indexed": self.search_indexed}


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlOutcome:
    run_id: int
    resumed: bool
    interrupted: bool
    crawl: CrawlStats
    after: AfterPages | None = None  # None: the crawl stopped before the post-crawl stages

    def as_dict(self) -> dict[str, object]:
        """The run's counters as the runs table records them."""
        out = self.crawl.as_dict()
        if self.after is not None:
            out.update(self.after.as_dict())
        return out


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
        return url_on_hosts(url, patterns)

    return is_own


def crawl(
    config: CrawlConfig,
    db_path: str | Path,
    *,
    own_domains: Sequence[str] = (),
    progress: ProgressReporter | None = None,
    log: Callable[[str], None] = lambda _m: None,
    workers: int | None = None,
    recorder_for_run: RecorderFactory | None = None,
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
        stats = _fetch_all(db, frontier, run.id, config, progress, log, workers, recorder_for_run)
        outcome = CrawlOutcome(run_id=run.id, resumed=run.resumed, interrupted=stats.stopped_early, crawl=stats)
        if stats.stopped_early:
            finish_run(db, run.id, outcome.as_dict(), state="interrupted")
            return outcome
        if not _any_seed_fetched(db, seeds):
            finish_run(db, run.id, outcome.as_dict(), state="finished")
            raise NothingFetched(f"no seed could be fetched: {_seed_errors(db, seeds)}")
        after = after_pages(db, run.id, own_domains)
        outcome = CrawlOutcome(run_id=run.id, resumed=run.resumed, interrupted=False, crawl=stats, after=after)
        finish_run(db, run.id, outcome.as_dict())
        return outcome


def _fetch_all(
    db: Database, frontier: SqliteFrontier, run_id: int, config: CrawlConfig, progress: ProgressReporter | None,
    log: Callable[[str], None], workers: int | None, recorder_for_run: RecorderFactory | None,
) -> CrawlStats:
    """The crawl itself: fetch, extract and store every page; what was stored is committed even on error."""
    recording = recorder_for_run(run_id) if recorder_for_run is not None else nullcontext(None)
    with _extraction_pool(workers) as executor, recording as recorder:
        sink = StoreSink(db, frontier, run_id, executor=executor)
        try:
            stats = asyncio.run(_crawl_until_signal(config, frontier, sink, progress, log, recorder))
        except BaseException:
            with suppress(sqlite3.Error):  # keep what was stored; the first error is the one to tell
                sink.flush()
            raise
        sink.flush()
    return stats


def after_pages(db: Database, run_id: int, own_domains: Sequence[str]) -> AfterPages:
    """The stages after a run's pages are in, whatever brought them (a crawl,
    `copyhound ingest`, `hunt`): site chrome, signatures, clusters, search index."""
    chrome = strip_site_chrome(db)
    clusters = update_clusters(db, run_id=run_id, is_own_url=own_url_predicate(own_domains))
    indexed = refresh_post_search(db)  # kept out of the crawl's hot path
    return AfterPages(chrome=chrome, clusters=clusters, search_indexed=indexed)


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
    of its signals (tests/e2e/test_crash_kill.py).

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
    config: CrawlConfig, frontier: SqliteFrontier, sink: StoreSink, progress: ProgressReporter | None,
    log: Callable[[str], None], recorder: FetchRecorder | None = None,
) -> CrawlStats:
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


def _any_seed_fetched(db: Database, seeds: Sequence[str]) -> bool:
    """Did a seed, or where its redirects led (http→https, a moved home page), bring content?"""
    return page_store.any_with_content(db, list(set(redirect_targets(db, seeds).values()) | set(seeds)))


def _seed_errors(db: Database, seeds: Sequence[str]) -> str:
    errors = page_store.fetch_errors(db, seeds)
    if not errors:
        return "none was requested"
    return "; ".join(f"{u}: {e}" for u, e in errors[:3])


__all__ = ["CrawlOutcome", "after_pages", "crawl", "own_url_predicate", "validate_seed"]
