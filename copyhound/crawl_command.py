"""`copyhound crawl`: options → CrawlConfig → pipeline, with progress and a summary."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from crawler.types import DEFAULT_USER_AGENT, CrawlConfig

from .errors import EXIT_INTERRUPTED, InputError
from .pipeline import CrawlOutcome, crawl, validate_seed


def _check_patterns(patterns: tuple[str, ...], option: str) -> None:
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            raise InputError(f"bad {option} pattern {p!r}: {e}") from None


def _check_db_path(db_path: str) -> None:
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
) -> CrawlOutcome:
    seeds = tuple(validate_seed(u) for u in urls)
    _check_patterns(include, "--include")
    _check_patterns(exclude, "--exclude")
    _check_db_path(db_path)
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
            f"{s.get('fetched', 0)} fetched, {s.get('not_modified', 0)} unchanged, {s.get('failed', 0)} failed; "
            f"{clusters.get('clusters', 0) if isinstance(clusters, dict) else clusters} clusters",
            err=True,
        )
    return outcome


def _progress(show: bool) -> object | None:
    if not show:
        return None
    try:
        from crawler.progress import RichProgress
    except ImportError:
        return None
    return RichProgress()
