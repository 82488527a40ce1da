"""The syndication corpus end to end: real servers on loopback (headers
included), the real CLI, the report scored against the corpus truth."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _scorer():
    spec = importlib.util.spec_from_file_location("syndication_score", ROOT / "bench" / "syndication_score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("own_domain", [False, True])
def test_syndication_corpus_scores(own_domain: bool, tmp_path: Path) -> None:
    argv = [sys.executable, str(ROOT / "bench" / "syndication_score.py"), "--json", "--db", str(tmp_path / "s.db")]
    proc = subprocess.run(argv + (["--own-domain"] if own_domain else []), capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode in (0, 2), proc.stderr
    result = json.loads(proc.stdout)
    for key in ("pair_precision", "pair_recall", "canonical_right", "status_right"):
        assert result[key] >= 0.97, (key, result["problems"])
    assert result["predicted_clusters"] == result["true_clusters"]


def test_score_counts_archive_pairs_in_each_cluster() -> None:
    score = _scorer().score
    bases = {"o": "http://o", "x": "http://x"}
    truth = {"clusters": [{"canonical": "o:/a/", "copies": {"o:/tag/": {"relation": "contains", "status": "ok"}}},
                          {"canonical": "o:/b/", "copies": {"o:/tag/": {"relation": "contains", "status": "ok"}}}]}
    merged = {"clusters": [{"canonical": {"url": "http://o/a/", "reason": "own-domain"},
                            "copies": [{"url": u, "relation": "contains", "status": "ok"}
                                       for u in ("http://o/tag/", "http://o/b/")]}]}
    r = score(merged, truth, bases)
    # merging the two posts makes the false pair a ~ b
    assert r["pair_recall"] == 1.0 and r["pair_precision"] == round(2 / 3, 4)
