"""Extraction worker processes driven straight from the crawl's event loop.

`concurrent.futures.ProcessPoolExecutor` runs two helper threads in the crawl
process (one to queue and pickle work, one to collect results) and wakes them
through a pipe on every submit. Measured on a 3,000-page crawl, those threads
and their hand-offs of the GIL took over a second of the crawl process's
core, the one resource the crawl is short of. Here each worker has a task pipe
and a result pipe; the loop writes length-prefixed pickles without blocking
(buffering what the pipe cannot take yet) and reads results from a reader
callback. No thread, no wake-up pipe.

A worker that dies (the OOM killer, a crash in a C library) breaks the pool:
its tasks and every later one raise `BrokenExecutor`, and the caller carries on
in-process (copyhound/stages/page_sink.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import struct
from collections import deque
from collections.abc import Callable
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar, TypeVarTuple, cast

T = TypeVar("T")
Ts = TypeVarTuple("Ts")
_HEADER = struct.Struct("!Q")  # payload length
_READ_CHUNK = 1 << 20
JOIN_TIMEOUT_S = 5.0


class BrokenPool(BrokenExecutor):
    """An extraction worker died; the pool takes no more work."""


def _read_exact(fd: int, n: int) -> bytes | None:
    parts = []
    while n:
        chunk = os.read(fd, min(n, _READ_CHUNK))
        if not chunk:
            return None
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _worker_loop(tasks: Connection, results: Connection, inherited: tuple[int, ...],
                 initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """A worker's life: read a task, run it, write its outcome; until EOF."""
    for fd in inherited:  # a forked worker holding a task pipe's write end would never see its EOF
        with contextlib.suppress(OSError):
            os.close(fd)
    if initializer is not None:
        initializer(*initargs)
    task_fd, result_fd = tasks.fileno(), results.fileno()
    while True:
        header = _read_exact(task_fd, _HEADER.size)
        if header is None:
            return  # the crawl closed the pool (or died)
        payload = _read_exact(task_fd, _HEADER.unpack(header)[0])
        if payload is None:
            return
        fn, args = pickle.loads(payload)
        try:
            outcome = (True, fn(*args))
        except Exception as e:  # the task's own failure goes back to its caller
            outcome = (False, e)
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        _write_all(result_fd, _HEADER.pack(len(data)) + data)


@dataclass(slots=True, eq=False)
class _Worker:
    process: Any
    task_fd: int
    result_fd: int
    waiting: deque[asyncio.Future[Any]] = field(default_factory=deque)  # in task order
    out: bytearray = field(default_factory=bytearray)  # task bytes the pipe has not taken yet
    writing: bool = False  # a writer callback waits for the task pipe to drain
    inbox: bytearray = field(default_factory=bytearray)


class ExtractionPool:
    """`await pool.run(fn, *args)` runs `fn(*args)` in a worker process."""

    def __init__(self, workers: int, *, method: str = "fork",
                 initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> None:
        ctx = multiprocessing.get_context(method)
        self._workers: list[_Worker] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._broken = False
        self._buffer = bytearray(_READ_CHUNK)
        self._view = memoryview(self._buffer)
        try:
            for _ in range(workers):
                task_r, task_w = ctx.Pipe(duplex=False)
                result_r, result_w = ctx.Pipe(duplex=False)
                # the parent's ends a forked child inherits: its own and the earlier workers'
                ours = [task_w.fileno(), result_r.fileno()]
                ours += [fd for w in self._workers for fd in (w.task_fd, w.result_fd)]
                inherited = tuple(ours) if method == "fork" else ()
                process = ctx.Process(target=_worker_loop, daemon=True,
                                      args=(task_r, result_w, inherited, initializer, initargs))
                process.start()
                task_r.close()
                result_w.close()
                # Connections keep their own fd: take ours out so it closes once, by us
                worker = _Worker(process, os.dup(task_w.fileno()), os.dup(result_r.fileno()))
                task_w.close()
                result_r.close()
                os.set_blocking(worker.task_fd, False)
                os.set_blocking(worker.result_fd, False)
                self._workers.append(worker)
        except BaseException:
            self.shutdown()
            raise

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers]

    async def run(self, fn: Callable[[*Ts], T], *args: *Ts) -> T:
        """`fn(*args)` in a worker process (both picklable), awaited from the event loop."""
        if self._broken or not self._workers:
            raise BrokenPool("an extraction worker died")
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._attach(loop)
        worker = min(self._workers, key=lambda w: len(w.waiting))
        data = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        future: asyncio.Future[Any] = loop.create_future()
        worker.waiting.append(future)
        self._send(worker, _HEADER.pack(len(data)) + data)
        return cast(T, await future)  # the worker ran `fn`: its result is a T

    def _attach(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._loop is not None:
            self._detach()
        self._loop = loop
        for worker in self._workers:
            loop.add_reader(worker.result_fd, self._receive, worker)

    def _detach(self) -> None:
        loop, self._loop = self._loop, None
        if loop is None or loop.is_closed():
            return
        for worker in self._workers:
            loop.remove_reader(worker.result_fd)
            loop.remove_writer(worker.task_fd)
            worker.writing = False

    def _send(self, worker: _Worker, data: bytes) -> None:
        idle = not worker.out
        worker.out += data
        if idle:  # else the writer callback is already waiting for the pipe
            self._flush(worker)

    def _flush(self, worker: _Worker) -> None:
        """Write what the task pipe takes now; wait for it to drain for the rest."""
        try:
            sent = os.write(worker.task_fd, worker.out)
        except BlockingIOError:
            sent = 0
        except OSError:  # the worker is gone: its result pipe says so too
            self._break()
            return
        del worker.out[:sent]
        if self._loop is None or worker.writing == bool(worker.out):
            return
        worker.writing = bool(worker.out)
        if worker.writing:
            self._loop.add_writer(worker.task_fd, self._flush, worker)
        else:
            self._loop.remove_writer(worker.task_fd)

    def _receive(self, worker: _Worker) -> None:
        try:
            # into one reused buffer: a fresh 1 MB bytes per read costs an mmap and its page faults
            got = os.readv(worker.result_fd, [self._buffer])
        except BlockingIOError:
            return
        except OSError:
            got = 0
        if not got:  # EOF: the worker died
            self._break()
            return
        inbox = worker.inbox
        inbox += self._view[:got]
        while len(inbox) >= _HEADER.size:
            size = _HEADER.unpack_from(inbox)[0]
            end = _HEADER.size + size
            if len(inbox) < end:
                break
            with memoryview(inbox) as view, view[_HEADER.size:end] as message:
                ok, value = pickle.loads(message)
            del inbox[:end]
            future = worker.waiting.popleft()
            if future.done():  # its caller was cancelled
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def _break(self) -> None:
        """A worker died: fail every task in flight and refuse new ones."""
        self._broken = True
        self._detach()
        for worker in self._workers:
            while worker.waiting:
                future = worker.waiting.popleft()
                if not future.done():
                    future.set_exception(BrokenPool("an extraction worker died"))
            worker.out.clear()

    def shutdown(self) -> None:
        """Close the task pipes (workers exit at EOF), then reap the workers."""
        self._detach()
        for worker in self._workers:
            with contextlib.suppress(OSError):
                os.close(worker.task_fd)
        for worker in self._workers:
            worker.process.join(JOIN_TIMEOUT_S)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(JOIN_TIMEOUT_S)
            with contextlib.suppress(OSError):
                os.close(worker.result_fd)
        self._workers = []

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.shutdown()
