"""`copyhound crawl`: options → CrawlConfig → pipeline, with progress and a summary."""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click

from copyhound.crawler.types import DEFAULT_USER_AGENT, CrawlConfig, ProgressReporter
from copyhound.crawler.warc.writer import WarcFileRecorder
from copyhound.errors import EXIT_INTERRUPTED, InputError, NothingFetched
from copyhound.pipeline import CrawlOutcome, crawl, validate_seed
from copyhound.store import open_db


def _check_patterns(patterns: tuple[str, ...], option: str) -> None:
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            raise InputError(f"bad {option} pattern {p!r}: {e}") from None


def check_hosts_resolve(seeds: tuple[str, ...]) -> None:
    """A seed whose host name has no address at all is a typo, not a crawl
    failure: say so now rather than after robots.txt retries (a minute)."""
    for seed in seeds:
        host = urlsplit(seed).hostname or ""
        try:
            socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except socket.gaierror as e:
            if e.errno == socket.EAI_NONAME:  # not EAI_AGAIN: a resolver that is down may come back
                raise InputError(f"unknown host {host!r} in {seed}: no address found; check the spelling") from None
        except (OSError, UnicodeError):
            pass  # the crawl records whatever this is


def check_seeds_reachable(seeds: tuple[str, ...], timeout: float) -> None:
    """When no seed's server accepts a connection at all, say so at once: the
    crawler would otherwise wait out its robots.txt retries (about a minute)
    before finding that nothing could be fetched."""
    reasons = []
    for hostport in dict.fromkeys(_hostport(s) for s in seeds):
        try:
            socket.create_connection(hostport, timeout=min(timeout, 10.0)).close()
            return  # one reachable seed is enough to crawl
        except OSError as e:
            reasons.append(f"cannot connect to {hostport[0]}:{hostport[1]} ({e.strerror or e})")
    raise NothingFetched(f"no seed could be fetched: {'; '.join(reasons[:3])}: is the site up?")


def _hostport(seed: str) -> tuple[str, int]:
    parts = urlsplit(seed)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def _check_db_path(db_path: str) -> None:
    if not db_path.strip():
        raise InputError("--db is empty: give a file path such as copyhound.db")
    p = Path(db_path)
    if p.is_dir():
        raise InputError(f"--db {db_path} is a folder: give a file path such as {p / 'copyhound.db'}")
    if not p.parent.exists():
        raise InputError(f"cannot create --db {db_path}: folder {p.parent} does not exist")


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlOptions:
    """`copyhound crawl`'s options, as click parses them (the names are the
    click parameter names: `CrawlOptions(**params)`)."""

    urls: tuple[str, ...]
    db_path: str
    max_pages: int
    depth: int
    own_domains: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_pages_per_host: int | None = None
    host_concurrency: int = 2
    delay: float = 0.5
    timeout: float = 20.0
    user_agent: str | None = None
    contact: str | None = None
    allow_private: bool = False
    quiet: bool = False
    warc_dir: str | None = None  # --warc: also write every fetch as WARC files here
    warc_max_size: str = "1G"

    def crawl_config(self, seeds: tuple[str, ...]) -> CrawlConfig:
        ua = self.user_agent or DEFAULT_USER_AGENT
        if self.contact:
            ua = f"{ua} (contact: {self.contact})"
        return CrawlConfig(
            seeds=seeds,
            scope_hosts=self.scope,
            max_pages=self.max_pages,
            max_depth=self.depth,
            max_pages_per_host=self.max_pages_per_host,
            include_patterns=self.include,
            exclude_patterns=self.exclude,
            user_agent=ua,
            contact_url=self.contact,
            host_concurrency=self.host_concurrency,
            delay_s=self.delay,
            timeout_s=self.timeout,
            allow_private=self.allow_private,
        )


def _checked_seeds(opts: CrawlOptions) -> tuple[str, ...]:
    """The seeds normalised, once every option that can be checked before
    crawling was: patterns, database path, host names, reachability."""
    seeds = tuple(validate_seed(u) for u in opts.urls)
    _check_patterns(opts.include, "--include")
    _check_patterns(opts.exclude, "--exclude")
    _check_db_path(opts.db_path)
    if Path(opts.db_path).exists():
        open_db(opts.db_path, create=False).conn.close()  # not SQLite, another program's, too new: said first
    check_hosts_resolve(seeds)
    check_seeds_reachable(seeds, opts.timeout)
    return seeds


def run_crawl_command(opts: CrawlOptions) -> CrawlOutcome:
    recorder_for_run = warc_recorder_factory(opts.warc_dir, opts.warc_max_size) if opts.warc_dir else None
    config = opts.crawl_config(_checked_seeds(opts))
    log: Callable[[str], None] = (lambda m: click.echo(m, err=True)) if not opts.quiet else (lambda _m: None)
    with _progress(show=not opts.quiet and sys.stderr.isatty()) as progress:
        outcome = crawl(config, opts.db_path, own_domains=opts.own_domains, progress=progress, log=log,
                        recorder_for_run=recorder_for_run)
    if outcome.interrupted:
        click.echo(
            f"copyhound: crawl stopped; run the same command again to resume run {outcome.run_id}", err=True
        )
        sys.exit(EXIT_INTERRUPTED)
    if not opts.quiet:
        s = outcome.crawl
        clusters = outcome.after.clusters.clusters if outcome.after is not None else 0
        click.echo(
            f"crawl run {outcome.run_id}{' (resumed)' if outcome.resumed else ''}: "
            f"{s.fetched} fetched, {s.not_modified} unchanged, {_failed(s.failed)} failed; {clusters} clusters",
            err=True,
        )
    return outcome


def warc_recorder_factory(warc_dir: str, max_size: str) -> Callable[[int], WarcFileRecorder]:
    """`--warc DIR`: checked now, opened once the run id is known."""
    size = parse_size(max_size, "--warc-max-size")
    folder = Path(warc_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot create --warc folder {warc_dir}: {e.strerror or e}") from None
    if not os.access(folder, os.W_OK):
        raise InputError(f"--warc folder {warc_dir} is not writable")
    return lambda run_id: WarcFileRecorder(folder, run_id, max_size_bytes=size)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*$", re.IGNORECASE)


def parse_size(text: str, option: str) -> int:
    """`1G`, `500M`, `1048576` → bytes (powers of 1000, as disk sizes are quoted)."""
    m = _SIZE.match(text)
    if not m or float(m.group(1)) <= 0:
        raise InputError(f"bad {option} {text!r}: give bytes or a size such as 500M or 1G")
    scale = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3}[m.group(2).upper()]
    return max(1, int(float(m.group(1)) * scale))


def _failed(failed: Mapping[str, int]) -> str:
    """`3 failed (timeout 2, http-status 1)` from the per-kind counts."""
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(failed.items()))
    return f"{sum(failed.values())}" + (f" ({kinds})" if kinds else "")


@contextmanager
def _progress(*, show: bool) -> Iterator[ProgressReporter | None]:
    """The terminal progress bar, started and stopped around the crawl (only on
    a terminal, never with --quiet; rich is imported only then)."""
    if not show:
        yield None
        return
    from copyhound.crawler.progress import RichProgress

    with RichProgress() as bar:
        yield bar
