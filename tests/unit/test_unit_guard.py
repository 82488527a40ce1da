"""The unit tier's guard (tests/unit/conftest.py) really blocks sockets and
processes, and records the attempt even when the code under test swallows it."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys

import pytest

from unit.conftest import no_sockets_or_processes


def test_the_guard_blocks_sockets_and_processes_and_remembers() -> None:
    before = socket.socket.bind, subprocess.Popen.__init__
    with no_sockets_or_processes() as seen:
        with socket.socket() as s, pytest.raises(OSError, match="tests/e2e"):
            s.bind(("127.0.0.1", 0))
        with pytest.raises(OSError, match="tests/e2e"):
            subprocess.run([sys.executable, "-c", "pass"], check=False)
        with contextlib.suppress(OSError):  # swallowed, as a crawler does with a failed fetch: still recorded
            socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    assert seen == ["socket.bind", "Popen.__init__", "socket.connect"]
    assert (socket.socket.bind, subprocess.Popen.__init__) == before  # restored on the way out


def test_other_threads_are_not_judged() -> None:
    # A leftover e2e server thread may still connect while a unit test runs:
    # only the test's own thread counts.
    import threading

    codes: list[int] = []

    def elsewhere() -> None:
        with socket.socket() as s:
            s.settimeout(0.5)
            codes.append(s.connect_ex(("127.0.0.1", 9)))

    with no_sockets_or_processes() as seen:
        t = threading.Thread(target=elsewhere)
        t.start()
        t.join(5)
    assert seen == [] and len(codes) == 1
