"""Issue #11's rules, checked on the source: SQL only in store/, no function
over 60 lines in any product package."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_FUNCTION_LINES = 60
# A string that starts like an SQL statement, written as SQL is here (upper-case keywords).
_SQL = re.compile(
    r"^\s*(SELECT\b|INSERT (OR \w+ )?INTO\b|UPDATE \w+ SET\b|DELETE FROM\b|CREATE (TEMP |UNIQUE )?(TABLE|INDEX)\b"
    r"|DROP (TABLE|INDEX)\b|ALTER TABLE\b|PRAGMA\b|(BEGIN|COMMIT|ROLLBACK)\s*$|WITH \w+ AS\b)"
)


def _py(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _sql_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        # f-strings too: their literal parts are Constants in the tree
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL.match(node.value):
            found.append(f"{path.name}:{node.lineno}: {node.value[:40]!r}")
    return found


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.parent.name}/{path.name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize("folder", ["copyhound", "crawler", "dedupe"])
def test_no_sql_outside_store(folder: str) -> None:
    found = [hit for path in _py(folder) for hit in _sql_strings(path)]
    assert found == []


def test_the_sql_check_sees_sql(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('q = "SELECT 1"\nn = 3\nr = f"DELETE FROM x WHERE id IN ({n})"\nok = "selected items"\n'
                   'c = "COMMIT"\nd = """Commit the pages stored so far."""\n')
    assert len(_sql_strings(bad)) == 3


@pytest.mark.parametrize("folder", ["store", "copyhound", "crawler", "dedupe"])
def test_no_function_over_60_lines(folder: str) -> None:
    # Migrations are a list of schema steps, exempt by the issue.
    found = [hit for path in _py(folder) if path.name != "migrations.py" for hit in _long_functions(path)]
    assert found == []


def test_the_length_check_sees_long_functions(tmp_path: Path) -> None:
    long = tmp_path / "long.py"
    long.write_text("def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES + "\ndef g():\n    return 1\n")
    assert [h.split()[1] for h in _long_functions(long)] == ["f"]
