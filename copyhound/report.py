"""The report: stored clusters turned into the contract's JSON shape.

Pure over what `store.reports` reads; the renderers in `copyhound/render/`
turn the same dict into JSON, a terminal table, CSV or HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any, get_args

from sqlite_utils import Database

from copyhound.dedupe.types import Relation, Status
from copyhound.hosts import url_on_hosts
from copyhound.store import reports as store_reports
from copyhound.store.reports import StoredCopy

REPORT_FORMAT = "copyhound.report/1"
# The contract's values, in its order, from the Literals the clusters are typed with.
STATUSES: tuple[str, ...] = get_args(Status)
RELATIONS: tuple[str, ...] = get_args(Relation)
# The statuses that need the site owner's action, worst first.
ACTION_STATUSES = ("missing-canonical", "self-canonical", "canonical-elsewhere")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportFilter:
    statuses: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    min_similarity: float = 0.0

    def keeps(self, copy: dict[str, Any]) -> bool:
        if self.statuses and copy["status"] not in self.statuses:
            return False
        if self.relations and copy["relation"] not in self.relations:
            return False
        if self.hosts and not url_on_hosts(copy["url"], self.hosts):
            return False
        return copy["similarity"] >= self.min_similarity


def schema_text() -> str:
    return resources.files("copyhound").joinpath("report.schema.json").read_text(encoding="utf-8")


def build_report(db: Database, filters: ReportFilter | None = None) -> dict[str, Any]:
    """The contract report of everything stored, copies narrowed by `filters`."""
    filters = filters or ReportFilter()
    clusters = []
    for cluster in store_reports.clusters(db):
        copies = [c for c in map(copy_dict, cluster.copies) if filters.keeps(c)]
        if copies:
            clusters.append({
                "id": cluster.id,
                "canonical": {"url": cluster.canonical_url, "title": cluster.title, "published": cluster.published,
                              "reason": cluster.reason},
                "copies": copies,
            })
    n = store_reports.counts(db)
    return {
        "format": REPORT_FORMAT,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "pages": n["pages"],
        "posts": n["posts"],
        "clusters": clusters,
    }


def copy_dict(c: StoredCopy) -> dict[str, Any]:
    """A copy as the JSON report has it (before its verdict)."""
    return {"url": c.url, "relation": c.relation, "similarity": c.similarity, "containment": c.containment,
            "canonical_link": c.canonical_link, "robots_noindex": c.robots_noindex,
            "links_to_canonical": c.links_to_canonical, "status": c.status}


def to_json(report: dict[str, Any]) -> str:
    """`json.dumps(report, indent=2, ensure_ascii=False)`, byte for byte, 4x
    faster: with `indent` json runs its pure-Python encoder over every value
    (32 of 50 s of a 10^5-copy report); here each dict of plain values (a copy,
    a canonical) goes through the C encoder with the indentation as its item
    separator, and only the nesting above them is walked in Python."""
    out: list[str] = []
    _indented(report, 0, out)
    out.append("\n")
    return "".join(out)


_SCALARS = (str, int, float, bool, type(None))


def _indented(value: Any, level: int, out: list[str]) -> None:
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, dict) and value:
        if all(isinstance(v, _SCALARS) for v in value.values()):
            # a control character is always escaped inside JSON strings, so the
            # separator's newline can only come from the separator itself
            body = json.dumps(value, ensure_ascii=False, separators=("," + inner, ": "))
            out.append("{" + inner + body[1:-1] + "\n" + "  " * level + "}")
            return
        out.append("{")
        for i, (k, v) in enumerate(value.items()):
            out.append(("," if i else "") + inner + json.dumps(str(k), ensure_ascii=False) + ": ")
            _indented(v, level + 1, out)
        out.append("\n" + "  " * level + "}")
    elif isinstance(value, list) and value:
        out.append("[")
        for i, v in enumerate(value):
            out.append(("," if i else "") + inner)
            _indented(v, level + 1, out)
        out.append("\n" + "  " * level + "]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))
