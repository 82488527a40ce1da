"""The `copyhound` command line (contract: shared/contract/README.md).

Thin: parse and check arguments, call the pipeline or the report, and turn
every expected error into one line on stderr and a documented exit code
(1 error, 2 usage, 3 --fail-on matched, 130 interrupted). `--debug` shows
tracebacks instead.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from copyhound.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CopyhoundError,
    FailOnTriggered,
    InputError,
)
from copyhound.render import printable
from copyhound.store import StoreError

# Options that take several values after one flag, as the contract writes
# `--own-domain HOST ...`: click takes one value per flag, so argv is
# rewritten first (values run until the next option or URL).
_MULTI_VALUE_OPTIONS = ("--own-domain", "--scope")


def expand_multi_value_options(argv: Sequence[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        out.append(arg)
        i += 1
        if arg in _MULTI_VALUE_OPTIONS and i < len(argv):
            out.append(argv[i])
            i += 1
            while i < len(argv) and not argv[i].startswith("-") and "://" not in argv[i]:
                out.extend([arg, argv[i]])
                i += 1
    return out


_fail_on_option = click.option(
    "--fail-on", "fail_on", multiple=True, metavar="STATUS[,STATUS...]",
    help="Exit 3 when a copy has one of these statuses (e.g. missing-canonical,self-canonical).",
)


def _fail_on_options(f: Any) -> Any:
    f = click.option(
        "--new-only", is_flag=True,
        help="Only copies new since the previous run, or newly in their status.",
    )(f)
    return _fail_on_option(f)


_HOST_CHARS = re.compile(r"[a-z0-9._\-]+|[0-9a-f:.]+")


def _hosts(values: Sequence[str], option: str) -> tuple[str, ...]:
    """Host options (--own-domain, --scope, --host): each must name a host,
    or it would silently match nothing and the audit would be wrong."""
    from copyhound.crawler.discover.urls import normalize_host_pattern

    out = _split_csv(values)
    for v in out:
        host = normalize_host_pattern(v)
        if not host or not _HOST_CHARS.fullmatch(host):
            raise InputError(f"bad {option} {v!r}: give a host name such as example.com (its subdomains match too)")
    return out


def _split_csv(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip().lower() for value in values for v in value.split(",") if v.strip())


def sqlite_error_message(e: sqlite3.Error) -> str:
    """One line for an SQLite failure during a run, with what to do about it."""
    text = str(e)
    low = text.lower()
    if "disk is full" in low or "no space" in low:
        return ("the database's disk is full; what was stored is kept: free some space and run the same "
                "command again (a crawl resumes where it stopped)")
    if "readonly" in low or "read-only" in low:
        return "the database file is read-only: make it writable, or write to another --db"
    if "malformed" in low or "corrupt" in low:
        return (f"the database is damaged ({text}); it was left as it was: restore a backup, or try "
                "`sqlite3 DB .recover`")
    if "locked" in low or "busy" in low:
        return "the database is locked by another program: wait for it to finish, then try again"
    return f"database error ({text}): the database was left as it was; run with --debug for details"


class _Group(click.Group):
    """Maps copyhound's own errors to one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (CopyhoundError, StoreError) as e:
            if ctx.meta.get("debug"):
                raise
            # --fail-on matching is an outcome, not an error.
            prefix = "" if isinstance(e, FailOnTriggered) else "error: "
            # printable: the message may quote a crawled URL or redirect target.
            click.echo(f"copyhound: {prefix}{printable(str(e))}", err=True)
            ctx.exit(getattr(e, "exit_code", EXIT_ERROR))
        except KeyboardInterrupt:
            click.echo("copyhound: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except sqlite3.Error as e:
            # Raised mid-run (a full disk while a crawl commits): what was
            # committed is intact, the failed transaction rolled back.
            if ctx.meta.get("debug"):
                raise
            click.echo(f"copyhound: error: {printable(sqlite_error_message(e))}", err=True)
            ctx.exit(EXIT_ERROR)
        except OSError as e:
            if ctx.meta.get("debug"):
                raise
            where = f" {e.filename}" if getattr(e, "filename", None) else ""
            click.echo(f"copyhound: error:{where} {e.strerror or e}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="copyhound")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """copyhound finds every copy of your posts and audits each one for SEO."""
    ctx.meta["debug"] = debug


def _finite(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    # click's FloatRange lets "nan" through (every comparison with it is false).
    if value is not None and value != value:
        raise click.BadParameter("must be a number, not nan")
    return value


def _header_text(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    # Sent in the User-Agent header: HTTP allows printable ASCII only, and a
    # newline would end the header (httpx refuses it on every request).
    if value is not None and not all(" " <= ch <= "~" for ch in value):
        raise click.BadParameter("use printable ASCII only (no accents, tabs or newlines)")
    return value


def _positive(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value < 0:
        raise click.BadParameter("must be zero or more")
    return value


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite database (created if missing).")
@click.option("--max-pages", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True, help="Stop after this many pages.")
@click.option("--depth", type=click.IntRange(0, 1000), default=50, show_default=True, help="Link depth from the seeds.")
@click.option("--own-domain", "own_domains", multiple=True, metavar="HOST", help="Your own host(s): their posts are the originals. Matches subdomains, any scheme or port.")
@click.option("--scope", "scope", multiple=True, metavar="HOST", help="Also follow links to these hosts.")
@click.option("--include", "include", multiple=True, metavar="REGEX", help="Only follow URLs matching one of these.")
@click.option("--exclude", "exclude", multiple=True, metavar="REGEX", help="Never follow URLs matching these.")
@click.option("--max-pages-per-host", type=click.IntRange(1, 10_000_000), default=None)
@click.option("--host-concurrency", type=click.IntRange(1, 256), default=2, show_default=True, help="Concurrent requests per host.")
@click.option("--delay", type=click.FloatRange(0, 3600), default=0.5, callback=_finite, show_default=True, help="Seconds between requests to one host (robots Crawl-delay wins when larger).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=20.0, callback=_finite, show_default=True, help="Seconds per request.")
@click.option("--user-agent", default=None, callback=_header_text, help="User-Agent header (default names copyhound).")
@click.option("--contact", default=None, callback=_header_text, metavar="URL", help="Contact URL added to the User-Agent.")
@click.option("--allow-private", is_flag=True, help="Allow redirects from public hosts to private/loopback addresses.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@click.option("--warc", "warc_dir", default=None, type=click.Path(file_okay=False), metavar="DIR", help="Also write every fetch as WARC 1.1 files (copyhound-RUN-SEQ.warc.gz) into DIR.")
@click.option("--warc-max-size", default="1G", show_default=True, metavar="SIZE", help="Start a new WARC file past this size (bytes, or with K/M/G).")
@_fail_on_options
def crawl(fail_on: tuple[str, ...], new_only: bool, **options: Any) -> None:
    """Crawl from the seed URLs into the database and update the duplicate clusters.

    With --fail-on, exits 3 after a finished crawl when a copy with one of
    those statuses is present (with --new-only: new in this run, or newly in
    that status), for cron and CI alerts.
    """
    from copyhound.commands.crawl import CrawlOptions, run_crawl_command
    from copyhound.commands.report import check_fail_on

    fail_on = _split_csv(fail_on)
    check_fail_on(fail_on)
    if new_only and not fail_on:
        raise click.UsageError("--new-only needs --fail-on STATUS[,STATUS...]")
    options["own_domains"] = _hosts(options["own_domains"], "--own-domain")
    options["scope"] = _hosts(options["scope"], "--scope")
    outcome = run_crawl_command(CrawlOptions(**options))
    if fail_on:
        from copyhound.commands.report import crawl_fail_on

        crawl_fail_on(options["db_path"], fail_on, new_only=new_only, run_id=outcome.run_id)


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The database a crawl wrote.")
@click.option("--format", "fmt", default="table", show_default=True, help="json, csv, table, html or jsonl (one copy a line).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None, help="Write here instead of standard output.")
@click.option("--status", "statuses", multiple=True, help="Only copies with these statuses (repeat or comma-separate).")
@click.option("--relation", "relations", multiple=True, help="Only copies with these relations.")
@click.option("--host", "hosts", multiple=True, help="Only copies on these hosts (and their subdomains).")
@click.option("--min-similarity", type=click.FloatRange(0, 1), default=0.0, callback=_finite, help="Only copies at least this similar.")
@click.option("--own-domain", "own_domains", multiple=True, metavar="HOST", help="Audit as the owner of these hosts (default: what the last crawl was given).")
@click.option("--since", default=None, metavar="RUN|DATE", help="Only copies new or changed since that run id or date (ISO 8601); lists gone ones.")
@_fail_on_options
def report(
    db_path: str,
    fmt: str,
    output: str | None,
    statuses: tuple[str, ...],
    relations: tuple[str, ...],
    hosts: tuple[str, ...],
    min_similarity: float,
    own_domains: tuple[str, ...],
    since: str | None,
    fail_on: tuple[str, ...],
    new_only: bool,
) -> None:
    """Write the clusters found so far.

    CSV written to a file starts with a UTF-8 byte-order mark so spreadsheet
    programs read it as UTF-8. With --fail-on, exits 3 (after writing the
    report) when a reported copy has one of those statuses; --new-only
    reports only what the last crawl brought (new copies, changed statuses).
    """
    from copyhound.commands.report import run_report_command

    run_report_command(
        db_path=db_path,
        fmt=fmt,
        output=output,
        statuses=_split_csv(statuses),
        relations=_split_csv(relations),
        hosts=_hosts(hosts, "--host"),
        min_similarity=min_similarity,
        own_domains=_hosts(own_domains, "--own-domain"),
        since=since,
        new_only=new_only,
        fail_on=_split_csv(fail_on),
    )


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The database crawls wrote.")
@click.option("--from", "from_run", default=None, metavar="RUN|DATE", help="Older run (default: the finished run before --to).")
@click.option("--to", "to_run", default=None, metavar="RUN|DATE", help="Newer run (default: the last finished run).")
@click.option("--format", "fmt", default="table", show_default=True, help="table, json or csv.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write here instead of standard output.")
@_fail_on_option
def diff(
    db_path: str, from_run: str | None, to_run: str | None, fmt: str, output: str | None,
    fail_on: tuple[str, ...],
) -> None:
    """Show what changed between two crawl runs: new and gone clusters and
    copies, and copies whose status changed. A DATE means the last run
    finished by then. With --fail-on, exits 3 when a new or changed copy has
    one of those statuses."""
    from copyhound.commands.diff import diff_runs
    from copyhound.commands.report import check_fail_on, check_output, open_existing, write_output
    from copyhound.render.diff import DIFF_FORMATS

    fmt = fmt.lower()
    if fmt not in DIFF_FORMATS:
        raise InputError(f"unknown --format {fmt!r} for diff: use table, json or csv")
    fail_on = _split_csv(fail_on)
    check_fail_on(fail_on)
    check_output(output, db_path)
    d = diff_runs(open_existing(db_path), from_run, to_run)
    write_output(DIFF_FORMATS[fmt](d), output)
    hits = [c for c in (*d.new_copies, *(ch.after for ch in d.changed if "status" in ch.fields))
            if c.status in fail_on]
    if hits:
        raise FailOnTriggered(
            f"--fail-on: {len(hits)} new or changed cop{'y' if len(hits) == 1 else 'ies'} with status "
            f"{', '.join(sorted({c.status for c in hits}))} (first: {hits[0].url})"
        )


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The database crawls wrote.")
def runs(db_path: str) -> None:
    """List the crawl runs in the database (ids for --since, diff --from/--to)."""
    from copyhound.commands.report import open_existing
    from copyhound.store import history

    db = open_existing(db_path)
    rows = history.list_runs(db)
    if not rows:
        click.echo("no runs yet")
    counts = history.copy_counts(db)
    for r in rows:
        copies = counts.get(r.id, 0)
        click.echo(f"{r.id}\t{r.state}\t{r.started_at}\t{r.finished_at or '-'}\t{copies} copies")


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--own-domain", "own_domains", multiple=True, metavar="HOST", help="Your host(s) (default: the first URL's).")
@click.option("--format", "fmt", default="text", show_default=True, help="text or json.")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=20.0, callback=_finite, show_default=True, help="Seconds per request.")
@click.option("--user-agent", default=None, callback=_header_text, help="User-Agent header (default names copyhound).")
@click.option("--allow-private", is_flag=True, help="Allow redirects from public hosts to private/loopback addresses.")
@_fail_on_option
def check(
    urls: tuple[str, ...], own_domains: tuple[str, ...], fmt: str, timeout: float, user_agent: str | None,
    allow_private: bool, fail_on: tuple[str, ...],
) -> None:
    """Is this page a copy of my post? Compare a few pages directly, no crawl.

    Give your post's URL first, then the pages to compare with it. Each page
    gets the relation, status and plain-words verdict a crawl would give it.
    """
    from copyhound.commands.check import run_check
    from copyhound.commands.report import check_fail_on, enforce_fail_on
    from copyhound.render.check import render_json, render_text

    fmt = fmt.lower()
    if fmt not in ("text", "table", "json"):
        raise InputError(f"unknown --format {fmt!r} for check: use text or json")
    fail_on = _split_csv(fail_on)
    check_fail_on(fail_on)
    result = run_check(urls, own_domains=_hosts(own_domains, "--own-domain"), allow_private=allow_private,
                       timeout=timeout, user_agent=user_agent)
    click.echo(render_json(result) if fmt == "json" else render_text(result), nl=False)
    enforce_fail_on(result.report, fail_on)


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("crawl_args", nargs=-1, type=click.UNPROCESSED, required=True)
@click.option("--every", required=True, metavar="INTERVAL", help="Time between crawl starts: 6h, 30m, 1h30m, 1d.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for reports, diffs and watch.log.")
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False), help="Database (default: OUT/copyhound.db).")
@click.option("--report-format", "formats", default="json,html", show_default=True, help="Report formats written per run.")
@click.option("--max-runs", type=click.IntRange(1, 10_000_000), default=None, help="Stop after this many runs (default: until stopped).")
def watch(
    crawl_args: tuple[str, ...], every: str, out_dir: str, db_path: str | None, formats: str, max_runs: int | None,
) -> None:
    """Crawl at an interval and write each run's report and diff to a folder.

    Takes the seed URLs and crawl options of `copyhound crawl` (e.g. --own-domain,
    --max-pages, --fail-on). Each run writes OUT/run-<id>/report.* and
    diff.json/diff.txt, OUT/latest points at the newest, OUT/watch.log gets one
    line per run. A failed run is logged and the next starts on schedule.
    SIGINT/SIGTERM stop cleanly (a crawl in progress saves its place).
    """
    from copyhound.commands.watch import WatchConfig, Watcher, parse_interval
    from copyhound.render import REPORT_FORMATS

    every_s = parse_interval(every)
    fmts = _split_csv((formats,))
    for f in fmts:
        if f not in REPORT_FORMATS:
            raise InputError(f"unknown --report-format {f!r}: use json, csv, table or html (comma-separated)")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out_dir} is a file: give a folder")
    if not out.exists() and not out.parent.exists():
        raise InputError(f"cannot create --out {out_dir}: folder {out.parent} does not exist")
    db = Path(db_path) if db_path else out / "copyhound.db"
    # Refuse bad crawl options now, not at the first run hours later.
    params = crawl.make_context("crawl", [*crawl_args, "--db", str(db)]).params
    from copyhound.pipeline import validate_seed

    for url in params["urls"]:  # checks the crawl makes only when it runs: made once, now
        validate_seed(url)
    _hosts(params["own_domains"], "--own-domain")
    _hosts(params["scope"], "--scope")
    code = Watcher(
        WatchConfig(every_s=every_s, out_dir=out, db_path=db, crawl_args=crawl_args, formats=fmts, max_runs=max_runs),
        echo=lambda m: click.echo(m, err=True),
    ).run()
    sys.exit(code)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_GLOB...")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite database (created if missing).")
@click.option("--own-domain", "own_domains", multiple=True, metavar="HOST", help="Host whose posts are the originals (and its subdomains).")
@click.option("--url-filter", default=None, metavar="REGEX", help="Only records whose URL matches this regular expression.")
@click.option("--max-records", type=click.IntRange(min=1), default=None, help="Store at most this many records.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@_fail_on_options
def ingest(paths: tuple[str, ...], db_path: str, own_domains: tuple[str, ...], url_filter: str | None,
           max_records: int | None, quiet: bool, fail_on: tuple[str, ...], new_only: bool) -> None:
    """Read WARC/ARC files (any crawler's) into the database, as a crawl would have stored them.

    Resumable: run the same command again after a kill and stored records are skipped.
    """
    from copyhound.commands.ingest import IngestOptions, run_ingest
    from copyhound.commands.report import check_fail_on, crawl_fail_on

    fail_on = _split_csv(fail_on)
    check_fail_on(fail_on)
    counts = run_ingest(IngestOptions(patterns=paths, db_path=db_path, own_domains=_hosts(own_domains, "--own-domain"),
                                      url_filter=url_filter, max_records=max_records, quiet=quiet))
    if not quiet:
        clusters = counts.stats.get("clusters", {})
        click.echo(f"ingest: {counts.stored} pages stored, {counts.skipped_stored} already stored, "
                   f"{counts.problems} problems; {clusters.get('clusters', 0)} clusters", err=True)
    if fail_on:
        crawl_fail_on(db_path, fail_on, new_only=new_only, run_id=None)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="WARC...")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="A database your site was crawled into with --own-domain.")
@click.option("--own-domain", "own_domains", multiple=True, metavar="HOST", help="Whose posts to hunt (default: what the last crawl was given).")
@click.option("--min-similarity", type=click.FloatRange(0, 1), default=0.0, callback=_finite, help="Only copies at least this similar (Jaccard or containment).")
@click.option("--url-filter", default=None, metavar="REGEX", help="Only records whose URL matches this regular expression.")
@click.option("--max-records", type=click.IntRange(min=1), default=None, help="Read at most this many HTML records.")
@click.option("--quiet", "-q", is_flag=True, help="No summary.")
def hunt(paths: tuple[str, ...], db_path: str, own_domains: tuple[str, ...], min_similarity: float,
         url_filter: str | None, max_records: int | None, quiet: bool) -> None:
    """Find copies of your own posts in WARC files (Common Crawl, any crawler's) and audit them.

    Only records holding one of your posts are stored; see them with `copyhound report`.
    """
    from copyhound.commands.hunt import HuntOptions, run_hunt

    if not Path(db_path).exists():
        raise InputError(f"--db {db_path} does not exist: crawl your site into it first with --own-domain")
    counts = run_hunt(HuntOptions(patterns=paths, db_path=db_path, own_domains=_hosts(own_domains, "--own-domain"),
                                  min_similarity=min_similarity, url_filter=url_filter, max_records=max_records,
                                  quiet=quiet))
    if not quiet:
        click.echo(f"hunt: {counts.records} records, {counts.prefiltered} dropped unread, {counts.extracted} "
                   f"extracted, {counts.stored} copies stored, {counts.problems} problems", err=True)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the report."""
    from copyhound.report import schema_text

    click.echo(schema_text(), nl=False)


@cli.command()
@click.option("--fixtures", default="fixtures/sites", show_default=True, type=click.Path(file_okay=False), help="Folder of fixture sites (one sub-folder per site).")
@click.option("--db", "db_path", default="demo-output/demo.db", show_default=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", default="table", show_default=True, help="Report format.")
@click.option("--quiet", "-q", is_flag=True)
def demo(fixtures: str, db_path: str, fmt: str, quiet: bool) -> None:
    """Serve the bundled fixture sites on 127.0.0.x, crawl them, print the report."""
    from copyhound.commands.demo import run_demo

    if not Path(fixtures).is_dir():
        raise InputError(f"fixture folder {fixtures} not found: run from a copyhound checkout or pass --fixtures")
    run_demo(fixtures=fixtures, db_path=db_path, fmt=fmt, quiet=quiet)


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The database a crawl wrote.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option("--open", "open_browser", is_flag=True, help="Open it in the web browser.")
@click.option("--quiet", "-q", is_flag=True)
def serve(db_path: str, port: int, open_browser: bool, quiet: bool) -> None:
    """Explore the database in Datasette, read-only (needs copyhound[serve]).

    Views copies and cluster_summary, full-text search on posts, and canned
    queries: copies competing with your posts, new since the previous run,
    hosts ranked by copies, your posts copied most.
    """
    from copyhound.commands.serve import run_serve

    sys.exit(run_serve(db_path=db_path, port=port, open_browser=open_browser, quiet=quiet))


@cli.group()
def spark() -> None:
    """Run the dedupe on Apache Spark, from WARC files (needs copyhound[spark] and Java 17)."""


@spark.command("dedupe")
@click.argument("warcs", nargs=-1, required=True)
@click.option("--output", required=True, metavar="DIR", help="Folder (or s3a://, gs://, hdfs:// URI) for the Parquet tables.")
@click.option("--own-domain", "own_domains", multiple=True, metavar="HOST", help="A host whose posts are the originals.")
@click.option("--master", default=None, metavar="URL", help="Spark master (default local[2,4]; spark-submit sets its own).")
def spark_dedupe(warcs: tuple[str, ...], output: str, own_domains: tuple[str, ...], master: str | None) -> None:
    """Find the clusters of WARC files (paths or globs) on Spark; write Parquet to --output."""
    from copyhound.commands.spark import run_spark_dedupe

    meta = run_spark_dedupe(warcs, output, own_domains, master, lambda m: click.echo(m, err=True))
    s = meta["stats"]
    click.echo(f"{s['files']} WARC files, {s['pages']} pages, {s['clusters']} clusters, {s['copies']} copies, "
               f"{s['revisits']} revisits resolved, {s['problems']} problems; Parquet in {output}", err=True)


@spark.command("hunt")
@click.argument("warcs", nargs=-1, required=True)
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The site's database (its own posts).")
@click.option("--output", required=True, metavar="DIR", help="Folder (or s3a://, gs://, hdfs:// URI) for the matches.")
@click.option("--own-domain", "own_domains", multiple=True, metavar="HOST", help="Whose posts to hunt (default: the last crawl's).")
@click.option("--master", default=None, metavar="URL", help="Spark master (default local[2,4]; spark-submit sets its own).")
def spark_hunt(warcs: tuple[str, ...], db_path: str, output: str, own_domains: tuple[str, ...], master: str | None) -> None:
    """Stream WARC files past site.db's own posts on Spark; write the records holding one to --output."""
    from copyhound.commands.spark import run_spark_hunt

    meta = run_spark_hunt(warcs, db_path, output, own_domains, master, lambda m: click.echo(m, err=True))
    s = meta["stats"]
    click.echo(f"hunt: {s['files']} WARC files, {s['records']} records, {s['prefiltered']} dropped unread, "
               f"{s['stored']} holding an own post, {s['problems']} problems; `copyhound import {output} "
               f"--db {db_path}` adds them", err=True)


@cli.command("import")
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite database to store the clusters in.")
def import_cmd(out_dir: str, db_path: str) -> None:
    """Store a `copyhound spark` run's Parquet output as a run of the database."""
    from copyhound.commands.import_parquet import run_import

    run_id, clusters, copies = run_import(out_dir, db_path)
    click.echo(f"run {run_id}: {clusters} clusters, {copies} copies imported into {db_path}", err=True)


def main(argv: Sequence[str] | None = None) -> None:
    args = expand_multi_value_options(list(sys.argv[1:] if argv is None else argv))
    try:
        cli.main(args=args, prog_name="copyhound", standalone_mode=True)
    except SystemExit as e:
        code = e.code
        # click reports usage errors with exit 2 already; keep its code.
        sys.exit(code if isinstance(code, int) else (EXIT_USAGE if code else 0))


if __name__ == "__main__":  # pragma: no cover
    main()
