"""The scalable dedupe stage (packed index, per-band sorts, incremental
probes) gives the answers of the obvious algorithm: every pair of distinct
texts verified exactly, clusters built from all of them at once. Checked on
a small set made by bench/dedupe_scale.py's generator (originals, exact and
near copies on other hosts, tag archives), after a first run and after a
re-run that adds exact copies, near copies and new texts; and a re-run ends
where a full run on the same posts does."""

from __future__ import annotations

import importlib.util
import sqlite3
from itertools import combinations
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from sqlite_utils import Database

from copyhound.dedupe.cluster.build import build_clusters
from copyhound.dedupe.cluster.region import worth_keeping
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.dedupe.match.shingles import shingle_hashes_batch
from copyhound.dedupe.match.similarity import Overlap, overlap
from copyhound.dedupe.match.text import text_hash
from copyhound.stages import cluster_pass
from copyhound.stages.cluster_pass import update_clusters
from copyhound.store import open_db
from copyhound.store import posts as post_store
from copyhound.store.packed_text import pack_text, unpack_text

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
POSTS = 600


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dedupe_scale", ROOT / "bench" / "dedupe_scale.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _run(path: Path) -> cluster_pass.ClusterStats:
    db = open_db(path)
    try:
        return update_clusters(db, run_id=None, is_own_url=lambda u: "site1." in u)
    finally:
        db.conn.close()


def _stored(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], set[tuple[str, str]]]:
    con = sqlite3.connect(path)
    try:
        clusters = sorted(con.execute("SELECT id, canonical_post_id, reason FROM clusters").fetchall())
        members = sorted(con.execute("SELECT cluster_id, post_id, relation, status, round(similarity, 6), "
                                     "round(containment, 6) FROM cluster_members").fetchall())
        matches = {(a, b) for a, b in con.execute("SELECT a_key, b_key FROM matches")}
    finally:
        con.close()
    return clusters, members, matches


def _oracle(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], set[tuple[str, str]]]:
    """Every pair of distinct live texts verified; clusters built over all."""
    db = open_db(path)
    try:
        live = post_store.live_posts(db, min_words=DEFAULT_PARAMS.min_post_words)
        first: dict[str, int] = {}
        for r in live:
            first.setdefault(r.text_hash, r.post_id)
        texts = post_store.texts(db, list(first.values()))
    finally:
        db.conn.close()
    keys = sorted(first)
    h, off = shingle_hashes_batch([texts[first[k]] for k in keys], DEFAULT_PARAMS.shingle_size)
    sh = [np.unique(h[off[i] : off[i + 1]]) for i in range(len(keys))]
    overlaps: dict[tuple[str, str], Overlap] = {}
    for i, j in combinations(range(len(keys)), 2):
        o = overlap(sh[i], sh[j])
        if worth_keeping(o, DEFAULT_PARAMS):
            overlaps[(keys[i], keys[j])] = o
    linked = {k for pair in overlaps for k in pair}
    per_text: dict[str, int] = {}
    for r in live:
        per_text[r.text_hash] = per_text.get(r.text_hash, 0) + 1
    involved = linked | {k for k, n in per_text.items() if n > 1}
    records = [cluster_pass._record(r, lambda u: "site1." in u) for r in live if r.text_hash in involved]
    built = build_clusters(records, {r.post_id: r.text_hash for r in live}, overlaps, DEFAULT_PARAMS)
    clusters = sorted((c.id, c.canonical_post_id, c.reason) for c in built)
    members = sorted((c.id, cp.post_id, cp.relation, cp.status, round(cp.similarity, 6), round(cp.containment, 6))
                     for c in built for cp in c.copies)
    return clusters, members, set(overlaps)


def _add_near_copies(path: Path, n: int) -> None:
    """Pages holding existing posts with every 15th word changed: new texts
    that only the probe of the stored index can match."""
    db: Database = open_db(path)
    rows = db.execute("SELECT text FROM posts ORDER BY id DESC LIMIT ?", [n]).fetchall()
    start = db.execute("SELECT max(id) FROM pages").fetchone()[0] + 1
    with db.atomic():
        for k, (packed,) in enumerate(rows):
            words = unpack_text(packed).split(" ")
            edited = " ".join("changed" if i % 15 == 7 else w for i, w in enumerate(words))
            url = f"http://nearnew.example/{k}/"
            db.conn.execute("INSERT INTO pages(id, url, final_url, host, status, first_seen, body_hash) "
                            "VALUES (?,?,?,?,200,'2024-07-01T00:00:00Z','x')", (start + k, url, url, "nearnew.example"))
            db.conn.execute("INSERT INTO posts(page_id, ordinal, kind, text, text_hash, words, links) "
                            "VALUES (?,0,'post',?,?,?,'[]')", (start + k, edited, text_hash(edited), len(words)))
    db.conn.close()


