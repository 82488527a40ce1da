"""The hand-filled report databases (tests/support/report_data.py) hold what
the report, diff and fail-on tests expect."""

from __future__ import annotations

from pathlib import Path

from support.report_data import two_run_db


def test_two_run_db_holds_both_snapshots(tmp_path: Path) -> None:
    db = two_run_db(tmp_path / "x.db")
    counts = dict(db.execute("SELECT run_id, count(*) FROM run_copies GROUP BY run_id").fetchall())
    assert counts == {1: 3, 2: 4}
