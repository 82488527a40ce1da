"""`copyhound schema` through the installed CLI prints the packaged schema.
(The schema copy and the import rules: tests/unit/test_layout.py.)"""

from __future__ import annotations

import json

from conftest import ROOT, run_cli


def test_schema_command_prints_the_packaged_schema() -> None:
    proc = run_cli("schema", check=True)
    assert json.loads(proc.stdout) == json.loads((ROOT / "copyhound" / "report.schema.json").read_text())
