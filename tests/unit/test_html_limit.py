"""A big report's HTML page lists whole clusters up to a cap, most urgent
first, says so plainly with where the rest is, and embeds texts only for
the copies it lists (each of which keeps its compare view)."""

from __future__ import annotations

import json
import re
from typing import Any

from copyhound.render.html import PostTexts, render_html
from copyhound.render.html_limit import ELSEWHERE, shown_clusters

STATUSES = ("canonical-ok", "missing-canonical")


def _report(clusters: int, per: int) -> tuple[dict[str, Any], PostTexts]:
    out, canon, copies, texts = [], {}, {}, {}
    for i in range(clusters):
        cid = f"c{i:04d}"
        canon[cid] = 10_000 + i
        texts[10_000 + i] = f"canonical text number {i} " * 20
        members = []
        for j in range(per):
            url = f"https://copy{j}.example/{i}/"
            # Every fifth cluster has copies needing action: those come first.
            status = STATUSES[1] if i % 5 == 4 else STATUSES[0]
            members.append({"url": url, "status": status, "relation": "exact", "similarity": 1.0,
                            "containment": 1.0, "links_to_canonical": False, "canonical_link": None,
                            "robots_noindex": False, "verdict": "v"})
            copies[(cid, url)] = i * per + j
            texts[i * per + j] = texts[10_000 + i]
        out.append({"id": cid, "canonical": {"url": f"https://blog.example/{i}/", "title": f"T{i}",
                                             "reason": "own-domain", "published": None}, "copies": members})
    report = {"clusters": out, "pages": 1, "posts": 1, "generated_at": "2025-01-01T00:00:00Z", "format": "1"}
    return report, PostTexts(canonical=canon, copies=copies, texts=texts)


def _posts_block(html: str) -> dict[str, Any]:
    block = re.search(r'<script type="application/json" id="copyhound-posts">(.*?)</script>', html, re.S)
    assert block
    return json.loads(block.group(1))


def test_shown_clusters_are_whole_and_most_urgent_first() -> None:
    report, _ = _report(50, 10)
    shown = shown_clusters(report["clusters"], 95)
    assert len(shown) == 9  # whole clusters: a tenth would pass 95 copies
    assert [cl["id"] for cl in shown] == [f"c{i:04d}" for i in range(4, 50, 5)][:9]
    assert shown_clusters(report["clusters"], 3)[0]["id"] == "c0004"  # at least one, even over the cap


def test_a_big_report_lists_part_and_says_where_the_rest_is() -> None:
    report, texts = _report(50, 10)
    html = render_html(report, texts, max_copies=100)
    assert html.count('<tr class="copy"') == 100
    notice = re.search(r'<p id="partial"[^>]*>(.*?)</p>', html, re.S)
    assert notice and "100 of 500 copies" in notice.group(1) and "10 of 50 clusters" in notice.group(1)
    assert all(where in notice.group(1) for where in ELSEWHERE)
    posts = _posts_block(html)
    # Exact copies share their canonical's text: ten listed clusters, ten texts, each row resolvable.
    assert len(posts["texts"]) == 10
    for canon_post, copy_post in re.findall(r'data-canon-post="(\d+)" data-copy-post="(\d+)"', html):
        assert posts["texts"][posts["post"][canon_post]] == posts["texts"][posts["post"][copy_post]]
    assert 'id="partial"' not in render_html(report, texts, max_copies=500)
