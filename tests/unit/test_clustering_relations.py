"""Relations found through the whole dedupe stage: edited copies, excerpts,
teasers, shared quotations, no chaining."""

from __future__ import annotations

import random
from pathlib import Path

from support.clustering import add_page, clusters, new_db, prose, run

ORIGIN = "http://origin.example"
OTHER = "http://other.example"
POST = prose(10, 600)


def _words(text: str) -> list[str]:
    return text.split()


def _edit(text: str, rate: float, seed: int) -> str:
    """Change `rate` of the words at random positions."""
    w = _words(text)
    rng = random.Random(seed)
    for i in rng.sample(range(len(w)), int(len(w) * rate)):
        w[i] = f"edit{i}"
    return " ".join(w)


def _one_cluster(db) -> dict:
    found = clusters(db)
    assert list(found) == [f"{ORIGIN}/post/"], found
    return found[f"{ORIGIN}/post/"]["copies"]


def test_syndicated_edits_still_match_as_near(tmp_path: Path) -> None:
    db = new_db(tmp_path)
    add_page(db, f"{ORIGIN}/post/", [POST], published="2024-01-02")
    paragraphs = POST.split("\n\n")
    note = "Editor's note: this article first appeared on the author's own blog and is republished with permission."
    bio = "About the author: a consultant who writes about customers, sales and small business every week."
    variants = {
        "note": note + "\n\n" + POST,
        "bio": POST + "\n\n" + bio,
        "dropped-last": "\n\n".join(paragraphs[:-1]),
        "edited-3pc": _edit(POST, 0.03, 1),
        "edited-5pc": _edit(POST, 0.05, 2),
        "all-at-once": note + "\n\n" + _edit("\n\n".join(paragraphs[:-1]), 0.02, 3) + "\n\n" + bio,
    }
    for name, text in variants.items():
        add_page(db, f"{OTHER}/{name}/", [{"text": text, "title": "A changed title"}], published="2024-02-01")
    run(db, own="origin.example")
    copies = _one_cluster(db)
    assert set(copies) == {f"{OTHER}/{n}/" for n in variants}
    for name in variants:
        c = copies[f"{OTHER}/{name}/"]
        assert c["relation"] == "near", (name, c)
        assert 0.5 <= c["similarity"] < 1.0


def test_excerpt_and_teaser(tmp_path: Path) -> None:
    db = new_db(tmp_path)
    add_page(db, f"{ORIGIN}/post/", [POST], published="2024-01-02")
    first_40pc = " ".join(_words(POST)[:240])
    add_page(db, f"{OTHER}/excerpt/", [first_40pc + " Continue reading on the origin site."])
    add_page(db, f"{OTHER}/teaser/", [" ".join(_words(POST)[:45]) + " Read more."])
    # a listing page (segmented) showing the first third of the post among other items
    add_page(db, f"{OTHER}/listing/", [" ".join(_words(POST)[:200]), prose(11, 200), prose(12, 200)])
    run(db, own="origin.example")
    copies = _one_cluster(db)
    assert set(copies) == {f"{OTHER}/excerpt/", f"{OTHER}/listing/"}
    ex = copies[f"{OTHER}/excerpt/"]
    assert ex["relation"] == "excerpt" and 0.35 <= ex["containment"] <= 0.45
    assert copies[f"{OTHER}/listing/"]["relation"] == "excerpt"


def test_shared_quotation_is_not_a_copy(tmp_path: Path) -> None:
    db = new_db(tmp_path)
    quote = " ".join(_words(prose(20, 130)))
    a = prose(21, 500) + "\n\n" + quote + "\n\n" + prose(22, 200)
    b = prose(23, 300) + "\n\n" + quote + "\n\n" + prose(24, 400)
    add_page(db, f"{ORIGIN}/a/", [a])
    add_page(db, f"{OTHER}/b/", [b])
    stats = run(db, own="origin.example")
    assert clusters(db) == {}
    assert stats.candidates >= 1  # they were compared, and rejected


