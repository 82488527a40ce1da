"""The extraction worker pool (copyhound/workers.py): results reach the right
caller, payloads far larger than a pipe's buffer flow both ways without
blocking the loop, a task's exception reaches its caller, a dead worker
breaks the pool cleanly, and shutdown is prompt."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from copyhound.workers import BrokenPool, ExtractionPool


def _echo(tag: int, payload: str) -> tuple[int, int, str]:
    return tag, len(payload), payload[::-1]


def _fail(message: str) -> None:
    raise ValueError(message)


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_results_reach_their_callers_with_big_payloads_both_ways() -> None:
    big = "ab" * 400_000  # 800 KB each way: twelve times a pipe's buffer

    async def run(pool: ExtractionPool) -> list[tuple[int, int, str]]:
        return await asyncio.gather(*(pool.run(_echo, n, big[n:]) for n in range(40)))

    with ExtractionPool(2) as pool:
        results = asyncio.run(run(pool))
    assert [(tag, size) for tag, size, _ in results] == [(n, len(big) - n) for n in range(40)]
    assert all(rev == big[n:][::-1] for n, (_, _, rev) in enumerate(results))


def test_work_is_spread_over_the_workers() -> None:
    async def run(pool: ExtractionPool) -> set[int]:
        return set(await asyncio.gather(*(pool.run(_sleep, 0.05) for _ in range(8))))

    with ExtractionPool(2) as pool:
        assert asyncio.run(run(pool)) == set(pool.pids)


def test_a_task_exception_reaches_its_caller_and_the_pool_goes_on() -> None:
    async def run(pool: ExtractionPool) -> int:
        with pytest.raises(ValueError, match="bad page"):
            await pool.run(_fail, "bad page")
        return (await pool.run(_echo, 7, "x"))[0]

    with ExtractionPool(1) as pool:
        assert asyncio.run(run(pool)) == 7


def test_a_dead_worker_breaks_the_pool() -> None:
    async def run(pool: ExtractionPool) -> None:
        waiting = asyncio.ensure_future(pool.run(_sleep, 30))
        await asyncio.sleep(0.2)
        os.kill(pool.pids[0], signal.SIGKILL)
        with pytest.raises(BrokenPool):
            await asyncio.wait_for(waiting, 10)
        with pytest.raises(BrokenPool):
            await pool.run(_echo, 1, "x")

    with ExtractionPool(1) as pool:
        asyncio.run(run(pool))


def test_shutdown_is_prompt_and_reaps_every_worker() -> None:
    pool = ExtractionPool(3)
    asyncio.run(pool.run(_echo, 1, "warm"))
    processes = [w.process for w in pool._workers]
    started = time.monotonic()
    pool.shutdown()
    assert time.monotonic() - started < 2  # workers saw EOF on their task pipes; none was waited out
    assert all(p.exitcode == 0 for p in processes)
