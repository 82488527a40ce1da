"""Findings group copies needing action by archive pattern or by host."""

from __future__ import annotations

from copyhound.render.findings import ARCHIVE_FIX, archive_pattern, findings


def _c(url: str, status: str = "missing-canonical", relation: str = "contains") -> dict:
    return {"url": url, "status": status, "relation": relation}


def test_archive_patterns() -> None:
    assert archive_pattern("/category/news/") == "/category/*/"
    assert archive_pattern("/tag/seo/page/2/") == "/tag/*/"
    assert archive_pattern("/page/3/") == "/page/N/"
    assert archive_pattern("/2024/05/") == "/YYYY/MM/ (date archives)"
    assert archive_pattern("/") == "/ (home page)"
    assert archive_pattern("/2024/05/my-post/") is None


def test_one_finding_per_pattern_and_per_host() -> None:
    report = {"clusters": [
        {"copies": [_c("http://me.test/tag/a/"), _c("http://me.test/tag/b/"), _c("http://me.test/tag/c/"),
                    _c("http://me.test/category/x/"),  # alone: no finding
                    _c("http://p.test/1", relation="near"), _c("http://p.test/2", relation="exact"),
                    _c("http://ok.test/1", status="canonical-ok", relation="near"),
                    _c("http://ok.test/2", status="canonical-ok", relation="near")]},
    ]}
    got = findings(report)
    assert [(f["kind"], f["host"], f["pattern"] or f["status"], f["copies"]) for f in got] == [
        ("archive", "me.test", "/tag/*/", 3), ("host", "p.test", "missing-canonical", 2)]
    assert got[0]["fix"] == ARCHIVE_FIX and "p.test never sets a canonical link" in got[1]["fix"]
    assert got[0]["urls"] == ["http://me.test/tag/a/", "http://me.test/tag/b/", "http://me.test/tag/c/"]
