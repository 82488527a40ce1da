"""`copyhound crawl` shows its progress bar on a terminal and nothing of it
when piped or with --quiet (the bar was once never started: RichProgress
only draws between __enter__ and __exit__)."""

from __future__ import annotations

import os
import pty
import select
import time
from pathlib import Path

import pytest

from copyhound.sites import ServedSite

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 120


def _run_on_a_terminal(argv: list[str]) -> tuple[int, str]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI, its stdout and stderr on the terminal
        os.environ["COLUMNS"] = "160"
        os.execv(argv[0], argv)
    out = b""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


def _cli() -> str:
    script = ROOT / ".venv" / "bin" / "copyhound"
    if not script.exists():
        pytest.skip("no installed copyhound script in .venv")
    return str(script)


def test_the_bar_shows_on_a_terminal(demo_sites: dict[str, ServedSite], tmp_path: Path) -> None:
    seed = demo_sites["blog"].base_url + "/"
    code, out = _run_on_a_terminal([_cli(), "crawl", seed, "--db", str(tmp_path / "t.db"), "--delay", "0"])
    assert code == 0, out
    assert "done ·" in out and "queued" in out  # the bar's own columns
    assert "crawl run 1:" in out


def test_quiet_on_a_terminal_shows_nothing(demo_sites: dict[str, ServedSite], tmp_path: Path) -> None:
    seed = demo_sites["blog"].base_url + "/"
    code, out = _run_on_a_terminal([_cli(), "crawl", seed, "--db", str(tmp_path / "t.db"), "--delay", "0", "--quiet"])
    assert code == 0, out
    assert out.strip() == ""
