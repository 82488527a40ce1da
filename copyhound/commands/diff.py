"""What changed between two crawl runs: new and gone clusters, new and gone
copies, and copies whose audit changed (a partner that removed its canonical
link goes from `canonical-ok` to `missing-canonical`).

Runs are compared through their `run_copies` snapshots. A copy is identified
by (canonical URL, copy URL), not by cluster id, which changes when the
original's text is edited.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from copyhound.errors import InputError
from copyhound.render import printable
from copyhound.store import history
from copyhound.store.history import CopySnapshot, RunInfo

# What a changed copy may differ in, in the order shown.
CHANGE_FIELDS = ("status", "relation", "canonical_link")


@dataclass(frozen=True, slots=True, kw_only=True)
class CopyChange:
    before: CopySnapshot
    after: CopySnapshot
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RunDiff:
    from_run: RunInfo | None  # None: compared with an empty database
    to_run: RunInfo | None  # None: the current clusters
    new_clusters: tuple[str, ...]  # canonical URLs
    gone_clusters: tuple[str, ...]
    new_copies: tuple[CopySnapshot, ...]
    gone_copies: tuple[CopySnapshot, ...]
    changed: tuple[CopyChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.new_clusters or self.gone_clusters or self.new_copies or self.gone_copies
                    or self.changed)


def compare(
    before: Sequence[CopySnapshot], after: Sequence[CopySnapshot], *,
    from_run: RunInfo | None = None, to_run: RunInfo | None = None,
) -> RunDiff:
    old = {c.key: c for c in before}
    new = {c.key: c for c in after}
    old_canon = {c.canonical_url for c in before}
    new_canon = {c.canonical_url for c in after}
    changed = []
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        fields = tuple(f for f in CHANGE_FIELDS if getattr(a, f) != getattr(b, f))
        if fields:
            changed.append(CopyChange(before=a, after=b, fields=fields))
    return RunDiff(
        from_run=from_run,
        to_run=to_run,
        new_clusters=tuple(sorted(new_canon - old_canon)),
        gone_clusters=tuple(sorted(old_canon - new_canon)),
        new_copies=tuple(new[k] for k in sorted(new.keys() - old.keys())),
        gone_copies=tuple(old[k] for k in sorted(old.keys() - new.keys())),
        changed=tuple(changed),
    )


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


def _copy(c: CopySnapshot) -> dict[str, Any]:
    return {"cluster_id": c.cluster_id, "canonical_url": c.canonical_url, "url": c.url,
            "relation": c.relation, "status": c.status, "similarity": round(c.similarity, 4),
            "canonical_link": c.canonical_link}


def _run(r: RunInfo | None) -> dict[str, Any] | None:
    return None if r is None else {"id": r.id, "started_at": r.started_at, "finished_at": r.finished_at}


def to_dict(d: RunDiff) -> dict[str, Any]:
    return {
        "format": "copyhound.diff/1",
        "from_run": _run(d.from_run),
        "to_run": _run(d.to_run),
        "new_clusters": list(d.new_clusters),
        "gone_clusters": list(d.gone_clusters),
        "new_copies": [_copy(c) for c in d.new_copies],
        "gone_copies": [_copy(c) for c in d.gone_copies],
        "changed_copies": [
            {**_copy(ch.after), "changed": list(ch.fields),
             "before": {f: getattr(ch.before, f) for f in ch.fields}}
            for ch in d.changed
        ],
    }


def render_json(d: RunDiff) -> str:
    return json.dumps(to_dict(d), indent=2, ensure_ascii=False) + "\n"


def _label(r: RunInfo | None, empty: str) -> str:
    return empty if r is None else f"run {r.id} ({r.finished_at or r.started_at})"


def render_text(d: RunDiff) -> str:
    lines = [f"copyhound diff: {_label(d.from_run, 'empty database')} -> {_label(d.to_run, 'now')}"]
    if d.empty:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    lines.append(
        f"{len(d.new_clusters)} new clusters, {len(d.gone_clusters)} gone; {len(d.new_copies)} new copies, "
        f"{len(d.gone_copies)} gone, {len(d.changed)} changed"
    )
    for title, urls in (("New clusters", d.new_clusters), ("Gone clusters", d.gone_clusters)):
        if urls:
            lines += ["", f"{title}:"] + [f"  {u}" for u in urls]
    if d.changed:
        lines += ["", "Changed copies:"]
        for ch in d.changed:
            what = "; ".join(f"{f} {getattr(ch.before, f)} -> {getattr(ch.after, f)}" for f in ch.fields)
            lines.append(f"  {ch.after.url}  (copy of {ch.after.canonical_url}): {what}")
    for title, copies in (("New copies", d.new_copies), ("Gone copies", d.gone_copies)):
        if copies:
            lines += ["", f"{title}:"]
            lines += [f"  {c.url}  {c.relation} {c.status}  (copy of {c.canonical_url})" for c in copies]
    return printable("\n".join(lines)) + "\n"


def render_csv(d: RunDiff) -> str:
    from copyhound.render.csv import neutralise

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["change", "cluster_id", "canonical_url", "copy_url", "relation", "status",
                "previous_status", "canonical_link", "previous_canonical_link"])

    def row(kind: str, c: CopySnapshot, prev: CopySnapshot | None = None) -> None:
        w.writerow([kind, neutralise(c.cluster_id), neutralise(c.canonical_url), neutralise(c.url),
                    c.relation, c.status, prev.status if prev else "",
                    neutralise(c.canonical_link), neutralise(prev.canonical_link) if prev else ""])

    for c in d.new_copies:
        row("new", c)
    for c in d.gone_copies:
        row("gone", c)
    for ch in d.changed:
        row("changed", ch.after, ch.before)
    return buf.getvalue()


DIFF_FORMATS = {"json": render_json, "table": render_text, "text": render_text, "csv": render_csv}

__all__ = ["DIFF_FORMATS", "CopyChange", "RunDiff", "compare", "diff_runs", "parse_when",
           "require_run", "resolve_baseline", "to_dict"]
