"""store/group_commit.py on a real SQLite file: groups grow from one page,
a failed page leaves nothing behind, commit makes the group visible."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from copyhound.store import open_db
from copyhound.store.group_commit import GroupCommit


def _visible(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM params WHERE key LIKE 'gc.%'").fetchone()[0])
    finally:
        con.close()


def _write(db: Database, group: GroupCommit, n: int) -> None:
    with group.page():
        db.conn.execute("INSERT INTO params(key, value) VALUES (?, ?)", [f"gc.{n}", "x"])


def test_groups_double_up_to_the_limit_and_only_commit_makes_them_visible(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    db = open_db(path)
    group = GroupCommit(db)
    sizes: list[int] = []
    pending = 0
    for n in range(40):
        assert group.begin() == (pending == 0)
        _write(db, group, n)
        pending += 1
        if group.due(max_pages=8, max_age_s=3600):
            assert _visible(path) == n + 1 - pending  # not yet on disk for other readers
            group.commit()
            assert _visible(path) == n + 1
            sizes.append(pending)
            pending = 0
    assert sizes == [1, 2, 4, 8, 8, 8, 8]


def test_an_old_group_is_due_however_small(tmp_path: Path) -> None:
    db = open_db(tmp_path / "g.db")
    group = GroupCommit(db)
    group.begin()
    _write(db, group, 0)
    group.commit()
    group.begin()
    _write(db, group, 1)  # the second group may hold 2 pages, but is too old already
    assert group.due(max_pages=64, max_age_s=0.0)


def test_a_failed_page_leaves_nothing_and_the_group_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    db = open_db(path)
    group = GroupCommit(db)
    group.begin()
    _write(db, group, 0)
    with pytest.raises(sqlite3.IntegrityError), group.page():
        db.conn.execute("INSERT INTO params(key, value) VALUES ('gc.1', 'x')")
        db.conn.execute("INSERT INTO params(key, value) VALUES ('gc.0', 'again')")  # duplicate key
    assert group.open
    group.commit()
    assert _visible(path) == 1
    group.commit()  # nothing open: a no-op
    assert not group.open
