"""The streamed copies (csv, jsonl) come in the JSON report's order without
a sort of every copy before the first row: clusters by canonical URL then id,
copies by URL, read through the (cluster_id, url) primary key."""

from __future__ import annotations

import random
from pathlib import Path

from copyhound.store import open_db, stream
from copyhound.store import reports as store_reports


def _fill(path: Path) -> None:
    rng = random.Random(5)
    db = open_db(path)
    clusters, members = [], []
    for i in range(60):
        # canonical URLs in another order than ids, and two clusters sharing one URL
        url = f"https://h{rng.randrange(5)}.example/{rng.randrange(1000)}/" if i != 7 else clusters[3]["canonical_url"]
        clusters.append({"id": f"c{rng.randrange(10**6):06d}-{i}", "canonical_post_id": i, "canonical_page_id": i,
                         "canonical_url": url, "title": f"T{i}", "published": None, "reason": "earliest-seen"})
    rng.shuffle(clusters)
    for cl in clusters[:-3]:  # the last three have no copies
        for j in rng.sample(range(100), rng.randint(1, 6)):
            members.append({"cluster_id": cl["id"], "post_id": j, "page_id": j, "url": f"https://c{j}.example/p/",
                            "relation": "exact", "similarity": 1.0, "containment": 1.0, "canonical_link": None,
                            "robots_noindex": 0, "links_to_canonical": 0, "status": "missing-canonical"})
    rng.shuffle(members)
    db["clusters"].insert_all(clusters)
    db["cluster_members"].insert_all(members)
    db.conn.close()


def test_streamed_order_is_the_reports_order(tmp_path: Path) -> None:
    _fill(tmp_path / "s.db")
    db = open_db(tmp_path / "s.db", create=False)
    got = [(cl.canonical_url, cl.id, c.url, cl.title) for cl, c in stream.iter_copies(db)]
    expected = [(cl.canonical_url, cl.id, c.url, cl.title) for cl in store_reports.clusters(db) for c in cl.copies]
    assert got == expected
    assert got == sorted(got)  # canonical URL, cluster id, copy URL
    assert len(got) == db.execute("SELECT count(*) FROM cluster_members").fetchone()[0]


def test_copies_are_read_from_the_primary_key_without_a_sort(tmp_path: Path) -> None:
    _fill(tmp_path / "s.db")
    db = open_db(tmp_path / "s.db", create=False)
    plan = " ".join(str(row[-1]) for row in db.execute("EXPLAIN QUERY PLAN " + stream._COPIES_SQL, ("x",)))
    assert "TEMP B-TREE" not in plan and "INDEX" in plan, plan
