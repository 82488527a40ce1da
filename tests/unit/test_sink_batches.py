"""The crawl's group commit (copyhound/stages/page_sink.py, store/group_commit.py): pages land in batches, each
with its frontier update, and a batch is committed when it is full (batches
grow from one page), when it is a quarter of a second old (even while the
crawl waits), and when the crawl ends; a page that fails to store leaves
nothing of itself behind."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from copyhound.crawler.types import FetchResult, FrontierItem
from copyhound.stages import page_sink as sink_module
from copyhound.stages.page_sink import StoreSink
from copyhound.store import open_db
from copyhound.store.frontier import SqliteFrontier
from copyhound.store.runs import start_run

HTML = "<html><body><article><h1>T{n}</h1><p>" + "word{n} " * 60 + "</p></article></body></html>"


def _setup(tmp_path: Path) -> tuple[Path, StoreSink]:
    path = tmp_path / "c.db"
    db = open_db(path)
    run = start_run(db, ["http://x.test/"], {})
    frontier = SqliteFrontier(db, run.id)
    with db.atomic():
        frontier.add([FrontierItem(url=f"http://x.test/{n}", depth=0, source="seed") for n in range(200)])
    return path, StoreSink(db, frontier, run.id)


def _result(n: int) -> FetchResult:
    html = HTML.replace("{n}", str(n))
    return FetchResult(url=f"http://x.test/{n}", final_url=f"http://x.test/{n}", depth=0, status=200,
                       body=html.encode(), text=html, content_type="text/html")


def _committed(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM pages").fetchone()[0])
    finally:
        con.close()


async def _store(sink: StoreSink, numbers: range) -> None:
    for n in numbers:
        res = _result(n)
        sink.commit(res, await sink.parse(res), ())


def test_a_full_batch_is_committed_and_the_rest_waits_for_the_timer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sink_module, "BATCH_AGE_S", 0.75)  # room for a slow machine to commit ~200 pages
    path, sink = _setup(tmp_path)

    # groups of 1, 2, 4 ... BATCH_PAGES pages, then BATCH_PAGES at a time
    sizes = [1]
    while sizes[-1] < sink_module.BATCH_PAGES:
        sizes.append(min(2 * sizes[-1], sink_module.BATCH_PAGES))
    sizes.append(sink_module.BATCH_PAGES)
    total = sum(sizes)

    async def crawl() -> tuple[int, int]:
        results = [_result(n) for n in range(total + 3)]
        parsed = [await sink.parse(r) for r in results]  # parsed first: the commits alone fit in the timer
        for res, page in zip(results, parsed, strict=True):
            sink.commit(res, page, ())
        seen_at_once = _committed(path)
        await asyncio.sleep(sink_module.BATCH_AGE_S * 2)  # the crawl waits on a slow host: the timer commits
        return seen_at_once, _committed(path)

    at_once, later = asyncio.run(crawl())
    assert at_once == total
    assert later == total + 3


def test_the_pipeline_flush_commits_the_last_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sink_module, "BATCH_AGE_S", 60.0)  # however slow the machine, no timer fires
    path, sink = _setup(tmp_path)
    asyncio.run(_store(sink, range(5)))
    assert _committed(path) == 3  # groups of 1 and 2; the next group (4) is still open
    sink.flush()
    assert _committed(path) == 5
    sink.flush()  # idempotent


def test_a_page_that_fails_to_store_leaves_its_batch_intact(tmp_path: Path) -> None:
    path, sink = _setup(tmp_path)

    async def crawl() -> None:
        await _store(sink, range(3))
        bad = _result(3)
        parsed = await sink.parse(bad)
        frontier = sink._frontier
        original = frontier.mark

        def broken_mark(url: str, state: object) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        frontier.mark = broken_mark  # type: ignore[method-assign]
        with pytest.raises(sqlite3.OperationalError):
            sink.commit(bad, parsed, ())
        frontier.mark = original  # type: ignore[method-assign]
        await _store(sink, range(4, 6))

    asyncio.run(crawl())
    sink.flush()
    con = sqlite3.connect(path)
    urls = {u for (u,) in con.execute("SELECT url FROM pages")}
    assert urls == {f"http://x.test/{n}" for n in (0, 1, 2, 4, 5)}
