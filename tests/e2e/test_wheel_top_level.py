"""`pip install copyhound` puts one import name in site-packages: `copyhound`.

The repository keeps crawler/, dedupe/ and store/ as top-level folders and maps
them under `copyhound.` with setuptools package-dir; a slip in that mapping
would install a top-level `dedupe` or `store` and shadow PyPI packages of
those names. The wheel is built from a copy of the sources (so no build/ is
left in the checkout) and its RECORD is read.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SOURCES = ("pyproject.toml", "README.md", "copyhound", "crawler", "dedupe", "store")
BUILD_TIMEOUT_S = 300


def _build_wheel(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(path, src / name)
    out = tmp_path / "wheel"
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check", "-w", str(out)]
    # Isolated first (fetches setuptools>=68 from the configured index); without
    # isolation the venv's own setuptools builds it when no index is reachable.
    errors = []
    for extra in ([], ["--no-build-isolation"]):
        proc = subprocess.run([*pip, *extra, str(src)], capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
        wheels = sorted(out.glob("copyhound-*.whl"))
        if proc.returncode == 0 and wheels:
            return wheels[0]
        errors.append(proc.stderr.strip().splitlines()[-1:] or ["(no output)"])
    pytest.fail(f"could not build the wheel: {errors}")


def _record(wheel: Path) -> tuple[list[str], str]:
    with zipfile.ZipFile(wheel) as zf:
        info = next(n.split("/")[0] for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
        record = zf.read(f"{info}/RECORD").decode()
        top_level = zf.read(f"{info}/top_level.txt").decode() if f"{info}/top_level.txt" in zf.namelist() else ""
    return [row[0] for row in csv.reader(io.StringIO(record)) if row], top_level


def test_the_wheel_installs_only_copyhound(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    paths, top_level = _record(wheel)
    tops = {p.split("/")[0] for p in paths if not p.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"copyhound"}, f"top-level names besides copyhound: {sorted(tops - {'copyhound'})}"
    assert top_level.split() in ([], ["copyhound"]), top_level
    # The mapped folders really are inside (an empty wheel would pass the check above).
    for module in ("copyhound/cli.py", "copyhound/crawler/engine.py", "copyhound/dedupe/match/minhash.py",
                   "copyhound/store/signatures.py", "copyhound/report.schema.json"):
        assert module in paths, f"{module} missing from the wheel"
    assert not any(p.endswith(".py") and p.split("/")[0] in {"crawler", "dedupe", "store", "tests"} for p in paths)
