"""A database deduped before the packed index (m009): its per-key `bands`
and `samples` rows are deleted, its signatures are re-signed once by the next run,
and its verified matches stay, so only new texts are compared again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database
from support.clustering import add_page, clusters, prose, run

from copyhound.store import open_db
from copyhound.store.migrations import migrations


def _tables(db: Database) -> set[str]:
    return set(db.table_names())


def test_old_index_rows_are_deleted_and_the_next_run_resigns_but_keeps_matches(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path, isolation_level=None))
    old.enable_wal()
    migrations.apply(old, stop_before="m009_packed_lsh_rows")
    text = prose(5, 300)
    a = add_page(old, "http://a.example/p/", [text], published="2024-01-01")
    add_page(old, "http://b.example/copy/", [text.replace("the", "a", 4)])
    post = old.execute("SELECT id FROM posts WHERE page_id = ?", [a]).fetchone()[0]
    # what the old version left: a signature with its key rows, and a verified match
    old.execute("INSERT INTO signatures(post_id, text_hash, minhash, shingles) VALUES (?, 'h', x'00', 1)", [post])
    old.execute("INSERT INTO bands(band_key, post_id) VALUES (1, ?)", [post])
    old.execute("INSERT INTO samples(hash, post_id) VALUES (8, ?)", [post])
    old.execute("INSERT INTO matches(a_key, b_key, jaccard, a_in_b, b_in_a, shared) VALUES ('x', 'y', 1, 1, 1, 9)")
    old.conn.close()

    db = open_db(path)
    assert "lsh" in _tables(db)
    assert [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("bands", "samples")] == [0, 0]
    assert db.execute("SELECT count(*) FROM signatures").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM matches").fetchone()[0] == 1  # derived from texts: kept
    stats = run(db)
    assert stats.signed == 2 and stats.clusters == 1
    assert db.execute("SELECT count(*) FROM lsh").fetchone()[0] == 2
    (cluster,) = clusters(db).values()
    assert [c["relation"] for c in cluster["copies"].values()] == ["near"]
