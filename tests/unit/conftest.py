"""The unit tier stays pure: a test here that opens a socket or starts a
process fails, naming what it did, so it moves to tests/e2e instead of
slowing the fast tier down (`./scripts/test --fast`).

The guard covers each test's setup, call and teardown: a fixture that starts
a server is caught as well. A blocked call raises `OSError` (so code under
test takes its usual error path), and the test fails afterwards even when
that code swallowed the error, as the crawler does with failed fetches.
"""

from __future__ import annotations

import multiprocessing.process
import os
import socket
import subprocess
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_HERE = Path(__file__).parent

# (owner, attribute): every way a unit test could reach the network or
# another process. bind covers servers, connect/connect_ex clients (asyncio's
# too); Popen covers subprocess.run and asyncio subprocesses; fork, spawn and
# Process.start cover multiprocessing and process pools.
_GUARDED: tuple[tuple[object, str], ...] = (
    (socket.socket, "bind"),
    (socket.socket, "connect"),
    (socket.socket, "connect_ex"),
    (subprocess.Popen, "__init__"),
    (os, "fork"),
    (os, "posix_spawn"),
    (os, "posix_spawnp"),
    (multiprocessing.process.BaseProcess, "start"),
)


def _blocker(what: str, seen: list[str], original: Callable[..., object], test_thread: int) -> Callable[..., object]:
    def blocked(*args: object, **kwargs: object) -> object:
        # Only the test's own thread is judged: in a whole-suite run an e2e
        # test's leftover server or pool thread may still connect while a
        # unit test runs, and that call is not the unit test's.
        if threading.get_ident() != test_thread:
            return original(*args, **kwargs)
        seen.append(what)
        raise OSError(f"unit tests may not call {what}: this test belongs in tests/e2e")

    return blocked


@contextmanager
def no_sockets_or_processes() -> Iterator[list[str]]:
    """Block socket and process creation; yields the list of blocked calls."""
    seen: list[str] = []
    saved = [(owner, name, getattr(owner, name)) for owner, name in _GUARDED if hasattr(owner, name)]
    test_thread = threading.get_ident()
    for owner, name, original in saved:
        label = f"{getattr(owner, '__name__', owner)}.{name}"
        setattr(owner, name, _blocker(label, seen, original, test_thread))
    try:
        yield seen
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def _guarded(item: pytest.Item) -> Generator[None, object, object]:
    with no_sockets_or_processes() as seen:
        try:
            result = yield
        finally:
            blocked = sorted(set(seen))
    if blocked:
        pytest.fail(f"{item.nodeid}: a unit test called {', '.join(blocked)}; move it to tests/e2e", pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
    if nextitem is None:  # the session's last teardown also closes e2e session fixtures (servers)
        return (yield)
    return (yield from _guarded(item))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.unit)
