"""How much of a big report the HTML page shows.

A 45,000-copy report embedded whole was a 259 MB page no browser opens
comfortably. The page lists whole clusters in its own order (your posts,
then those needing most action) until HTML_MAX_COPIES copies, so the copies
that matter come first and each one listed keeps a working compare view; the
summary, charts and findings still count every copy, and the page says what
it left out and where the rest is.
"""

from __future__ import annotations

from typing import Any

from copyhound.report import ACTION_STATUSES

HTML_MAX_COPIES = 5_000
ELSEWHERE = ("copyhound report --format csv", "copyhound report --format jsonl", "copyhound serve")


def _needs_action(cluster: dict[str, Any]) -> int:
    return sum(1 for c in cluster["copies"] if c["status"] in ACTION_STATUSES)


def page_order(clusters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Your posts first, then the clusters with the most copies needing action."""
    return sorted(clusters, key=lambda cl: (not cl.get("own_post"), -_needs_action(cl), -len(cl["copies"]), cl["id"]))


def shown_clusters(clusters: list[dict[str, Any]], limit: int = HTML_MAX_COPIES) -> list[dict[str, Any]]:
    """Whole clusters in page order up to `limit` copies (always at least the first)."""
    shown: list[dict[str, Any]] = []
    total = 0
    for cl in page_order(clusters):
        if shown and total + len(cl["copies"]) > limit:
            break
        shown.append(cl)
        total += len(cl["copies"])
    return shown


__all__ = ["ELSEWHERE", "HTML_MAX_COPIES", "page_order", "shown_clusters"]
