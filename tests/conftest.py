"""Shared test fixtures: the demo sites served on loopback, and the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from copyhound.sites import ServedSite, serve_sites

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITES = ROOT / "fixtures" / "sites"
SHARED = ROOT.parent / "shared"
CLI_TIMEOUT_S = 120


def copyhound_argv() -> list[str]:
    """The installed console script when there is one, so the entry point is tested too."""
    script = Path(sys.executable).parent / "copyhound"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "copyhound.cli"]


def run_cli(*args: str, check: bool = False, timeout: float = CLI_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "160"}
    proc = subprocess.run(
        [*copyhound_argv(), *args], capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"copyhound {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def report_json(db: Path) -> dict:
    proc = run_cli("report", "--db", str(db), "--format", "json", check=True)
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def demo_sites() -> Iterator[dict[str, ServedSite]]:
    with serve_sites(FIXTURE_SITES) as sites:
        yield sites


@pytest.fixture()
def sites_copy(tmp_path: Path) -> Path:
    """A private, editable copy of the fixture sites (for tests that change pages)."""
    dest = tmp_path / "sites"
    shutil.copytree(FIXTURE_SITES, dest)
    return dest


@pytest.fixture(scope="session")
def report_schema() -> dict:
    return json.loads((ROOT / "copyhound" / "report.schema.json").read_text())
