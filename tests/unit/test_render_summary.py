"""The summary sentences, from report dicts."""

from __future__ import annotations

from copyhound.render.summary import count_changes, summarise, summary_sentences


def _copy(url: str, status: str) -> dict:
    return {"url": url, "status": status, "relation": "near", "similarity": 0.9, "containment": 1.0,
            "canonical_link": None, "robots_noindex": False, "links_to_canonical": False}


REPORT = {
    "own_domains": ["me.test"],
    "clusters": [
        {"id": "a", "own_post": True, "canonical": {"url": "http://me.test/a"},
         "copies": [_copy("http://x.test/1", "missing-canonical"), _copy("http://y.test/1", "self-canonical"),
                    _copy("http://x.test/2", "canonical-ok")]},
        {"id": "b", "own_post": False, "canonical": {"url": "http://z.test/b"},
         "copies": [_copy("http://w.test/1", "missing-canonical")]},
    ],
}


def test_counts_only_the_owners_posts() -> None:
    s = summarise(REPORT, changed=2)
    assert (s.own, s.posts_copied, s.copies, s.hosts, s.competing) == (True, 1, 3, 2, 2)
    text = " ".join(summary_sentences(s))
    assert "1 of your posts is copied: 3 copies on 2 hosts." in text
    assert "2 copies compete with the original" in text and "2 copies changed since the previous run" in text


def test_without_own_domains_counts_every_post() -> None:
    s = summarise({"clusters": [{**cl, "own_post": False} for cl in REPORT["clusters"]]})
    assert (s.own, s.posts_copied, s.copies, s.hosts, s.competing, s.changed) == (False, 2, 4, 3, 3, None)
    assert summary_sentences(s)[-1] == "No previous run to compare with."


def test_changes_count_new_gone_and_status() -> None:
    before = [(("c", "u1"), "ok"), (("c", "u2"), "ok"), (("c", "u3"), "ok")]
    after = [(("c", "u1"), "ok"), (("c", "u2"), "missing"), (("c", "u4"), "ok")]
    assert count_changes(before, after) == 3  # u2 changed, u4 new, u3 gone
    assert count_changes(after, after) == 0
