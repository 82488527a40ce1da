"""`copyhound crawl`: options → CrawlConfig → pipeline, with progress and a summary."""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import click

from copyhound.crawler.types import DEFAULT_USER_AGENT, CrawlConfig
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


def run_crawl_command(
    *,
    urls: tuple[str, ...],
    db_path: str,
    max_pages: int,
    depth: int,
    own_domains: tuple[str, ...],
    scope: tuple[str, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    max_pages_per_host: int | None,
    host_concurrency: int,
    delay: float,
    timeout: float,
    user_agent: str | None,
    contact: str | None,
    allow_private: bool,
    quiet: bool,
    warc_dir: str | None = None,
    warc_max_size: str = "1G",
) -> CrawlOutcome:
    seeds = tuple(validate_seed(u) for u in urls)
    recorder_for_run = warc_recorder_factory(warc_dir, warc_max_size) if warc_dir is not None else None
    _check_patterns(include, "--include")
    _check_patterns(exclude, "--exclude")
    _check_db_path(db_path)
    if Path(db_path).exists():
        open_db(db_path, create=False).conn.close()  # not SQLite, another program's, too new: said first
    check_hosts_resolve(seeds)
    check_seeds_reachable(seeds, timeout)
    ua = user_agent or DEFAULT_USER_AGENT
    if contact:
        ua = f"{ua} (contact: {contact})"
    config = CrawlConfig(
        seeds=seeds,
        scope_hosts=scope,
        max_pages=max_pages,
        max_depth=depth,
        max_pages_per_host=max_pages_per_host,
        include_patterns=include,
        exclude_patterns=exclude,
        user_agent=ua,
        contact_url=contact,
        host_concurrency=host_concurrency,
        delay_s=delay,
        timeout_s=timeout,
        allow_private=allow_private,
    )
    show = not quiet and sys.stderr.isatty()
    progress = _progress(show)
    outcome = crawl(
        config,
        db_path,
        own_domains=own_domains,
        progress=progress,
        log=(lambda m: click.echo(m, err=True)) if not quiet else (lambda _m: None),
        recorder_for_run=recorder_for_run,
    )
    if outcome.interrupted:
        click.echo(
            f"copyhound: crawl stopped; run the same command again to resume run {outcome.run_id}", err=True
        )
        sys.exit(EXIT_INTERRUPTED)
    if not quiet:
        s = outcome.stats
        clusters = s.get("clusters", {})
        click.echo(
            f"crawl run {outcome.run_id}{' (resumed)' if outcome.resumed else ''}: "
            f"{s.get('fetched', 0)} fetched, {s.get('not_modified', 0)} unchanged, {_failed(s)} failed; "
            f"{clusters.get('clusters', 0) if isinstance(clusters, dict) else clusters} clusters",
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


def _failed(stats: dict[str, object]) -> str:
    """`3 failed (timeout 2, http-status 1)` from the per-kind counts."""
    failed = stats.get("failed", 0)
    if not isinstance(failed, dict):
        return str(failed)
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(failed.items()))
    return f"{sum(failed.values())}" + (f" ({kinds})" if kinds else "")


def _progress(show: bool) -> object | None:
    if not show:
        return None
    from copyhound.crawler.progress import RichProgress

    return RichProgress()
