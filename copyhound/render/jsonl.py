"""JSON Lines: one copy a line, with its cluster's id and canonical, so a
million copies stream through `jq`, a database loader or a spreadsheet
import without anyone holding the whole report."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

# (cluster without its copies, one copy) pairs: what every streaming renderer takes.
CopyPair = tuple[dict[str, Any], dict[str, Any]]


def pairs_of(report: dict[str, Any]) -> Iterator[CopyPair]:
    for cl in report["clusters"]:
        for c in cl["copies"]:
            yield cl, c


def jsonl_line(cluster: dict[str, Any], copy: dict[str, Any]) -> str:
    record = {"cluster_id": cluster["id"], "canonical": cluster["canonical"], **copy}
    if "own_post" in cluster:
        record["own_post"] = cluster["own_post"]
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def jsonl_lines(pairs: Iterable[CopyPair]) -> Iterator[str]:
    for cluster, copy in pairs:
        yield jsonl_line(cluster, copy)


__all__ = ["CopyPair", "jsonl_line", "jsonl_lines", "pairs_of"]
