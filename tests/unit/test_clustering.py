"""update_clusters on real SQLite files: the seed case and its variations,
with page and post rows inserted directly (no crawl)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.clustering import add_page, clusters, new_db, prose, run

BLOG = "http://blog.example"
PARTNER = "http://partner.example"
SCRAPER = "http://scraper.example"

UPSELL = prose(1, 380)
CUSTOMER = prose(2, 260)
DINOSAUR = prose(3, 240)


def _teaser(text: str) -> str:
    return " ".join(text.split()[:25])


def seed_db(tmp_path: Path):
    """The seed blog: three single-post pages, a tag archive holding the three
    posts (segmented), a home page of teasers, a partner copy with a canonical
    link back, a scraper copy without one."""
    db = new_db(tmp_path)
    add_page(db, f"{BLOG}/upsell/", [{"text": UPSELL, "title": "Never Try to Up Sell"}],
             canonical_link=f"{BLOG}/upsell/", published="2024-03-01")
    add_page(db, f"{BLOG}/customer/", [CUSTOMER], canonical_link=f"{BLOG}/customer/", published="2024-02-01")
    add_page(db, f"{BLOG}/dinosaur/", [DINOSAUR], canonical_link=f"{BLOG}/dinosaur/", published="2024-01-01")
    add_page(db, f"{BLOG}/tag/customers/", [UPSELL, CUSTOMER, DINOSAUR], canonical_link=f"{BLOG}/tag/customers/")
    add_page(db, f"{BLOG}/", [{"text": _teaser(t), "kind": "teaser"} for t in (UPSELL, CUSTOMER, DINOSAUR)])
    add_page(db, f"{PARTNER}/republished/upsell/", [{"text": UPSELL, "links": [f"{BLOG}/upsell/"]}],
             canonical_link=f"{BLOG}/upsell/", first_seen="2024-05-01T09:00:00Z")
    add_page(db, f"{SCRAPER}/copy/", [UPSELL], published="2024-02-15")
    return db


def test_seed_case_clusters(tmp_path: Path) -> None:
    db = seed_db(tmp_path)
    stats = run(db, own="blog.example")
    found = clusters(db)
    assert set(found) == {f"{BLOG}/upsell/", f"{BLOG}/customer/", f"{BLOG}/dinosaur/"}
    upsell = found[f"{BLOG}/upsell/"]
    assert upsell["reason"] == "own-domain"
    copies = upsell["copies"]
    assert set(copies) == {f"{BLOG}/tag/customers/", f"{PARTNER}/republished/upsell/", f"{SCRAPER}/copy/"}
    assert copies[f"{BLOG}/tag/customers/"]["relation"] == "contains"
    assert copies[f"{BLOG}/tag/customers/"]["containment"] == 1.0
    assert copies[f"{BLOG}/tag/customers/"]["status"] == "self-canonical"
    partner = copies[f"{PARTNER}/republished/upsell/"]
    assert (partner["relation"], partner["status"], partner["links_to_canonical"]) == ("exact", "canonical-ok", True)
    scraper = copies[f"{SCRAPER}/copy/"]
    assert (scraper["relation"], scraper["status"]) == ("exact", "missing-canonical")
    for other in (f"{BLOG}/customer/", f"{BLOG}/dinosaur/"):
        assert set(found[other]["copies"]) == {f"{BLOG}/tag/customers/"}
        assert found[other]["copies"][f"{BLOG}/tag/customers/"]["relation"] == "contains"
    assert stats.clusters == 3 and stats.copies == 5
    # the home page of teasers is a copy of nothing
    assert all(f"{BLOG}/" not in c["copies"] for c in found.values())


def test_without_own_domain_the_election_uses_declared_canonicals(tmp_path: Path) -> None:
    db = seed_db(tmp_path)
    run(db)
    found = clusters(db)
    # the scraper is dated earlier, but the partner's rel=canonical names the blog post
    assert found[f"{BLOG}/upsell/"]["reason"] == "declared-canonical"
    # no votes for the other two: the archive is not a candidate, the single page is the only one
    assert found[f"{BLOG}/customer/"]["reason"] == "earliest-published"


def test_cluster_ids_are_stable_across_runs(tmp_path: Path) -> None:
    db = seed_db(tmp_path)
    run(db, own="blog.example")
    first = {u: c["id"] for u, c in clusters(db).items()}
    stats = run(db, own="blog.example")
    assert stats.signed == 0  # nothing changed: nothing re-signed
    assert {u: c["id"] for u, c in clusters(db).items()} == first


def test_unsegmented_archive_is_found_by_containment(tmp_path: Path) -> None:
    """Segmentation failed: the archive is one post holding all three (whole-text
    Jaccard with each ~0.3): still a `contains` copy in three clusters."""
    db = new_db(tmp_path)
    add_page(db, f"{BLOG}/upsell/", [UPSELL], published="2024-03-01")
    add_page(db, f"{BLOG}/customer/", [CUSTOMER], published="2024-02-01")
    add_page(db, f"{BLOG}/dinosaur/", [DINOSAUR], published="2024-01-01")
    add_page(db, f"{BLOG}/tag/customers/", ["\n\n".join([UPSELL, CUSTOMER, DINOSAUR])])
    run(db, own="blog.example")
    found = clusters(db)
    assert set(found) == {f"{BLOG}/upsell/", f"{BLOG}/customer/", f"{BLOG}/dinosaur/"}
    for c in found.values():
        (copy,) = c["copies"].values()
        assert copy["relation"] == "contains" and copy["containment"] >= 0.9
        assert copy["similarity"] < 0.5


def test_params_mismatch_is_refused(tmp_path: Path) -> None:
    from copyhound.store import ParamsMismatch

    db = seed_db(tmp_path)
    run(db)
    db.execute("UPDATE params SET value = '64' WHERE key = 'minhash.num_perm'")
    with pytest.raises(ParamsMismatch, match=r"num_perm=64.*num_perm=128"):
        run(db)


SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not present")
def test_real_seed_pair_when_segmentation_failed(tmp_path: Path) -> None:
    """The seed archive as one unsegmented post still contains the seed post."""
    archive = (SEEDS / "000_6d40842e5a37c858.txt").read_text(encoding="utf-8")
    lines = archive.splitlines()
    post = "\n".join(lines[4:29])  # "But I'm Not Wrong!" ... "Image Credit"
    assert post.startswith("But I") and "Snodgrass" in post
    db = new_db(tmp_path)
    add_page(db, f"{BLOG}/upsell/", [post], published="2013-05-14")
    add_page(db, f"{BLOG}/tag/customers/", ["\n".join(lines[2:])])
    run(db, own="blog.example")
    copies = clusters(db)[f"{BLOG}/upsell/"]["copies"]
    archive_copy = copies[f"{BLOG}/tag/customers/"]
    assert archive_copy["relation"] == "contains" and archive_copy["containment"] >= 0.9
    assert archive_copy["similarity"] < 0.5
