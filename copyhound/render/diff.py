"""`copyhound diff` output: a run diff as JSON (`copyhound.diff/1`), text or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from copyhound.render import printable
from copyhound.render.csv import neutralise
from copyhound.rundiff import RunDiff
from copyhound.store.history import CopySnapshot, RunInfo


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


DIFF_FORMATS: dict[str, Callable[[RunDiff], str]] = {
    "json": render_json, "table": render_text, "text": render_text, "csv": render_csv,
}

__all__ = ["DIFF_FORMATS", "render_csv", "render_json", "render_text", "to_dict"]
