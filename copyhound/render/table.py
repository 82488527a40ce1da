"""The terminal table: counts by status and relation first, then each
cluster, the ones with the most copies needing action first.

Rich fits it to the terminal width; when the output is not a terminal it is
plain text (no colour, ASCII rules) at a fixed width, so it pipes and diffs.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from copyhound.render import printable
from copyhound.render.summary import summary_sentences
from copyhound.report import ACTION_STATUSES, RELATIONS, STATUSES

_STATUS_STYLE = {
    "canonical-ok": "green",
    "noindex": "cyan",
    "self-canonical": "yellow",
    "canonical-elsewhere": "yellow",
    "missing-canonical": "bold red",
}
PLAIN_WIDTH = 120
# Drawing 45,000 rows took 8 s and nobody reads them in a terminal: beyond
# this, the clusters needing action most are shown and the rest pointed to.
TABLE_MAX_ROWS = 2_000
# Copies needing action first, worst first.
_STATUS_RANK = {s: i for i, s in enumerate((*ACTION_STATUSES, *(s for s in STATUSES if s not in ACTION_STATUSES)))}


def _needs_action(cluster: dict[str, Any]) -> int:
    return sum(1 for c in cluster["copies"] if c["status"] in ACTION_STATUSES)


def render_table(report: dict[str, Any], *, terminal: bool, width: int | None = None) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=terminal,
        no_color=not terminal,
        width=width or (None if terminal else PLAIN_WIDTH),
        highlight=False,
        emoji=False,
    )
    frame = box.ROUNDED if terminal else box.ASCII2
    _print_summary(console, report, frame)
    ordered = sorted(report["clusters"], key=lambda cl: (-_needs_action(cl), -len(cl["copies"]), cl["id"]))
    total = sum(len(cl["copies"]) for cl in ordered)
    shown = 0
    for cl in ordered:
        if shown and shown + len(cl["copies"]) > TABLE_MAX_ROWS:
            console.print()
            console.print(too_many_rows(total - shown))
            break
        shown += len(cl["copies"])
        _print_cluster(console, cl, frame)
    if not report["clusters"]:
        console.print("No duplicates found.")
    return buf.getvalue()


def _print_summary(console: Console, report: dict[str, Any], frame: box.Box) -> None:
    """The counts by status and relation, the owner's line, and what is gone since the baseline."""
    copies = [c for cl in report["clusters"] for c in cl["copies"]]
    console.print(
        f"copyhound report: {report['pages']} pages, {report['posts']} posts, "
        f"{len(report['clusters'])} clusters, {len(copies)} copies"
    )
    if report.get("summary") is not None:
        for line in summary_sentences(report["summary"]):
            console.print(line)
    for f in report.get("findings") or []:
        where = f"{f['host']}{f['pattern']}" if f["kind"] == "archive" else f"{f['host']} ({f['status']})"
        console.print(f"[bold]Finding:[/] {f['copies']} copies on {_esc(where)}: {_esc(f['fix'])}.")
    by_status = Counter(c["status"] for c in copies)
    by_relation = Counter(c["relation"] for c in copies)
    summary = Table(box=frame, show_header=True, title=None)
    summary.add_column("status")
    summary.add_column("copies", justify="right")
    for s in STATUSES:
        summary.add_row(f"[{_STATUS_STYLE[s]}]{s}[/]", str(by_status.get(s, 0)))
    rel = Table(box=frame, show_header=True)
    rel.add_column("relation")
    rel.add_column("copies", justify="right")
    for r in RELATIONS:
        rel.add_row(r, str(by_relation.get(r, 0)))
    grid = Table.grid(padding=(0, 4))
    grid.add_row(summary, rel)
    console.print(grid)
    own = [cl for cl in report["clusters"] if cl.get("own_post")]
    if own:
        own_copies = [c for cl in own for c in cl["copies"]]
        need = sum(1 for c in own_copies if c["status"] in ACTION_STATUSES)
        back = sum(1 for c in own_copies if c["links_to_canonical"])
        console.print(
            f"Your posts: {len(own)} appear on {len(own_copies)} other pages; "
            f"{need} of those copies need action; {back} link back."
        )
    since = report.get("since")
    if since is not None:
        base = f"run {since['run']} ({since['finished_at']})" if since.get("run") else "an empty database"
        console.print(f"Changes since {base}: new and changed copies below; {len(since['gone'])} gone.")
        for g in since["gone"]:
            console.print(f"  gone: {_esc(g['url'])}  (was {g['status']}, copy of {_esc(g['canonical_url'])})")


def _print_cluster(console: Console, cl: dict[str, Any], frame: box.Box) -> None:
    canon = cl["canonical"]
    title = canon.get("title") or "(untitled)"
    console.print()
    console.print(f"[bold]{_esc(title)}[/]  cluster {cl['id']}")
    console.print(f"  canonical: {_esc(canon['url'])}  ({canon['reason']}"
                  + (f", published {canon['published']}" if canon.get("published") else "") + ")")
    t = Table(box=frame, show_header=True, expand=bool(cl.get("own_post")))
    t.add_column("copy", overflow="fold", ratio=3)
    t.add_column("relation")
    t.add_column("sim", justify="right")
    t.add_column("cont", justify="right")
    t.add_column("links back")
    t.add_column("status", overflow="fold")
    for c in sorted(cl["copies"], key=lambda c: (_STATUS_RANK[c["status"]], c["url"])):
        cell = _esc(c["url"])
        if cl.get("own_post") and c.get("verdict"):
            cell += f"\n[dim]{_esc(c['verdict'])}[/]"
        t.add_row(cell, c["relation"], f"{c['similarity']:.2f}", f"{c['containment']:.2f}",
                  "yes" if c["links_to_canonical"] else "no", _status_cell(c))
    console.print(t)


def _status_cell(c: dict[str, Any]) -> str:
    status = f"[{_STATUS_STYLE[c['status']]}]{c['status']}[/]"
    if c.get("change") == "new":
        return status + " (new)"
    if c.get("change"):
        return status + f" (was {c.get('previous_status')})"
    return status


def too_many_rows(hidden: int) -> str:
    return (f"... and {hidden:,} more copies: a table beyond {TABLE_MAX_ROWS:,} rows is too long to read; "
            "use --format csv, jsonl or html, or `copyhound serve`, for all of them.")


def _esc(text: str) -> str:
    """Crawled strings may hold rich markup such as `[bold]`: print them literally."""
    from rich.markup import escape

    return escape(printable(text))
