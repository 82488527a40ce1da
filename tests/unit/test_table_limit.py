"""A table beyond TABLE_MAX_ROWS shows the clusters needing action most and
says where the rest is, instead of drawing every row."""

from __future__ import annotations

from copyhound.render.table import TABLE_MAX_ROWS, render_table


def _report(clusters: int, copies_each: int) -> dict:
    return {
        "pages": 1, "posts": 1,
        "clusters": [
            {"id": f"c{i:05d}", "canonical": {"url": f"http://me.test/{i}", "title": f"T{i}", "published": None,
                                               "reason": "earliest-seen"},
             "copies": [{"url": f"http://x.test/{i}/{j}", "relation": "near", "similarity": 0.9, "containment": 1.0,
                         "canonical_link": None, "robots_noindex": False, "links_to_canonical": False,
                         "status": "missing-canonical"} for j in range(copies_each)]}
            for i in range(clusters)
        ],
    }


def test_big_table_is_cut_with_a_pointer_to_other_formats() -> None:
    out = render_table(_report(600, 5), terminal=False)
    assert "and 1,000 more copies" in out and "--format csv, jsonl or html" in out
    assert out.count("http://x.test/") == TABLE_MAX_ROWS


def test_small_table_is_whole() -> None:
    out = render_table(_report(3, 2), terminal=False)
    assert "more copies" not in out and out.count("http://x.test/") == 6
