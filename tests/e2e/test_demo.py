"""README command 1's main job: `copyhound demo` serves the fixture sites from
threads in its own process (so its extraction pool cannot fork) and reports."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURE_SITES, run_cli


def test_demo_serves_crawls_and_reports(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    proc = run_cli("demo", "--fixtures", str(FIXTURE_SITES), "--db", str(db), "--format", "json", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    titles = sorted(c["canonical"]["title"] for c in report["clusters"])
    assert len(titles) == 3 and "Never Try to Up Sell an Unhappy Customer" in titles
    assert all(c["canonical"]["reason"] == "own-domain" for c in report["clusters"])


def test_demo_table_is_plain_text_when_piped(tmp_path: Path) -> None:
    proc = run_cli("demo", "--fixtures", str(FIXTURE_SITES), "--db", str(tmp_path / "d.db"), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "missing-canonical" in proc.stdout and "\x1b[" not in proc.stdout


def test_a_dead_extraction_pool_does_not_fail_the_crawl() -> None:
    import asyncio
    import os
    import signal

    from copyhound.crawler.types import FetchResult
    from copyhound.stages.page_sink import StoreSink
    from copyhound.workers import ExtractionPool

    html = "<html><body><article><h1>T</h1><p>" + "word " * 80 + "</p></article></body></html>"
    res = FetchResult(url="http://x.test/", final_url="http://x.test/", depth=0, status=200,
                      body=html.encode(), text=html)
    with ExtractionPool(1) as pool:
        sink = StoreSink(None, None, 1, executor=pool)  # type: ignore[arg-type]
        assert asyncio.run(sink.parse(res)).payload is not None and sink._executor is pool
        os.kill(pool.pids[0], signal.SIGKILL)  # the OOM killer
        pool._workers[0].process.join(5)
        parsed = asyncio.run(sink.parse(res))
    assert parsed.payload is not None and sink._executor is None
