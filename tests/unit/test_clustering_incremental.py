"""Re-runs: only new or changed posts are signed and compared, only touched
clusters are rebuilt, dead pages leave their clusters, snapshots per run."""

from __future__ import annotations

from pathlib import Path

from support.clustering import add_page, clusters, new_db, prose, run, set_post_text

A = "http://a.example"
B = "http://b.example"
POSTS = [prose(100 + i, 300) for i in range(4)]


def _base(tmp_path: Path):
    db = new_db(tmp_path)
    ids = {}
    for i, text in enumerate(POSTS):
        ids[f"a{i}"] = add_page(db, f"{A}/p{i}/", [text], published=f"2024-01-0{i + 1}")
        ids[f"b{i}"] = add_page(db, f"{B}/copy{i}/", [text])
    return db, ids


def _members(db) -> dict[str, dict[str, str]]:
    return {u: {cu: c["relation"] + "/" + c["status"] for cu, c in cl["copies"].items()}
            for u, cl in clusters(db).items()}


def test_second_run_without_changes_does_nothing(tmp_path: Path) -> None:
    db, _ = _base(tmp_path)
    first = run(db, own="a.example")
    assert (first.signed, first.clusters, first.rebuilt) == (8, 4, 4)
    before = _members(db)
    again = run(db, own="a.example")
    assert (again.signed, again.candidates, again.rebuilt, again.clusters) == (0, 0, 0, 4)
    assert _members(db) == before


def test_a_new_copy_is_signed_alone_and_joins_its_cluster(tmp_path: Path) -> None:
    db, _ = _base(tmp_path)
    run(db, own="a.example")
    add_page(db, "http://c.example/new/", [POSTS[2]], canonical_link=f"{A}/p2/")
    stats = run(db, own="a.example")
    assert stats.signed == 1 and stats.rebuilt == 1
    assert _members(db)[f"{A}/p2/"] == {f"{B}/copy2/": "exact/missing-canonical",
                                         "http://c.example/new/": "exact/canonical-ok"}


def test_a_changed_post_is_resigned_and_reclustered(tmp_path: Path) -> None:
    db, ids = _base(tmp_path)
    run(db, own="a.example")
    set_post_text(db, ids["b1"], 0, prose(999, 300))  # the copy now holds something else
    edited = POSTS[3].replace("the", "a", 5)
    set_post_text(db, ids["b3"], 0, edited)
    stats = run(db, own="a.example")
    assert stats.signed == 2
    m = _members(db)
    assert f"{A}/p1/" not in m
    assert m[f"{A}/p3/"] == {f"{B}/copy3/": "near/missing-canonical"}
    assert stats.clusters == 3


def test_dead_pages_leave_their_clusters(tmp_path: Path) -> None:
    db, ids = _base(tmp_path)
    run(db, own="a.example")
    db.execute("UPDATE pages SET gone = 1 WHERE id = ?", [ids["b0"]])
    db.execute("UPDATE pages SET status = 500 WHERE id = ?", [ids["a1"]])
    stats = run(db, own="a.example")
    m = _members(db)
    assert f"{A}/p0/" not in m  # its only copy is gone
    # the original of post 1 failed: the copy is now alone
    assert all(f"{A}/p1/" not in cl for cl in m.values()) and f"{B}/copy1/" not in m
    assert stats.dropped == 2 and stats.clusters == 2
    assert db.execute("SELECT count(*) FROM signatures").fetchone()[0] == 6


def test_page_metadata_change_updates_status_without_resigning(tmp_path: Path) -> None:
    db, ids = _base(tmp_path)
    run(db, own="a.example")
    db.execute("UPDATE pages SET canonical_link = ? WHERE id = ?", [f"{A}/p0/", ids["b0"]])
    stats = run(db, own="a.example")
    assert stats.signed == 0 and stats.rebuilt == 1
    assert _members(db)[f"{A}/p0/"] == {f"{B}/copy0/": "exact/canonical-ok"}


def test_own_domain_change_reelects(tmp_path: Path) -> None:
    db, _ = _base(tmp_path)
    run(db, own="a.example")
    assert set(_members(db)) == {f"{A}/p{i}/" for i in range(4)}
    stats = run(db, own="b.example")
    assert stats.signed == 0
    assert set(_members(db)) == {f"{B}/copy{i}/" for i in range(4)}
    assert {c["reason"] for c in clusters(db).values()} == {"own-domain"}


def test_run_snapshot_is_kept_per_run(tmp_path: Path) -> None:
    db, ids = _base(tmp_path)
    run(db, own="a.example", run_id=1)
    db.execute("UPDATE pages SET gone = 1 WHERE id = ?", [ids["b0"]])
    run(db, own="a.example", run_id=2)
    per_run = dict(db.execute("SELECT run_id, count(*) FROM run_copies GROUP BY run_id").fetchall())
    assert per_run == {1: 4, 2: 3}


def test_changed_thresholds_recompute_matches_instead_of_refusing(tmp_path: Path) -> None:
    from dataclasses import replace

    from copyhound.dedupe.match.params import DEFAULT_PARAMS
    from copyhound.stages.cluster_pass import update_clusters

    db, _ = _base(tmp_path)
    run(db, own="a.example")
    stricter = replace(DEFAULT_PARAMS, near_threshold=0.6)
    stats = update_clusters(db, run_id=None, is_own_url=lambda u: "a.example" in u, params=stricter)
    assert stats.signed == 0 and stats.rebuilt == 4 and stats.clusters == 4
    assert db.execute("SELECT value FROM params WHERE key = 'match.near_threshold'").fetchone()[0] == "0.6"
