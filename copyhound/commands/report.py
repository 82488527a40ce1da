"""`copyhound report`: read the database, filter, render, write; and the
`--fail-on` check that `report` and `crawl` share.

The contract report (copyhound/report.py) is extended here, additively: each
copy gets a plain-words `verdict`, each cluster `own_post`; with `--since` or
`--new-only` only new and changed copies are kept, each with `change`, and a
top-level `since` lists the copies gone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from copyhound.commands.diff import resolve_baseline
from copyhound.errors import FailOnTriggered, InputError
from copyhound.render import REPORT_FORMATS
from copyhound.render.findings import findings
from copyhound.render.summary import count_changes, summarise
from copyhound.report import RELATIONS, STATUSES, ReportFilter, build_report, to_json
from copyhound.store import history, open_db
from copyhound.store import reports as store_reports
from copyhound.store.history import RunInfo
from copyhound.verdicts import add_verdicts

FORMATS = REPORT_FORMATS  # the one list, in render/


def check_filter(statuses: tuple[str, ...], relations: tuple[str, ...]) -> None:
    for s in statuses:
        if s not in STATUSES:
            raise InputError(f"unknown --status {s!r}: use one of {', '.join(STATUSES)}")
    for r in relations:
        if r not in RELATIONS:
            raise InputError(f"unknown --relation {r!r}: use one of {', '.join(RELATIONS)}")


def check_fail_on(fail_on: tuple[str, ...]) -> None:
    for s in fail_on:
        if s not in STATUSES:
            raise InputError(f"unknown --fail-on status {s!r}: use one or more of {', '.join(STATUSES)}")


def check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown --format {fmt!r}: use json, csv, table, html or jsonl")
    return fmt


def check_output(output: str | None, db_path: str | None = None) -> None:
    if output is None:
        return
    p = Path(output)
    if db_path is not None and _same_file(p, Path(db_path)):
        # `--output` naming the database would replace weeks of crawl history with one report.
        raise InputError(f"--output {output} is the database itself: give another file name such as report.html")
    if p.is_dir():
        raise InputError(f"--output {output} is a folder: give a file name such as {p / 'report.html'}")
    if not p.parent.exists():
        raise InputError(f"cannot write --output {output}: folder {p.parent} does not exist")


def _same_file(output: Path, db: Path) -> bool:
    """True when writing `output` would overwrite the database or its WAL/lock files."""
    db = db.resolve()  # through a symlink: SQLite's -wal and our .lock sit beside the real file
    targets = [db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal", ".lock"))]
    out = output.resolve()
    return any(out == t.resolve() for t in targets)


def own_domains_of(db: Database, given: Sequence[str]) -> tuple[str, ...]:
    """`--own-domain` if given, else what the last crawl was told."""
    if given:
        return tuple(given)
    last = history.latest_run(db, finished=False)
    return last.own_domains if last else ()


def previous_run(db: Database, run_id: int | None = None) -> RunInfo | None:
    """The finished run before `run_id` (default: before the last finished run)."""
    if run_id is None:
        last = history.latest_run(db)
        if last is None:
            return None
        run_id = last.id
    return history.finished_run_before(db, run_id)


def mark_changes(
    db: Database, report: dict[str, Any], baseline: RunInfo | None, filters: ReportFilter
) -> dict[str, Any]:
    """Only the copies new or changed since `baseline`, marked; gone ones listed."""
    before = {c.key: c for c in (history.run_copies(db, baseline.id) if baseline else [])}
    clusters = []
    for cl in report["clusters"]:
        copies = []
        for c in cl["copies"]:
            old = before.get((cl["canonical"]["url"], c["url"]))
            if old is None:
                copies.append({**c, "change": "new"})
            elif old.status != c["status"]:
                copies.append({**c, "change": "status-changed", "previous_status": old.status})
        if copies:
            clusters.append({**cl, "new_cluster": cl["canonical"]["url"] not in
                             {k[0] for k in before}, "copies": copies})
    now = {(cl.canonical_url, c.url) for cl in store_reports.clusters(db) for c in cl.copies}
    gone = [
        {"canonical_url": s.canonical_url, "url": s.url, "relation": s.relation, "status": s.status}
        for key, s in sorted(before.items())
        if key not in now and filters.keeps({"url": s.url, "relation": s.relation, "status": s.status,
                                              "similarity": s.similarity})
    ]
    since = {"run": baseline.id if baseline else None,
             "started_at": baseline.started_at if baseline else None,
             "finished_at": baseline.finished_at if baseline else None,
             "gone": gone}
    return {**report, "since": since, "clusters": clusters}


def enforce_fail_on(report: dict[str, Any], fail_on: tuple[str, ...], *, what: str = "") -> None:
    """Raise FailOnTriggered (exit 3) when a copy in `report` has a listed status."""
    if not fail_on:
        return
    hits = [(c["status"], c["url"]) for cl in report["clusters"] for c in cl["copies"] if c["status"] in fail_on]
    if hits:
        statuses = sorted({s for s, _ in hits}, key=STATUSES.index)
        raise FailOnTriggered(
            f"--fail-on: {len(hits)} {what}cop{'y' if len(hits) == 1 else 'ies'} with status "
            f"{', '.join(statuses)} (first: {hits[0][1]})"
        )


def changes_since_previous(db: Database) -> int | None:
    """Copies new, gone or with another status between the last two finished runs."""
    last = history.latest_run(db)
    prev = history.finished_run_before(db, last.id) if last else None
    if last is None or prev is None or not history.run_has_snapshot(db, last.id):
        return None
    return count_changes(((s.key, s.status) for s in history.run_copies(db, prev.id)),
                         ((s.key, s.status) for s in history.run_copies(db, last.id)))


def render(db: Database, report: dict[str, Any], fmt: str, *, terminal: bool) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "jsonl":
        from copyhound.render.jsonl import jsonl_lines, pairs_of

        return "".join(jsonl_lines(pairs_of(report)))
    if fmt in ("table", "html"):
        # The sentences a person reads first (render/summary.py).
        report = {**report, "summary": summarise(report, changed=changes_since_previous(db))}
    if fmt == "csv":
        from copyhound.render.csv import render_csv

        return render_csv(report)
    if fmt == "html":
        from copyhound.render.html import PostTexts, render_html
        from copyhound.render.html_limit import shown_clusters
        from copyhound.store.post_texts import texts_for_clusters
        from copyhound.store.timeline import copies_per_run

        # Texts only for the clusters the page lists (render/html_limit.py).
        canonical, copies, texts = texts_for_clusters(db, (cl["id"] for cl in shown_clusters(report["clusters"])))
        report = {**report, "timeline": copies_per_run(db)}
        return render_html(report, PostTexts(canonical=canonical, copies=copies, texts=texts))
    from copyhound.render.table import render_table

    return render_table(report, terminal=terminal)


def write_output(text: str, output: str | None, *, bom: bool = False) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    data = ("\ufeff" if bom else "") + text
    # Through symlinks to the file they name: the link itself stays.
    target = Path(os.path.realpath(output))
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/stdout, a FIFO): written to, never replaced
        # by a renamed file (as root, that would replace the device node).
        try:
            with open(target, "w", encoding="utf-8", newline="") as fh:
                fh.write(data)
        except OSError as e:
            raise InputError(f"cannot write --output {output}: {e.strerror or e}") from None
        return
    # Written beside the target and renamed: a reader never sees half a report.
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(data, encoding="utf-8", newline="")
        tmp.replace(target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write --output {output}: {e.strerror or e}") from None


def open_existing(db_path: str) -> Database:
    if not Path(db_path).exists():
        raise InputError(f"no database at {db_path}: run `copyhound crawl URL --db {db_path}` first")
    return open_db(db_path, create=False)


def build_full_report(
    db: Database,
    filters: ReportFilter,
    *,
    own_domains: Sequence[str] = (),
    since: str | None = None,
    new_only: bool = False,
) -> dict[str, Any]:
    report = add_verdicts(build_report(db, filters), own_domains_of(db, own_domains))
    if since is not None:
        report = mark_changes(db, report, resolve_baseline(db, since), filters)
    elif new_only:
        report = mark_changes(db, report, previous_run(db), filters)
    # Copies needing action that share a cause, one finding each (additive field).
    return {**report, "findings": findings(report)}


def run_report_command(
    *,
    db_path: str,
    fmt: str,
    output: str | None,
    statuses: tuple[str, ...] = (),
    relations: tuple[str, ...] = (),
    hosts: tuple[str, ...] = (),
    min_similarity: float = 0.0,
    own_domains: tuple[str, ...] = (),
    since: str | None = None,
    new_only: bool = False,
    fail_on: tuple[str, ...] = (),
) -> None:
    fmt = check_format(fmt)
    check_filter(statuses, relations)
    check_fail_on(fail_on)
    check_output(output, db_path)
    db = open_existing(db_path)
    filters = ReportFilter(statuses=statuses, relations=relations, hosts=hosts, min_similarity=min_similarity)
    terminal = output is None and sys.stdout.isatty()
    if fmt in ("csv", "jsonl") and since is None and not new_only and not fail_on:
        from copyhound.commands.report_stream import stream_report

        with store_reports.read_snapshot(db):
            stream_report(db, fmt, output, filters, own_domains_of(db, own_domains))
        return
    with store_reports.read_snapshot(db):
        report = build_full_report(db, filters, own_domains=own_domains, since=since, new_only=new_only)
        text = render(db, report, fmt, terminal=terminal)
    # Spreadsheet programs need the byte-order mark to read a CSV file as UTF-8.
    write_output(text, output, bom=fmt == "csv" and output is not None)
    enforce_fail_on(report, fail_on, what="new or changed " if (since or new_only) else "")


def crawl_fail_on(db_path: str, fail_on: tuple[str, ...], *, new_only: bool, run_id: int | None) -> None:
    """`crawl --fail-on`: check the clusters the crawl just updated."""
    db = open_db(db_path, create=False)
    if run_id is None:
        # The crawl did not say which run it was: the newest one is ours.
        last = history.latest_run(db, finished=False)
        run_id = last.id if last else None
    report = build_report(db, ReportFilter())
    if new_only:
        baseline = history.finished_run_before(db, run_id) if run_id is not None else None
        report = mark_changes(db, report, baseline, ReportFilter())
    enforce_fail_on(report, fail_on, what="new or changed " if new_only else "")
