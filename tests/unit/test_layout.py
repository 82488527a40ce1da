"""The package layout rules: imports point one way, the schema copy stays exact."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import ROOT, SHARED

# dedupe is pure: no crawler, no store, no network or database library.
_DEDUPE_BANNED = {
    "copyhound.crawler", "copyhound.store", "copyhound.commands", "copyhound.stages", "copyhound.cli",
    "copyhound.pipeline", "copyhound.render", "httpx", "sqlite_utils", "sqlite3",
}
# crawler and store never reach up into the wiring (copyhound/ itself).
_WIRING = {"copyhound.cli", "copyhound.pipeline", "copyhound.commands", "copyhound.stages", "copyhound.render",
           "copyhound.workers", "copyhound.report"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(_prefixes(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(_prefixes(node.module))
    return found


def _prefixes(module: str) -> str:
    """`copyhound.x.y` → `copyhound.x` (the first-party package), else the top-level name."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "copyhound" and len(parts) > 1 else parts[0]


def _py(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _py("dedupe"), ids=lambda p: str(p.relative_to(ROOT)))
def test_dedupe_imports_neither_crawler_nor_store(path: Path) -> None:
    assert not (_imports(path) & _DEDUPE_BANNED), f"{path.name} imports {_imports(path) & _DEDUPE_BANNED}"


@pytest.mark.parametrize(
    "path",
    [*_py("crawler"), *_py("store")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_only_copyhound_wires_the_packages(path: Path) -> None:
    assert not (_imports(path) & _WIRING)


def test_crawler_does_not_import_store_or_dedupe() -> None:
    for path in _py("crawler"):
        assert not (_imports(path) & {"copyhound.store", "copyhound.dedupe", "sqlite_utils", "sqlite3"}), path


def test_banned_import_is_detected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlite3\nfrom copyhound.store.db import open_db\n")
    assert _imports(bad) & _DEDUPE_BANNED == {"sqlite3", "copyhound.store"}


def test_schema_copy_is_a_compatible_superset_of_the_contract() -> None:
    # The package's schema adds `findings` (issue 16); the contract's stays as
    # written. Every contract property is kept unchanged, and a real report
    # (tests/e2e/test_report_stream.py) validates against both.
    shared = SHARED / "contract" / "report.schema.json"
    if not shared.exists():
        pytest.skip("shared/contract not beside this checkout")
    ours = json.loads((ROOT / "copyhound" / "report.schema.json").read_text())
    contract = json.loads(shared.read_text())
    assert contract.get("additionalProperties", True) is not False
    assert ours["required"] == contract["required"]
    assert {k: ours["properties"][k] for k in contract["properties"]} == contract["properties"]
    def rest(schema: dict) -> dict:
        return {k: v for k, v in schema.items() if k != "properties"}

    assert rest(ours) == rest(contract)


