"""`copyhound report`: read the database, filter, render, write."""

from __future__ import annotations

import sys
from pathlib import Path

from store import open_db

from .errors import InputError
from .render.table import render_table
from .report import RELATIONS, STATUSES, ReportFilter, build_report, to_json

_RENDERERS = ("json", "table")
_LATER = ("csv", "html")


def check_filter(statuses: tuple[str, ...], relations: tuple[str, ...]) -> None:
    for s in statuses:
        if s not in STATUSES:
            raise InputError(f"unknown --status {s!r}: use one of {', '.join(STATUSES)}")
    for r in relations:
        if r not in RELATIONS:
            raise InputError(f"unknown --relation {r!r}: use one of {', '.join(RELATIONS)}")


def run_report_command(
    *,
    db_path: str,
    fmt: str,
    output: str | None,
    statuses: tuple[str, ...] = (),
    relations: tuple[str, ...] = (),
    hosts: tuple[str, ...] = (),
    min_similarity: float = 0.0,
) -> None:
    fmt = fmt.lower()
    if fmt in _LATER:
        raise InputError(f"--format {fmt} is not available yet: use json or table")
    if fmt not in _RENDERERS:
        raise InputError(f"unknown --format {fmt!r}: use json, csv, table or html")
    check_filter(statuses, relations)
    if output is not None and not Path(output).parent.exists():
        raise InputError(f"cannot write --output {output}: folder {Path(output).parent} does not exist")
    if not Path(db_path).exists():
        raise InputError(f"no database at {db_path}: run `copyhound crawl URL --db {db_path}` first")
    db = open_db(db_path, create=False)
    report = build_report(
        db, ReportFilter(statuses=statuses, relations=relations, hosts=hosts, min_similarity=min_similarity)
    )
    if fmt == "json":
        text = to_json(report)
    else:
        terminal = output is None and sys.stdout.isatty()
        text = render_table(report, terminal=terminal)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        tmp = Path(output).with_name(Path(output).name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
