"""Politeness per host: bounded concurrency, a minimum gap between request
starts, and adaptive back-off.

Each host (host:port, i.e. one server) gets a `HostGate`: a semaphore of
`host_concurrency` slots and the time the next request may start. The gap is
`max(delay_s, Crawl-delay)` times a back-off factor that doubles on 429/503
or when the host slows down sharply, and decays back to 1 on healthy answers.
Many hosts are served in parallel; nothing is global but the gates dict
(one small entry per host seen).
"""

from __future__ import annotations

import asyncio
import time
from types import TracebackType

from copyhound.crawler.types import CrawlConfig

__all__ = ["HostGate", "Politeness"]

MAX_BACKOFF = 16.0  # at most 16× the configured gap
BACKOFF_FLOOR_S = 0.1  # with delay 0, a penalised host still gets this gap × back-off
SLOW_FACTOR = 4.0  # a response this many times slower than the host's average...
SLOW_MIN_S = 2.0  # ...and at least this slow counts as "the host slows down"
_EWMA_ALPHA = 0.2


class HostGate:
    __slots__ = ("backoff", "crawl_delay_s", "ewma_s", "next_at", "sem")

    def __init__(self, concurrency: int) -> None:
        self.sem = asyncio.Semaphore(concurrency)
        self.next_at = 0.0
        self.crawl_delay_s = 0.0
        self.backoff = 1.0
        self.ewma_s: float | None = None


class _Slot:
    __slots__ = ("_gate", "_pol")

    def __init__(self, pol: Politeness, gate: HostGate) -> None:
        self._pol = pol
        self._gate = gate

    async def __aenter__(self) -> None:
        gate = self._gate
        await gate.sem.acquire()
        try:
            gap = self._pol.gap_s(gate)
            now = time.monotonic()
            start = max(now, gate.next_at)
            gate.next_at = start + gap
            if start > now:
                await asyncio.sleep(start - now)
        except BaseException:
            gate.sem.release()
            raise

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._gate.sem.release()


class Politeness:
    def __init__(self, config: CrawlConfig) -> None:
        self.config = config
        self._gates: dict[str, HostGate] = {}

    def gate(self, hostport: str) -> HostGate:
        g = self._gates.get(hostport)
        if g is None:
            g = self._gates[hostport] = HostGate(max(1, self.config.host_concurrency))
        return g

    def slot(self, hostport: str) -> _Slot:
        """`async with politeness.slot(host):` around one request."""
        return _Slot(self, self.gate(hostport))

    def gap_s(self, gate: HostGate) -> float:
        base = max(self.config.delay_s, gate.crawl_delay_s)
        if gate.backoff > 1.0:
            return max(base, BACKOFF_FLOOR_S) * gate.backoff
        return base

    def set_crawl_delay(self, hostport: str, seconds: float | None) -> None:
        if seconds:
            self.gate(hostport).crawl_delay_s = min(float(seconds), self.config.max_crawl_delay_s)

    def penalize(self, hostport: str, retry_after_s: float | None = None) -> None:
        """A 429/503 (or a sharp slow-down): widen the gap; honour Retry-After."""
        g = self.gate(hostport)
        g.backoff = min(MAX_BACKOFF, g.backoff * 2.0)
        if retry_after_s:
            g.next_at = max(g.next_at, time.monotonic() + min(retry_after_s, self.config.max_retry_after_s))

    def observe(self, hostport: str, elapsed_s: float, ok: bool) -> None:
        """Feed a response time back: slow-downs widen the gap, healthy answers narrow it."""
        g = self.gate(hostport)
        if g.ewma_s is not None and elapsed_s > SLOW_MIN_S and elapsed_s > SLOW_FACTOR * g.ewma_s:
            g.backoff = min(MAX_BACKOFF, g.backoff * 1.5)
        elif ok and g.backoff > 1.0:
            g.backoff = max(1.0, g.backoff * 0.8)
            if g.backoff < 1.05:
                g.backoff = 1.0
        g.ewma_s = elapsed_s if g.ewma_s is None else (1 - _EWMA_ALPHA) * g.ewma_s + _EWMA_ALPHA * elapsed_s
