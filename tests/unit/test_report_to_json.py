"""`to_json` writes exactly what `json.dumps(report, indent=2, ensure_ascii=False)`
writes (it only routes dicts of plain values through the C encoder)."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from copyhound.report import to_json

_LEAVES: list[Any] = [None, True, False, 0, -3, 1.5, 0.1 + 0.2, 1e300, float("nan"), 12345678901234567890, "",
                      'quote " backslash \\ newline \n sep \u2028 é 日本 nul \x00 tab \t', "https://a.example/p/?q=1"]


def _value(rng: random.Random, depth: int) -> Any:
    r = rng.random()
    if depth > 3 or r < 0.5:
        return rng.choice(_LEAVES)
    if r < 0.75:
        keys = [rng.choice(["k", "é", "a b", "\n", ""]) + str(i) for i in range(rng.randint(0, 4))]
        return {k: _value(rng, depth + 1) for k in keys}
    return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]


@pytest.mark.parametrize("seed", range(5))
def test_to_json_is_json_dumps_indent_2_byte_for_byte(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        report = {"format": "copyhound.report/1", "clusters": _value(rng, 0), "findings": _value(rng, 1)}
        assert to_json(report) == json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def test_a_report_shaped_dict() -> None:
    copy = {"url": "https://b.example/x/", "relation": "near", "similarity": 0.93, "containment": 1.0,
            "canonical_link": None, "robots_noindex": False, "links_to_canonical": True, "status": "noindex",
            "verdict": "kept out of the index"}
    report = {"format": "copyhound.report/1", "pages": 3, "posts": 2, "clusters": [
        {"id": "c1", "own_post": True, "canonical": {"url": "https://a.example/x/", "title": "X", "published": None,
                                                     "reason": "own-domain"}, "copies": [copy, copy]}],
        "findings": []}
    assert to_json(report) == json.dumps(report, indent=2, ensure_ascii=False) + "\n"
