"""Real-engine benchmark, small version (issue 14): Hugo's real output for 13 of the benchmark's posts.

Serves bench/realsites/small/site/ on 127.0.0.1 (ephemeral port; ETag/Last-Modified and 304s; `/dir` redirects
to `/dir/`; the query string is ignored, so `?utm_*` URLs are the same page), crawls it with the real
`copyhound` CLI (`--own-domain 127.0.0.1`), re-crawls it unchanged, and scores the JSON report with
bench/realsites/score.py against bench/realsites/small/truth.json (ground truth from the engine's output).

The floors are the issue's targets (all met on this set).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from support.realsites import PLACEHOLDER, SMALL, SmallSiteServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
def _load_score():
    spec = importlib.util.spec_from_file_location("realsites_score", ROOT / "bench" / "realsites" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "copyhound"
    if script.exists():
        return [str(script)]
    found = shutil.which("copyhound")
    return [found] if found else [sys.executable, "-m", "copyhound"]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    score = _load_score()
    srv = SmallSiteServer(SMALL / "site")
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        truth = json.loads((SMALL / "truth.json").read_text().replace(PLACEHOLDER, srv.base))
        post = truth["posts"]["13"]["canonical"]  # a long post: /2024/01/post-13-en/
        seeds = [
            srv.base + "/",
            srv.base + "/index.html",
            srv.base + "/?utm_source=ci&utm_medium=x",
            post + "index.html",
            post + "?utm_campaign=y",
            post.rstrip("/"),
        ]
        db = tmp_path_factory.mktemp("realsites") / "small.db"
        crawl = [
            *_cli(),
            "crawl",
            *seeds,
            "--db",
            str(db),
            "--own-domain",
            "127.0.0.1",
            "--host-concurrency",
            "4",
            "--delay",
            "0",
            "--quiet",
        ]
        first = subprocess.run(crawl, capture_output=True, text=True, timeout=300, check=False)
        assert first.returncode == 0, first.stderr
        n_first = len(srv.log)
        rep = subprocess.run(
            [*_cli(), "report", "--db", str(db), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert rep.returncode == 0, rep.stderr
        second = subprocess.run(crawl, capture_output=True, text=True, timeout=300, check=False)
        assert second.returncode == 0, second.stderr
        res = score.score(json.loads(rep.stdout), truth)
        log1, log2 = srv.log[:n_first], srv.log[n_first:]
        res["first"] = {"requests": len(log1), "bytes": sum(b for _, b, _ in log1)}
        res["recrawl"] = {
            "requests": len(log2),
            "bytes": sum(b for _, b, _ in log2),
            "full": sorted(p for s, _, p in log2 if s == 200),
        }
        print(json.dumps({k: v for k, v in res.items() if k != "problems"}, indent=1))
        print("\n".join(res["problems"][:80]))
        return res
    finally:
        srv.shutdown()
        srv.server_close()


# Floors: the targets, met on this set (2026-12, branch quality: 20+ runs, all 1.0). Japanese counts
# 2 letters a word in the benchmark's truth as in copyhound (the reading-time convention: ~500 CJK characters
# a minute against ~250 English words), so the Japanese post's 189-character summary is an excerpt; the same
# 58-word summary on several listings is a teaser, no cluster of its own (it used to be one, whose canonical
# was whichever listing the crawl saw first).
FLOORS = {
    "pair_precision": 0.99,
    "pair_recall": 0.99,
    "canonical": 0.99,
    "status": 0.99,
    "excerpt_recall": 0.95,
    "full_recall": 0.99,
}
# recrawl_full: nothing (feeds, sitemaps and robots.txt are asked for conditionally too)
CEILINGS = {"teaser_fp": 0, "dup_url_clusters": 0, "recrawl_full": 0}


def test_pairs_found_are_right(result: dict) -> None:
    assert result["pair_precision"] >= FLOORS["pair_precision"]


def test_floors(result: dict) -> None:
    for key, floor in FLOORS.items():
        assert result[key] is not None and result[key] >= floor, (key, result[key], floor)
    assert result["teaser_fp"] <= CEILINGS["teaser_fp"]
    assert result["dup_url_clusters"] <= CEILINGS["dup_url_clusters"]


def test_recrawl_is_conditional(result: dict) -> None:
    # Every page the first crawl downloaded is asked for again conditionally; only the listed files come back in full.
    assert result["recrawl"]["requests"] <= result["first"]["requests"]
    assert len(result["recrawl"]["full"]) <= CEILINGS["recrawl_full"], result["recrawl"]["full"]
    assert result["recrawl"]["bytes"] < result["first"]["bytes"] / 100


@pytest.mark.parametrize("key", ["pair_precision", "pair_recall", "canonical", "status"])
def test_target_099(result: dict, key: str) -> None:
    assert result[key] >= 0.99, (key, result[key])


def test_target_excerpts(result: dict) -> None:
    assert result["excerpt_recall"] >= 0.95


def test_target_no_teaser_copies(result: dict) -> None:
    assert result["teaser_fp"] == 0


def test_target_one_page_two_urls(result: dict) -> None:
    assert result["dup_url_clusters"] == 0


def test_target_full_posts_found(result: dict) -> None:
    assert result["full_recall"] >= 0.999
