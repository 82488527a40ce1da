"""`copyhound diff`: which runs to compare (`--from`/`--to` as run ids or
dates), read from the database; the comparison itself is
copyhound/rundiff.py, the output copyhound/render/diff.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database

from copyhound.errors import InputError
from copyhound.render.diff import DIFF_FORMATS, render_json, render_text, to_dict
from copyhound.rundiff import CopyChange, RunDiff, compare
from copyhound.store import history
from copyhound.store.history import RunInfo


def parse_when(text: str) -> str:
    """An ISO 8601 date or date-time as the runs table writes times (UTC, `Z`)."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"bad run or date {text!r}: give a run id (see `copyhound runs --db PATH`) or a date such as "
            "2026-01-31 or 2026-01-31T06:00:00Z"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def resolve_baseline(db: Database, spec: str) -> RunInfo | None:
    """The run a `--since RUN|DATE` names: that run, or the last one finished
    at or before DATE (None when none had finished yet: everything is new)."""
    spec = spec.strip()
    if spec.isascii() and spec.isdigit():  # ("²".isdigit() is true too, and int() refuses it)
        run = require_run(db, int(spec))
        if run.state != "finished":
            # An unfinished run has no snapshot: comparing with it would call every copy new.
            raise InputError(f"run {run.id} did not finish ({run.state}): give a finished run or a date")
        return run
    return history.last_finished_at_or_before(db, parse_when(spec))


def require_run(db: Database, run_id: int) -> RunInfo:
    # SQLite integers stop at 2**63 - 1: a longer id is no run, not an OverflowError.
    run = history.get_run(db, run_id) if run_id < 2**63 else None
    if run is None:
        known = [r.id for r in history.list_runs(db)]
        hint = f"runs in this database: {_ids(known)}" if known else "this database has no runs yet"
        raise InputError(f"no run {run_id}: {hint}")
    return run


def _ids(ids: list[int]) -> str:
    return ", ".join(map(str, ids)) if len(ids) <= 12 else f"{ids[0]}..{ids[-1]}"


def diff_runs(db: Database, from_spec: str | None, to_spec: str | None) -> RunDiff:
    """Diff two runs; by default the last finished run against the one before it."""
    if to_spec is None:
        to_run = history.latest_run(db)
        if to_run is None:
            raise InputError("no finished crawl run in this database yet: run `copyhound crawl` first")
    else:
        to_run = resolve_baseline(db, to_spec)
        if to_run is None:
            raise InputError(f"no run had finished by {to_spec}")
    from_run = (
        history.finished_run_before(db, to_run.id) if from_spec is None else resolve_baseline(db, from_spec)
    )
    before = history.run_copies(db, from_run.id) if from_run else []
    return compare(before, history.run_copies(db, to_run.id), from_run=from_run, to_run=to_run)


__all__ = ["DIFF_FORMATS", "CopyChange", "RunDiff", "compare", "diff_runs", "parse_when", "render_json",
           "render_text", "require_run", "resolve_baseline", "to_dict"]
