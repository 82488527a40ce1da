"""The package layout rules: imports point one way, the schema copy stays exact."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, run_cli

# dedupe is pure: no crawler, no store, no network or database library.
_DEDUPE_BANNED = {"crawler", "store", "copyhound", "httpx", "sqlite_utils", "sqlite3"}
_NOBODY_IMPORTS = {"copyhound"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "dedupe").glob("*.py")), ids=lambda p: p.name)
def test_dedupe_imports_neither_crawler_nor_store(path: Path) -> None:
    assert not (_imports(path) & _DEDUPE_BANNED), f"{path.name} imports {_imports(path) & _DEDUPE_BANNED}"


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "crawler").glob("*.py"), *(ROOT / "store").glob("*.py")]),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_only_copyhound_wires_the_packages(path: Path) -> None:
    assert not (_imports(path) & _NOBODY_IMPORTS)


def test_banned_import_is_detected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlite3\nfrom store.db import open_db\n")
    assert _imports(bad) & _DEDUPE_BANNED == {"sqlite3", "store"}


def test_schema_copy_equals_the_contract() -> None:
    shared = SHARED / "contract" / "report.schema.json"
    if not shared.exists():
        pytest.skip("shared/contract not beside this checkout")
    ours = json.loads((ROOT / "copyhound" / "report.schema.json").read_text())
    assert ours == json.loads(shared.read_text())


def test_schema_command_prints_the_packaged_schema() -> None:
    proc = run_cli("schema", check=True)
    assert json.loads(proc.stdout) == json.loads((ROOT / "copyhound" / "report.schema.json").read_text())