def test_no_chaining_through_a_middle_copy(tmp_path: Path) -> None:
    """B shares 70% with A, C shares 70% with B but only ~45% with A: C must not
    join A's cluster through B."""
    db = new_db(tmp_path)
    w = _words(POST)
    n = len(w)
    b = " ".join(_words(prose(30, n * 3 // 10)) + w[n * 3 // 10 :])
    bw = b.split()
    c = " ".join(bw[: n * 7 // 10] + _words(prose(31, n - n * 7 // 10)))
    add_page(db, f"{ORIGIN}/post/", [POST], published="2024-01-01")
    add_page(db, f"{OTHER}/b/", [b], published="2024-01-02")
    add_page(db, f"{OTHER}/c/", [c], published="2024-01-03")
    run(db, own="origin.example")
    found = clusters(db)
    assert set(found[f"{ORIGIN}/post/"]["copies"]) == {f"{OTHER}/b/"}
    assert all(f"{OTHER}/c/" not in cl["copies"] or url != f"{ORIGIN}/post/" for url, cl in found.items())


def test_statuses_in_contract_order(tmp_path: Path) -> None:
    db = new_db(tmp_path)
    add_page(db, f"{ORIGIN}/post/", [POST], canonical_link=f"{ORIGIN}/post/")
    add_page(db, f"{OTHER}/ok/", [POST], canonical_link="HTTP://ORIGIN.example:80/post", robots_noindex=1)
    add_page(db, f"{OTHER}/noindex/", [POST], canonical_link=f"{OTHER}/noindex/", robots_noindex=1)
    add_page(db, f"{OTHER}/self/", [POST], canonical_link=f"{OTHER}/self")
    add_page(db, f"{OTHER}/elsewhere/", [POST], canonical_link="http://third.example/x")
    add_page(db, f"{OTHER}/missing/", [POST])
    run(db, own="origin.example")
    copies = _one_cluster(db)
    assert {u.rsplit("/", 2)[1]: c["status"] for u, c in copies.items()} == {
        "ok": "canonical-ok", "noindex": "noindex", "self": "self-canonical",
        "elsewhere": "canonical-elsewhere", "missing": "missing-canonical",
    }


def test_scraper_dated_earlier_pointing_at_the_original(tmp_path: Path) -> None:
    db = new_db(tmp_path)
    add_page(db, f"{ORIGIN}/post/", [POST], published="2024-03-01", canonical_link=f"{ORIGIN}/post/")
    add_page(db, f"{OTHER}/scraped/", [POST], published="2023-12-31", canonical_link=f"{ORIGIN}/post/")
    run(db)  # no --own-domain
    found = clusters(db)
    assert list(found) == [f"{ORIGIN}/post/"]
    assert found[f"{ORIGIN}/post/"]["reason"] == "declared-canonical"
    assert found[f"{ORIGIN}/post/"]["copies"][f"{OTHER}/scraped/"]["status"] == "canonical-ok"


def test_archive_without_single_page_is_canonical_only_when_nothing_else(tmp_path: Path) -> None:
    """Only archive pages hold the post: one of them is the canonical."""
    db = new_db(tmp_path)
    add_page(db, f"{ORIGIN}/tag/a/", [POST, prose(40, 200)], first_seen="2024-01-01T00:00:00Z")
    add_page(db, f"{ORIGIN}/tag/b/", [prose(41, 200), POST], first_seen="2024-01-02T00:00:00Z")
    run(db)
    found = clusters(db)
    assert list(found) == [f"{ORIGIN}/tag/a/"]
    assert found[f"{ORIGIN}/tag/a/"]["reason"] == "earliest-seen"
    assert found[f"{ORIGIN}/tag/a/"]["copies"][f"{ORIGIN}/tag/b/"]["relation"] == "contains"
