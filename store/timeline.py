"""Copies per finished run, for the HTML report's chart over time."""

from __future__ import annotations

from sqlite_utils import Database


def copies_per_run(db: Database, *, limit: int = 60) -> list[tuple[int, str, int]]:
    """(run id, finished at, copies the run reported) for the last `limit` finished runs, oldest first."""
    rows = db.execute(
        "SELECT r.id, r.finished_at, (SELECT count(*) FROM run_copies c WHERE c.run_id = r.id) "
        "FROM runs r WHERE r.state = 'finished' ORDER BY r.id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [(int(i), str(f or ""), int(n)) for i, f, n in reversed(rows)]


__all__ = ["copies_per_run"]
