"""GroupCommit pages without a savepoint (archive input): a failed page
rolls its whole group back, so nothing half-written is ever committed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from copyhound.store import open_db
from copyhound.store.group_commit import GroupCommit


def _keys(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT key FROM params WHERE key LIKE 'gc.%' ORDER BY key")]
    finally:
        con.close()


def test_a_failed_unguarded_page_rolls_the_group_back(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    db = open_db(path)
    group = GroupCommit(db)
    group.begin()
    with group.page(savepoint=False):
        db.conn.execute("INSERT INTO params(key, value) VALUES ('gc.0', 'x')")
    group.commit()
    group.begin()
    with group.page(savepoint=False):
        db.conn.execute("INSERT INTO params(key, value) VALUES ('gc.1', 'x')")
    with pytest.raises(sqlite3.IntegrityError), group.page(savepoint=False):
        db.conn.execute("INSERT INTO params(key, value) VALUES ('gc.2', 'x')")  # half a page...
        db.conn.execute("INSERT INTO params(key, value) VALUES ('gc.0', 'again')")  # ...then it fails
    assert not group.open  # the group is gone, the committed one stays
    group.commit()  # what a caller's flush does next: nothing to commit
    assert _keys(path) == ["gc.0"]
    assert group.begin()  # and the next group starts afresh
    with group.page(savepoint=False):
        db.conn.execute("INSERT INTO params(key, value) VALUES ('gc.3', 'x')")
    group.commit()
    assert _keys(path) == ["gc.0", "gc.3"]
