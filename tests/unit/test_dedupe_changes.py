"""What makes the dedupe stage read a page again (m010): the store's
triggers mark changed pages, a rewrite with equal values marks nothing, an
own domain added re-reads everything, and a database clustered before m010
keeps its signatures (without their MinHash bytes), re-clusters once and
has its texts-as-extracted compressed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database
from support.clustering import add_page, clusters, new_db, prose, run, set_post_text

from copyhound.dedupe.cluster.signing import signature_states
from copyhound.store import open_db
from copyhound.store.migrations import migrations
from copyhound.store.packed_text import unpack_text
from copyhound.store.posts import page_texts


def _dirty(db: Database) -> set[int]:
    return {int(r[0]) for r in db.execute("SELECT page_id FROM dedupe_dirty")}


def test_only_real_changes_mark_a_page(tmp_path: Path) -> None:
    db = new_db(tmp_path)
    a = add_page(db, "http://a.example/p/", [prose(1, 300)], published="2024-01-01")
    b = add_page(db, "http://b.example/copy/", [prose(1, 300)])
    assert _dirty(db) == {a, b}
    run(db)
    assert _dirty(db) == set()
    # a re-crawl answering 304: the row is written again with equal values
    db.execute("UPDATE pages SET fetched_at = '2025-01-01', last_run_id = 2, published = published WHERE id = ?", [a])
    db.execute("UPDATE posts SET text_hash = text_hash WHERE page_id = ?", [b])
    assert _dirty(db) == set()
    assert run(db).signed == 0
    db.execute("UPDATE pages SET canonical_link = 'http://a.example/p/' WHERE id = ?", [b])
    assert _dirty(db) == {b}
    set_post_text(db, a, 0, prose(2, 300))
    assert _dirty(db) == {a, b}
    stats = run(db)
    # a's new text, and b: a owned their old text's index row, b owns it now
    assert stats.signed == 2 and stats.posts == 2 and _dirty(db) == set()


def test_an_own_domain_added_reelects_without_resigning(tmp_path: Path) -> None:
    db = new_db(tmp_path)
    text = prose(3, 300)
    add_page(db, "http://a.example/p/", [text], published="2024-01-01")
    add_page(db, "http://b.example/copy/", [text], published="2023-01-01")
    run(db)
    assert list(clusters(db)) == ["http://b.example/copy/"]  # the earliest published
    stats = run(db, own="a.example")
    assert stats.signed == 0 and list(clusters(db)) == ["http://a.example/p/"]  # the own post wins
    assert run(db, own="a.example").rebuilt == 0


def test_a_database_clustered_before_m010_keeps_its_signatures(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(old, stop_before="m010_dedupe_changes")
    text = prose(5, 300)
    a = add_page(old, "http://a.example/p/", [text], published="2024-01-01")
    add_page(old, "http://b.example/copy/", [text.replace("the", "a", 4)])
    for pid, packed in old.execute("SELECT id, text FROM posts").fetchall():  # plain, as before m011
        old.execute("UPDATE posts SET text = ? WHERE id = ?", [unpack_text(packed), pid])
    old.execute("UPDATE posts SET raw_text = text || ' Share this post.' WHERE page_id = ?", [a])
    rows = old.execute("SELECT id, text, text_hash FROM posts ORDER BY id").fetchall()
    for (pid, _, th), st in zip(rows, signature_states([r[1] for r in rows]), strict=True):
        old.execute("INSERT INTO signatures(post_id, text_hash, minhash, shingles, indexed) VALUES (?, ?, ?, ?, 1)",
                    [pid, th, st.minhash, st.shingles])
        old.execute("INSERT INTO lsh(post_id, band_keys, samples) VALUES (?, ?, ?)",
                    [pid, st.band_keys.astype("<i8").tobytes(), st.samples.astype("<u4").tobytes()])
    old.execute("INSERT INTO cluster_inputs(post_id, text_key, fingerprint) VALUES (?, 'k', 'f')", [rows[0][0]])
    old.conn.close()

    db = open_db(path)
    assert "minhash" not in {c.name for c in db["signatures"].columns}
    assert db.execute("SELECT count(*) FROM signatures").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM cluster_inputs").fetchone()[0] == 0
    (raw,) = db.execute("SELECT raw_text FROM posts WHERE page_id = ?", [a]).fetchone()
    assert isinstance(raw, bytes) and len(raw) < len(text)  # compressed by m010
    assert dict(page_texts(db))["a.example"] == [text + " Share this post."]
    stats = run(db)
    assert stats.signed == 0 and stats.clusters == 1 and stats.verified == 1
    (cluster,) = clusters(db).values()
    assert [c["relation"] for c in cluster["copies"].values()] == ["near"]
    assert db.execute("SELECT page_id FROM cluster_inputs WHERE post_id = ?", [rows[0][0]]).fetchone()[0] == a
