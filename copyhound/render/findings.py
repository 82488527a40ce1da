"""Findings by pattern: when many copies needing action share a cause, one
finding says so, with the fix in one sentence, and the rows fold under it.

Tried on a real WordPress blog, 331 copies needing action carried nearly
the same advice (a theme showing full posts on every archive). Two causes
cover most rows: archive URL patterns on one host (category, tag, author,
date and paginated archives, the home page), and a host whose copies all
lack (or misuse) a canonical link. Pure: over the report dict.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from copyhound.report import ACTION_STATUSES

MIN_COPIES = 2  # a pattern needs at least this many copies to be a finding

_ARCHIVES = (
    (re.compile(r"/category/[^/]+/?"), "/category/*/"),
    (re.compile(r"/tag/[^/]+/?"), "/tag/*/"),
    (re.compile(r"/author/[^/]+/?"), "/author/*/"),
    (re.compile(r"/page/\d+/?"), "/page/N/"),
    (re.compile(r"^/\d{4}/(\d{1,2}/)?(\d{1,2}/)?$"), "/YYYY/MM/ (date archives)"),
    (re.compile(r"^/?$"), "/ (home page)"),
)
ARCHIVE_FIX = "your archives show full posts: show excerpts there or noindex them"
_HOST_FIX = {
    "missing-canonical": "{host} never sets a canonical link: ask it to add rel=canonical pointing to your post",
    "self-canonical": "{host} declares its copies canonical: ask it to point rel=canonical to your post",
    "canonical-elsewhere": "{host}'s canonical links point to third URLs: ask it to point them to your post",
}


def archive_pattern(path: str) -> str | None:
    for rx, label in _ARCHIVES:
        if rx.search(path):
            return label
    return None


def findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], list[str]] = {}
    for cl in report["clusters"]:
        for c in cl["copies"]:
            if c["status"] not in ACTION_STATUSES:
                continue
            parts = urlsplit(c["url"])
            host = (parts.hostname or "").lower()
            pattern = archive_pattern(parts.path) if c["relation"] in ("contains", "excerpt") else None
            key = ("archive", host, pattern) if pattern else ("host", host, c["status"])
            groups.setdefault(key, []).append(c["url"])
    out = []
    for (kind, host, what), urls in groups.items():
        if len(urls) < MIN_COPIES:
            continue
        fix = ARCHIVE_FIX if kind == "archive" else _HOST_FIX[what].format(host=host)
        out.append({"kind": kind, "host": host, "pattern": what if kind == "archive" else None,
                    "status": None if kind == "archive" else what, "copies": len(urls), "fix": fix,
                    "urls": sorted(set(urls))})
    return sorted(out, key=lambda f: (-f["copies"], f["host"], f["pattern"] or f["status"] or ""))


__all__ = ["ARCHIVE_FIX", "MIN_COPIES", "archive_pattern", "findings"]
