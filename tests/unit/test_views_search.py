"""Migrations m006-m007: the views and full-text search, on a new database and on
one an older copyhound wrote (which gains them, its posts searchable)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from copyhound.serve_metadata import HIDDEN_TABLES, serve_metadata
from copyhound.store import open_db
from copyhound.store.migrations import migrations
from copyhound.store.packed_text import pack_text, unpack_text
from copyhound.store.search import refresh_post_search, search_posts
from copyhound.store.views import VIEWS


def _seed(db: Database) -> None:
    db["runs"].insert({"id": 1, "started_at": "2025-01-01T00:00:00Z", "state": "finished", "seeds": "[]"})
    for pid, (url, host) in enumerate([("http://me.test/p/", "me.test"), ("http://copy.test/x", "copy.test"),
                                       ("http://me.test/tag/a/", "me.test")], start=1):
        db["pages"].insert({"id": pid, "url": url, "host": host, "first_seen": "2025-01-01T00:00:00Z"})
        db["posts"].insert({"id": pid, "page_id": pid, "ordinal": 0, "title": "Upselling unhappy customers",
                            "text": f"never try to up-sell an unhappy customer {pid}", "text_hash": f"h{pid}",
                            "words": 8})
    db["clusters"].insert({"id": "c1", "canonical_post_id": 1, "canonical_page_id": 1,
                           "canonical_url": "http://me.test/p/", "title": "Upselling", "reason": "own-domain"})
    for pid, url, status, sim in ((2, "http://copy.test/x", "missing-canonical", 0.9),
                                  (3, "http://me.test/tag/a/", "canonical-ok", 0.4)):
        db["cluster_members"].insert({"cluster_id": "c1", "post_id": pid, "page_id": pid, "url": url,
                                      "relation": "near", "similarity": sim, "containment": 1.0,
                                      "robots_noindex": 0, "links_to_canonical": 0, "status": status})
        db["run_copies"].insert({"run_id": 1, "cluster_id": "c1", "canonical_url": "http://me.test/p/", "url": url,
                                 "relation": "near", "status": status, "similarity": sim})


def test_an_older_database_gains_views_and_search(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(old, stop_before="m006_views_and_search")
    _seed(old)
    old.conn.close()
    db = open_db(path, create=False)
    assert set(VIEWS) <= set(db.view_names())
    rows = list(db.query("SELECT * FROM copies ORDER BY similarity DESC"))
    assert [(r["copy_url"], r["host"], r["needs_action"], r["first_seen_run"]) for r in rows] == [
        ("http://copy.test/x", "copy.test", 1, 1), ("http://me.test/tag/a/", "me.test", 0, 1)]
    summary = list(db.query("SELECT * FROM cluster_summary"))
    assert [(s["copies"], s["needing_action"], s["hosts"]) for s in summary] == [(2, 1, 2)]
    # Posts stored before the migration are searchable once the index is refreshed (serve does)...
    assert refresh_post_search(db) == 3
    assert len(search_posts(db, "unhappy customer")) == 3
    # ...and a changed text is forgotten by the run's refresh, which indexes the new one.
    db.execute("UPDATE posts SET text = ? WHERE id = 2", [pack_text("a completely different dinosaur text")])
    assert search_posts(db, "dinosaur") == []
    assert refresh_post_search(db) == 1
    assert len(search_posts(db, "unhappy customer")) == 2
    assert [r["id"] for r in search_posts(db, "dinosaur")] == [2]
    db.execute("INSERT INTO posts_fts(posts_fts) VALUES('integrity-check')")  # raises when the index is off


def _index_pages(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM posts_fts_data").fetchone()[0])


def test_storing_posts_leaves_the_index_alone_until_the_run_ends(tmp_path: Path) -> None:
    db = open_db(tmp_path / "new.db")
    _seed(db)
    before = _index_pages(db)
    assert search_posts(db, "unhappy customer") == []  # stored in the crawl's hot path: not indexed yet
    assert _index_pages(db) == before
    assert refresh_post_search(db) == 3
    assert refresh_post_search(db) == 0  # only posts stored or changed since the last refresh
    db.execute("UPDATE posts SET title = 'Same text, new title' WHERE id = 3")
    db.execute("UPDATE posts SET words = 9 WHERE id = 1")  # neither title nor text: stays indexed
    db.execute("DELETE FROM posts WHERE id = 2")
    assert refresh_post_search(db) == 1
    assert sorted(r["id"] for r in search_posts(db, "unhappy customer")) == [1, 3]
    assert [r["id"] for r in search_posts(db, "new title")] == [3]
    db.execute("INSERT INTO posts_fts(posts_fts) VALUES('integrity-check')")  # raises when the index is off


def test_metadata_describes_every_view_column(tmp_path: Path) -> None:
    db = open_db(tmp_path / "new.db")
    tables = serve_metadata("new")["databases"]["new"]["tables"]
    for view in VIEWS:
        columns = [c.name for c in db[view].columns]
        assert set(columns) == set(tables[view]["columns"]), view
    for name in HIDDEN_TABLES:
        assert name in db.table_names() and tables[name]["hidden"]


def test_m011_packs_the_texts_under_a_contentless_index(tmp_path: Path) -> None:
    path = tmp_path / "m010.db"
    old = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(old, stop_before="m011_packed_post_texts")
    _seed(old)
    assert refresh_post_search(old) == 3  # the external-content index of m006, over plain texts
    old.conn.close()
    db = open_db(path, create=False)
    stored = [r[0] for r in db.execute("SELECT text FROM posts ORDER BY id")]
    assert all(isinstance(t, bytes) for t in stored)
    assert [unpack_text(t) for t in stored] == [f"never try to up-sell an unhappy customer {i}" for i in (1, 2, 3)]
    assert "content=''" in db.execute("SELECT sql FROM sqlite_master WHERE name = 'posts_fts'").fetchone()[0]
    assert refresh_post_search(db) == 3
    db.execute("UPDATE posts SET text = ? WHERE id = 1", [pack_text("dinosaurs wrote this one")])
    db.execute("UPDATE posts SET title = 'twice changed' WHERE id = 1")  # the queue keeps what was indexed
    db.execute("DELETE FROM posts WHERE id = 3")
    assert db.execute("SELECT count(*) FROM posts_search_forget").fetchone()[0] == 2
    assert refresh_post_search(db) == 1
    assert [r["id"] for r in search_posts(db, "unhappy customer")] == [2]
    assert [r["id"] for r in search_posts(db, "dinosaurs")] == [1]
    assert search_posts(db, "upselling") == [{"id": 2, "page_id": 2, "title": "Upselling unhappy customers"}]
    db.execute("INSERT INTO posts_fts(posts_fts) VALUES('integrity-check')")  # raises when the index is off
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM posts_search_forget").fetchone()[0] == 0
