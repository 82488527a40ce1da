"""`copyhound demo`: the bundled fixture sites served on loopback, crawled and reported."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from copyhound.commands.report import build_full_report, check_format, render
from copyhound.crawler.types import CrawlConfig
from copyhound.pipeline import crawl
from copyhound.report import ReportFilter
from copyhound.sites import serve_sites
from copyhound.store import open_db


def run_demo(*, fixtures: str, db_path: str, fmt: str, quiet: bool) -> None:
    fmt = check_format(fmt)
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    with serve_sites(fixtures) as sites:
        seeds = tuple(site.base_url + "/" for site in sites.values())
        # The blog is the site owner's own: its posts are the originals.
        own = ("127.0.0.1",) if "blog" in sites else ()
        if not quiet:
            click.echo("serving " + ", ".join(f"{n} at {s.base_url}" for n, s in sites.items()), err=True)
        config = CrawlConfig(seeds=seeds, host_concurrency=4, delay_s=0.0, allow_private=True)
        outcome = crawl(config, db_path, own_domains=own)
    db = open_db(db_path)
    report = build_full_report(db, ReportFilter(), own_domains=own)
    sys.stdout.write(render(db, report, fmt, terminal=sys.stdout.isatty()))
    if not quiet:
        click.echo(
            f"database: {db_path} (run {outcome.run_id}); next: "
            f"copyhound report --db {db_path} --format html --output demo-output/report.html",
            err=True,
        )
