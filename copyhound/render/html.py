"""The HTML report: one self-contained file to read and share.

Summary (pages, posts, clusters, copies by status with those needing action
first), filters by status, relation and host, then each cluster's canonical
and copies with badges and verdicts; "Compare" shows a copy's text beside the
canonical's with the shared passages highlighted.

Everything that came from a crawled page (titles, URLs, canonical links,
texts) is escaped here, and post texts travel in a JSON data block that the
script reads and writes with `textContent` only. The Content-Security-Policy
allows no network and only our own script and style (by hash), so markup
that slipped in anyway stays inert.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlsplit

from copyhound.render.charts import charts_section
from copyhound.render.html_assets import CONTENT_SECURITY_POLICY, SCRIPT, STYLE
from copyhound.render.html_limit import ELSEWHERE, HTML_MAX_COPIES, shown_clusters
from copyhound.render.summary import summary_sentences
from copyhound.report import ACTION_STATUSES, RELATIONS, STATUSES

# Needing action first, then the fine ones.
STATUS_ORDER = (*ACTION_STATUSES, *(s for s in STATUSES if s not in ACTION_STATUSES))


@dataclass(frozen=True, slots=True, kw_only=True)
class PostTexts:
    """What the comparison view needs: post ids per cluster and copy, and texts."""

    canonical: dict[str, int] = field(default_factory=dict)  # cluster id → post id
    copies: dict[tuple[str, str], int] = field(default_factory=dict)  # (cluster id, url) → post id
    texts: dict[int, str] = field(default_factory=dict)


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _link(url: str | None) -> str:
    """A link only for http(s) URLs: a crawled `javascript:` URL stays text."""
    if not url:
        return '<span class="muted">none</span>'
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{_e(url)}" rel="noreferrer noopener">{_e(url)}</a>'
    return f"<code>{_e(url)}</code>"


def _json_block(data: object) -> str:
    # `<`, `>` and `&` as \\u escapes: no text can close the data block.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


def _badge(status: str) -> str:
    return f'<span class="badge s-{_e(status)}">{_e(status)}</span>'


def _summary(report: dict[str, Any], copies: list[dict[str, Any]]) -> list[str]:
    by_status = Counter(c["status"] for c in copies)
    by_relation = Counter(c["relation"] for c in copies)
    action = sum(by_status[s] for s in ACTION_STATUSES)
    out = ['<section id="summary" aria-label="Summary">']
    if report.get("summary") is not None:
        lines = summary_sentences(report["summary"])
        out.append('<div id="headline">' + "".join(f"<p>{_e(line)}</p>" for line in lines) + "</div>")
    out.append('<ul class="cards">')
    for label, n in (("pages crawled", report["pages"]), ("posts", report["posts"]),
                     ("clusters", len(report["clusters"])), ("copies", len(copies)),
                     ("copies needing action", action)):
        out.append(f"<li><b>{int(n)}</b>{_e(label)}</li>")
    out.append('</ul><ul class="cards" id="by-status">')
    for s in STATUS_ORDER:
        out.append(f'<li data-status="{_e(s)}"><b>{by_status.get(s, 0)}</b>{_badge(s)}</li>')
    out.append('</ul><p class="muted">By relation: ')
    out.append(", ".join(f"{_e(r)} {by_relation.get(r, 0)}" for r in RELATIONS))
    out.append("</p>")
    own = [cl for cl in report["clusters"] if cl.get("own_post")]
    if report.get("own_domains") or own:
        own_copies = [c for cl in own for c in cl["copies"]]
        need = sum(1 for c in own_copies if c["status"] in ACTION_STATUSES)
        back = sum(1 for c in own_copies if c["links_to_canonical"])
        out.append(
            f'<p id="own-audit"><span class="badge own">your posts</span> '
            f"{len(own)} of your posts appear on {len(own_copies)} other pages; "
            f"{need} of those copies need action; {back} link back. "
            f"Own domains: {_e(', '.join(report.get('own_domains') or []) or 'from the crawl')}</p>"
        )
    since = report.get("since")
    if since:
        gone = since.get("gone") or []
        out.append(
            f'<p id="since"><span class="badge change">changes</span> since run {_e(since.get("run"))} '
            f"({_e(since.get('started_at'))}): showing new and changed copies; {len(gone)} gone</p>"
        )
    out.extend(_findings(report.get("findings") or []))
    out.append("</section>")
    return out


def _findings(found: list[dict[str, Any]]) -> list[str]:
    """One finding per shared cause, its rows folded under it."""
    if not found:
        return []
    out = ['<div id="findings"><h2>Findings</h2>']
    for f in found:
        where = f"{f['host']}{f['pattern']}" if f["kind"] == "archive" else f"{f['host']} ({f['status']})"
        urls = "".join(f"<li>{_link(u)}</li>" for u in f["urls"])
        out.append(f'<details class="finding"><summary><b>{int(f["copies"])} copies</b> on {_e(where)}: '
                   f"{_e(f['fix'])}.</summary><ul>{urls}</ul></details>")
    out.append("</div>")
    return out


def _filters(copies: list[dict[str, Any]]) -> list[str]:
    hosts = sorted({_host(c["url"]) for c in copies})
    out = ['<form id="filters" aria-label="Filters"><fieldset><legend>Status</legend>']
    for s in STATUS_ORDER:
        out.append(f'<label><input type="checkbox" name="status" value="{_e(s)}" checked> {_e(s)}</label>')
    out.append("</fieldset><fieldset><legend>Relation</legend>")
    for r in RELATIONS:
        out.append(f'<label><input type="checkbox" name="relation" value="{_e(r)}" checked> {_e(r)}</label>')
    out.append('</fieldset><fieldset><legend>Host</legend><select id="f-host"><option value="">all hosts</option>')
    for h in hosts:
        out.append(f'<option value="{_e(h)}">{_e(h)}</option>')
    out.append(
        '</select></fieldset><p><button type="button" id="f-reset">Show all</button> '
        '<span id="shown">' + str(len(copies)) + "</span> copies shown</p></form>"
    )
    return out


def _limit_notice(clusters: list[dict[str, Any]], shown: list[dict[str, Any]]) -> list[str]:
    """Said plainly when the page lists less than every copy, and where the rest is."""
    total = sum(len(cl["copies"]) for cl in clusters)
    listed = sum(len(cl["copies"]) for cl in shown)
    if listed == total:
        return []
    where = ", ".join(f"<code>{_e(w)}</code>" for w in ELSEWHERE)
    return [f'<p id="partial" role="status"><b>This page lists {listed:,} of {total:,} copies</b> '
            f"({len(shown):,} of {len(clusters):,} clusters: your posts and those needing most action first), "
            f"so it stays quick to open; the summary, charts and findings above count every copy. "
            f"Every copy is in {where}.</p>"]


def _copy_rows(cl: dict[str, Any], texts: PostTexts) -> list[str]:
    out: list[str] = []
    canon_post = texts.canonical.get(cl["id"], "")
    ordered = sorted(cl["copies"], key=lambda c: (STATUS_ORDER.index(c["status"]), c["url"]))
    for c in ordered:
        copy_post = texts.copies.get((cl["id"], c["url"]), "")
        change = ""
        if c.get("change"):
            was = f" (was {c['previous_status']})" if c.get("previous_status") else ""
            change = f' <span class="badge change">{_e(c["change"])}{_e(was)}</span>'
        out.append(
            f'<tr class="copy" data-status="{_e(c["status"])}" data-relation="{_e(c["relation"])}" '
            f'data-host="{_e(_host(c["url"]))}" data-canon-post="{_e(canon_post)}" data-copy-post="{_e(copy_post)}">'
            f'<td>{_link(c["url"])}{change}<div class="verdict">{_e(c.get("verdict", ""))}</div></td>'
            f'<td><span class="badge">{_e(c["relation"])}</span></td>'
            f'<td class="num">{c["similarity"]:.2f}</td><td class="num">{c["containment"]:.2f}</td>'
            f'<td>{"yes" if c["links_to_canonical"] else "no"}</td>'
            f'<td>{_link(c["canonical_link"])}{" · noindex" if c["robots_noindex"] else ""}</td>'
            f"<td>{_badge(c['status'])}</td>"
            '<td><button type="button" class="compare" aria-expanded="false">Compare</button></td></tr>'
            '<tr class="compare-row" hidden><td colspan="8"><div class="side">'
            '<div class="pane"><h3>Canonical <span class="share-a"></span></h3><div class="text"></div></div>'
            '<div class="pane"><h3>This copy <span class="share-b"></span></h3><div class="text"></div></div>'
            "</div></td></tr>"
        )
    return out


def _cluster(cl: dict[str, Any], texts: PostTexts) -> list[str]:
    canon = cl["canonical"]
    own = ' <span class="badge own">your post</span>' if cl.get("own_post") else ""
    published = f", published {_e(canon['published'])}" if canon.get("published") else ""
    return [
        f'<article class="cluster" data-cluster="{_e(cl["id"])}">',
        f"<h2>{_e(canon.get('title') or '(untitled)')}{own}</h2>",
        f'<p>Canonical: {_link(canon["url"])} <span class="badge">{_e(canon["reason"])}</span>'
        f'<span class="muted">{published} · cluster {_e(cl["id"])}</span></p>',
        "<table><thead><tr><th>Copy</th><th>Relation</th><th>Similarity</th><th>Containment</th>"
        "<th>Links back</th><th>Canonical link</th><th>Status</th><th></th></tr></thead><tbody>",
        *_copy_rows(cl, texts),
        "</tbody></table></article>",
    ]


def render_html(report: dict[str, Any], texts: PostTexts | None = None, *, max_copies: int = HTML_MAX_COPIES) -> str:
    texts = texts or PostTexts()
    copies = [c for cl in report["clusters"] for c in cl["copies"]]
    ordered = shown_clusters(report["clusters"], max_copies)
    wanted = {texts.canonical.get(cl["id"]) for cl in ordered}
    wanted |= {texts.copies.get((cl["id"], c["url"])) for cl in ordered for c in cl["copies"]}
    # Exact copies share one text: each distinct text is embedded once.
    unique: dict[str, int] = {}
    index = {
        str(pid): unique.setdefault(texts.texts[pid], len(unique))
        for pid in sorted(p for p in wanted if p is not None and p in texts.texts)
    }
    posts = {"texts": list(unique), "post": index}
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CONTENT_SECURITY_POLICY)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        "<title>copyhound report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<header><h1>copyhound report</h1>",
        f'<p class="muted">Generated {_e(report["generated_at"])} · format {_e(report["format"])}</p></header>',
        *_summary(report, copies),
        charts_section(copies, report.get("timeline") or []),
        *_limit_notice(report["clusters"], ordered),
        *_filters([c for cl in ordered for c in cl["copies"]]),
        '<main id="clusters">',
    ]
    for cl in ordered:
        parts.extend(_cluster(cl, texts))
    if not report["clusters"]:
        parts.append('<p id="empty">No duplicates found.</p>')
    parts += [
        "</main>",
        f'<script type="application/json" id="copyhound-posts">{_json_block(posts)}</script>',
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


__all__ = ["PostTexts", "render_html"]
