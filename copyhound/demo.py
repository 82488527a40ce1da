"""`copyhound demo`: the bundled fixture sites served on loopback, crawled and reported."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.types import CrawlConfig

from .pipeline import crawl
from .render.table import render_table
from .report import build_report, to_json
from .sites import serve_sites


def run_demo(*, fixtures: str, db_path: str, fmt: str, quiet: bool) -> None:
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    with serve_sites(fixtures) as sites:
        seeds = tuple(site.base_url + "/" for site in sites.values())
        own = sites["blog"].base_url.split("//", 1)[1].split(":")[0] if "blog" in sites else None
        if not quiet:
            click.echo("serving " + ", ".join(f"{n} at {s.base_url}" for n, s in sites.items()), err=True)
        config = CrawlConfig(seeds=seeds, host_concurrency=4, delay_s=0.0, allow_private=True)
        outcome = crawl(config, db_path, own_domains=(own,) if own else ())
    from store import open_db

    report = build_report(open_db(db_path))
    if fmt == "json":
        sys.stdout.write(to_json(report))
    else:
        sys.stdout.write(render_table(report, terminal=sys.stdout.isatty()))
    if not quiet:
        click.echo(f"database: {db_path} (run {outcome.run_id}); "
                   f"try: copyhound report --db {db_path} --format json", err=True)
