"""`report --format csv|jsonl` written row by row in constant memory: a
cursor over the stored copies (store/stream.py), each row filtered, given
its verdict and written, so a million copies never sit in memory at once.

`--since`, `--new-only` and `--fail-on` need the whole report (to compare
or to decide the exit code) and take the in-memory path instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from copyhound.errors import InputError
from copyhound.render.csv import UTF8_BOM, csv_lines
from copyhound.render.jsonl import CopyPair, jsonl_lines
from copyhound.report import ReportFilter, copy_dict
from copyhound.store.stream import iter_copies
from copyhound.verdicts import is_own_url, verdict


def copy_pairs(db: Database, filters: ReportFilter, own_domains: Sequence[str]) -> Iterator[CopyPair]:
    """(cluster, copy) dicts as the JSON report has them, verdicts added, one at a time."""
    cluster: dict[str, Any] = {}
    for c, stored in iter_copies(db):
        copy = copy_dict(stored)
        if not filters.keeps(copy):
            continue
        if cluster.get("id") != c.id:
            own = is_own_url(c.canonical_url, own_domains) or c.reason == "own-domain"
            cluster = {"id": c.id, "own_post": own, "canonical": {
                "url": c.canonical_url, "title": c.title, "published": c.published, "reason": c.reason}}
        own = bool(cluster["own_post"])
        copy["verdict"] = verdict(copy, own=own, own_copy=own and is_own_url(stored.url, own_domains))
        yield cluster, copy


def stream_report(
    db: Database, fmt: str, output: str | None, filters: ReportFilter, own_domains: Sequence[str]
) -> None:
    pairs = copy_pairs(db, filters, own_domains)
    lines = csv_lines(pairs) if fmt == "csv" else jsonl_lines(pairs)
    if output is None:
        _write_all(lines, sys.stdout)
        sys.stdout.flush()
        return
    target = Path(os.path.realpath(output))
    # Written beside the target and renamed (a reader never sees half a
    # report), unless it is a device or a pipe, which is written to.
    direct = target.exists() and not target.is_file()
    tmp = target if direct else target.with_name(target.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            if fmt == "csv":
                fh.write(UTF8_BOM)  # spreadsheet programs need it to read UTF-8
            _write_all(lines, fh)
        if not direct:
            tmp.replace(target)
    except OSError as e:
        if not direct:
            tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write --output {output}: {e.strerror or e}") from None


def _write_all(lines: Iterator[str], fh: IO[str]) -> None:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= 1_000:  # fewer write calls; still bounded memory
            fh.write("".join(batch))
            batch.clear()
    fh.write("".join(batch))


__all__ = ["copy_pairs", "stream_report"]
