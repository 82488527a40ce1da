"""`mypy --strict` passes on store/ (issue #11: typed seams)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy not installed (pip install -e '.[test]')")
def test_store_passes_mypy_strict() -> None:
    proc = subprocess.run(
        [str(ROOT / "scripts" / "typecheck"), "copyhound.store"],
        capture_output=True, text=True, timeout=300, check=False,
        env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success" in proc.stdout