def _wipe_dedupe_state(path: Path) -> None:
    con = sqlite3.connect(path)
    with con:
        for table in ("signatures", "lsh", "matches", "cluster_inputs", "cluster_members", "clusters"):
            con.execute(f"DELETE FROM {table}")
    con.close()


def test_first_run_and_rerun_match_the_all_pairs_answer(tmp_path: Path) -> None:
    bench = _bench()
    path = tmp_path / "gen.db"
    bench.generate(path, POSTS)
    first = _run(path)
    clusters, members, matches = _stored(path)
    assert (clusters, members, matches) == _oracle(path)
    assert first.clusters > 50 and first.copies > first.clusters and first.verified > 20  # a real workload

    bench.add_new(path, 20)  # exact copies of stored posts, and new texts
    _add_near_copies(path, 15)
    again = _run(path)
    assert again.signed == 35 and again.verified >= 10  # only the new posts; their near copies found
    after = _stored(path)
    assert after == _oracle(path)

    _wipe_dedupe_state(path)
    full = _run(path)
    assert full.signed == again.posts
    assert _stored(path) == after  # the incremental state is the full run's


def _edit_posts(path: Path) -> None:
    """A re-crawl's worth of every kind of change: texts rewritten (one into a
    copy of another post), posts and whole pages deleted, a page gone, facts
    of pages changed (canonical link, noindex, date), and a page stored again
    under a second URL (an alias: one page, not a copy)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    with con:
        ids = [r[0] for r in con.execute("SELECT id FROM posts ORDER BY id")]
        for pid in ids[5:40:7]:  # rewritten: every 9th word changed
            text = unpack_text(con.execute("SELECT text FROM posts WHERE id = ?", [pid]).fetchone()[0])
            edited = " ".join("rewritten" if i % 9 == 4 else w for i, w in enumerate(text.split(" ")))
            con.execute("UPDATE posts SET text = ?, text_hash = ?, words = ? WHERE id = ?",
                        [pack_text(edited), text_hash(edited), len(edited.split()), pid])
        src = unpack_text(con.execute("SELECT text FROM posts WHERE id = ?", [ids[3]]).fetchone()[0])
        con.execute("UPDATE posts SET text = ?, text_hash = ?, words = ? WHERE id = ?",
                    [pack_text(src), text_hash(src), len(src.split()), ids[50]])
        con.execute("DELETE FROM posts WHERE id IN (?, ?, ?)", [ids[60], ids[61], ids[-3]])
        pages = [r[0] for r in con.execute("SELECT id FROM pages ORDER BY id")]
        con.execute("DELETE FROM pages WHERE id IN (?, ?)", [pages[70], pages[-5]])
        con.execute("UPDATE pages SET gone = 1 WHERE id = ?", [pages[80]])
        con.execute("UPDATE pages SET canonical_link = url, robots_noindex = 1 WHERE id IN (?, ?)",
                    [pages[90], pages[-8]])
        con.execute("UPDATE pages SET published = '2020-01-01' WHERE id = ?", [pages[-9]])
        url, host, body = con.execute("SELECT url, host, body_hash FROM pages WHERE id = ?", [pages[100]]).fetchone()
        alias = url + "index.html"
        cur = con.execute("INSERT INTO pages(url, final_url, host, status, first_seen, body_hash) "
                          "VALUES (?, ?, ?, 200, '2024-08-01T00:00:00Z', ?)", [alias, alias, host, body])
        for ordinal, title, text, th, words in con.execute(
                "SELECT ordinal, title, text, text_hash, words FROM posts WHERE page_id = ?", [pages[100]]).fetchall():
            con.execute("INSERT INTO posts(page_id, ordinal, kind, title, text, text_hash, words, links) "
                        "VALUES (?, ?, 'post', ?, ?, ?, ?, '[]')", [cur.lastrowid, ordinal, title, text, th, words])
    con.close()


def test_rerun_after_changes_and_deletions_ends_where_a_full_run_does(tmp_path: Path) -> None:
    bench = _bench()
    path = tmp_path / "gen.db"
    bench.generate(path, POSTS)
    _run(path)
    _edit_posts(path)
    again = _run(path)
    assert 0 < again.signed < 20 and again.dropped > 0  # only what changed was read
    after = _stored(path)
    assert after == _oracle(path)

    nothing = _run(path)
    assert (nothing.signed, nothing.dropped, nothing.candidates, nothing.rebuilt) == (0, 0, 0, 0)
    assert _stored(path) == after

    _wipe_dedupe_state(path)
    _run(path)
    assert _stored(path) == after  # the incremental state is the full run's
