"""Charts for the HTML report as inline SVG: no script and nothing fetched,
so the report's Content-Security-Policy stays as strict as it is. Colours
are SVG presentation attributes, not style attributes (which the policy
forbids). Every chart is followed by the same numbers as a table, for screen
readers and for copying.

Pure: report dicts and run counts in, markup out; crawled strings escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape
from typing import Any
from urllib.parse import urlsplit

STATUS_COLOURS = {
    "missing-canonical": "#d92d20",
    "self-canonical": "#f79009",
    "canonical-elsewhere": "#fdb022",
    "noindex": "#2e90fa",
    "canonical-ok": "#12b76a",
}
MAX_HOSTS = 12  # the rest are summed as "other hosts"
WIDTH, BAR_H, LABEL_W = 640, 18, 190
BINS = 10


def _e(v: object) -> str:
    return escape(str(v), quote=True)


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<details class="chart-data"><summary>{_e(caption)} as a table</summary>'
            f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></details>")


def _figure(fig_id: str, title: str, svg: str, table: str) -> str:
    return (f'<figure class="chart" id="{fig_id}"><figcaption>{_e(title)}</figcaption>{svg}{table}</figure>')


def hosts_chart(copies: Sequence[dict[str, Any]]) -> str:
    by_host: dict[str, Counter[str]] = {}
    for c in copies:
        by_host.setdefault((urlsplit(c["url"]).hostname or "?").lower(), Counter())[c["status"]] += 1
    ranked = sorted(by_host.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    top = ranked[:MAX_HOSTS]
    if len(ranked) > MAX_HOSTS:
        rest: Counter[str] = Counter()
        for _, cnt in ranked[MAX_HOSTS:]:
            rest.update(cnt)
        top.append((f"{len(ranked) - MAX_HOSTS} other hosts", rest))
    peak = max((sum(c.values()) for _, c in top), default=1)
    scale = (WIDTH - LABEL_W - 50) / peak
    parts = []
    for i, (host, cnt) in enumerate(top):
        y = i * (BAR_H + 6)
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 13}" text-anchor="end">{_e(host[:28])}</text>')
        x = float(LABEL_W)
        for status, colour in STATUS_COLOURS.items():
            w = cnt.get(status, 0) * scale
            if w:
                parts.append(f'<rect class="bar" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" '
                             f'fill="{colour}"><title>{_e(host)}: {cnt[status]} {status}</title></rect>')
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{sum(cnt.values())}</text>')
    legend_y = len(top) * (BAR_H + 6) + 8
    for j, (status, colour) in enumerate(STATUS_COLOURS.items()):
        lx = j * 128
        parts.append(f'<rect x="{lx}" y="{legend_y}" width="10" height="10" fill="{colour}"></rect>'
                     f'<text x="{lx + 14}" y="{legend_y + 9}">{status}</text>')
    height = legend_y + 16
    svg = (f'<svg role="img" aria-label="Copies by host, stacked by status" viewBox="0 0 {WIDTH} {height}" '
           f'width="{WIDTH}" height="{height}">{"".join(parts)}</svg>')
    rows = [(h, sum(c.values()), *(c.get(s, 0) for s in STATUS_COLOURS)) for h, c in top]
    return _figure("chart-hosts", "Copies by host, by status", svg,
                   _table("Copies by host", ("host", "copies", *STATUS_COLOURS), rows))


def runs_chart(runs: Sequence[tuple[int, str, int]]) -> str:
    """Columns of copies reported per finished run, oldest left."""
    peak = max((n for _, _, n in runs), default=1) or 1
    h, gap = 120, 4
    w = max(8, min(40, (WIDTH - 40) // max(len(runs), 1) - gap))
    parts = []
    for i, (run_id, finished, n) in enumerate(runs):
        bh = n / peak * h
        x = 30 + i * (w + gap)
        parts.append(f'<rect class="bar" x="{x}" y="{h - bh:.1f}" width="{w}" height="{bh:.1f}" fill="#1849a9">'
                     f"<title>run {run_id} ({_e(finished)}): {n} copies</title></rect>")
        parts.append(f'<text x="{x + w / 2:.1f}" y="{h + 14}" text-anchor="middle">{run_id}</text>')
    parts.append(f'<text x="0" y="10">{peak}</text><text x="0" y="{h}">0</text>')
    svg = (f'<svg role="img" aria-label="Copies found per run" viewBox="0 0 {WIDTH} {h + 20}" width="{WIDTH}" '
           f'height="{h + 20}">{"".join(parts)}</svg>')
    return _figure("chart-runs", "Copies found per run (run number below)", svg,
                   _table("Copies per run", ("run", "finished", "copies"), runs))


def similarity_chart(copies: Sequence[dict[str, Any]]) -> str:
    bins = [0] * BINS
    for c in copies:
        bins[min(BINS - 1, int(float(c["similarity"]) * BINS))] += 1
    peak = max(bins) or 1
    h, w = 120, (WIDTH - 40) // BINS - 4
    parts = []
    for i, n in enumerate(bins):
        bh = n / peak * h
        x = 30 + i * (w + 4)
        parts.append(f'<rect class="bar" x="{x}" y="{h - bh:.1f}" width="{w}" height="{bh:.1f}" fill="#7a5af8">'
                     f"<title>{i / BINS:.1f}–{(i + 1) / BINS:.1f}: {n} copies</title></rect>")
        parts.append(f'<text x="{x + w / 2:.1f}" y="{h + 14}" text-anchor="middle">{i / BINS:.1f}</text>')
    parts.append(f'<text x="0" y="10">{peak}</text>')
    svg = (f'<svg role="img" aria-label="Similarity histogram" viewBox="0 0 {WIDTH} {h + 20}" width="{WIDTH}" '
           f'height="{h + 20}">{"".join(parts)}</svg>')
    rows = [(f"{i / BINS:.1f}–{(i + 1) / BINS:.1f}", n) for i, n in enumerate(bins)]
    return _figure("chart-similarity", "Copies by similarity to the original", svg,
                   _table("Similarity histogram", ("similarity", "copies"), rows))


def charts_section(copies: Sequence[dict[str, Any]], runs: Sequence[tuple[int, str, int]]) -> str:
    if not copies:
        return ""
    return ('<section id="charts" aria-label="Charts">' + hosts_chart(copies) + similarity_chart(copies)
            + (runs_chart(runs) if runs else "") + "</section>")


__all__ = ["charts_section", "hosts_chart", "runs_chart", "similarity_chart"]
