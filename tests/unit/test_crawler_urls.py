"""URL normalisation, scope matching and the SQLite frontier on their own: no
server, no crawl. (Moved out of tests/e2e/test_crawler_basics.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from copyhound.crawler.discover.urls import host_matches, normalize_url
from copyhound.crawler.types import FrontierItem
from copyhound.store import open_db
from copyhound.store.frontier import SqliteFrontier


@pytest.mark.parametrize(("raw", "want"), [
    ("HTTP://Example.COM:80/a/./b/../c?b=2&a=1#frag", "http://example.com/a/c?a=1&b=2"),
    ("https://example.com:443", "https://example.com/"),
    ("https://example.com:8443/x", "https://example.com:8443/x"),
    ("http://example.com/p?utm_source=x&utm_medium=y&id=3&fbclid=z", "http://example.com/p?id=3"),
    ("http://example.com/p?replytocom=12#respond", "http://example.com/p"),
    ("http://example.com/p?PHPSESSID=abc&q=1", "http://example.com/p?q=1"),
    ("http://example.com/%7euser/%e2%82%ac", "http://example.com/~user/%E2%82%AC"),
    ("http://example.com/caf\u00e9 x", "http://example.com/caf%C3%A9%20x"),
    ("http://example.com/100%", "http://example.com/100%25"),
    ("http://bücher.example/", "http://xn--bcher-kva.example/"),
    ("javascript:alert(1)", None),
    ("mailto:a@b.c", None),
    ("data:text/html,hi", None),
    ("ftp://example.com/", None),
    ("http://[::1", None),
    ("http://example.com:99999/", None),
    ("http://example.com/" + "a" * 10_000, None),
    ("http://h\x01.test/x", None),  # control characters in a host: httpx would refuse the URL
    ("http://a b.test/", None),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ("http://my_host.test/", "http://my_host.test/"),
])
def test_normalize_url(raw: str, want: str | None) -> None:
    assert normalize_url(raw) == want


def test_normalize_relative_and_custom_params() -> None:
    assert normalize_url("../x?s=1", base="http://h.test/a/b/c") == "http://h.test/a/x?s=1"
    assert normalize_url("http://h.test/?ref=1&k=2", strip_params=("ref",)) == "http://h.test/?k=2"
    assert normalize_url("http://h.test/?utm_source=1", strip_params=()) == "http://h.test/?utm_source=1"


@pytest.mark.parametrize(("host", "patterns", "want"), [
    ("www.example.com", ["example.com"], True),
    ("example.com", ["www.example.com"], True),
    ("blog.shop.example.com", ["example.com"], True),
    ("example.com", ["https://example.com:8080/path"], True),
    ("notexample.com", ["example.com"], False),
    ("example.com.evil.net", ["example.com"], False),
    ("127.0.0.1", ["127.0.0.1:8089"], True),
    ("1.127.0.0.1", ["127.0.0.1"], False),
    ("EXAMPLE.com", ["Example.COM."], True),
])
def test_host_matches(host: str, patterns: list[str], want: bool) -> None:
    assert host_matches(host, patterns) is want


def test_frontier_resume_and_add(tmp_path: Path) -> None:
    db = open_db(tmp_path / "f.db")
    f = SqliteFrontier(db, 7)
    items = [FrontierItem(url=f"http://h.test/{i}", depth=1) for i in range(5)]
    assert f.add(items) == 5
    assert f.add([*items[:2], FrontierItem(url="http://h.test/new", depth=2)]) == 1
    claimed = f.claim(3)
    assert [i.url for i in claimed] == [f"http://h.test/{i}" for i in range(3)]  # discovery order
    f.mark(claimed[0].url, "done")
    assert f.pending() == 5 and f.done_count() == 1
    f2 = SqliteFrontier(db, 7)  # a resumed run: in-flight rows are queued again
    assert f2.counts() == {"queued": 5, "done": 1}
    assert [i.url for i in f2.claim(10)][:2] == ["http://h.test/1", "http://h.test/2"]
    f2.reset_for_new_run(8)
    assert f2.pending() == 0 and f2.add(items) == 5
    hint = FrontierItem(url="http://h.test/0", depth=1, source="sitemap", published_hint="2024-01-02")
    assert f2.add([hint]) == 0
    assert db.execute("SELECT published_hint FROM frontier WHERE url='http://h.test/0'").fetchone()[0] == "2024-01-02"
    row = db.execute("SELECT run_id, host FROM frontier LIMIT 1").fetchone()
    assert row == (8, "h.test")
    assert db.execute("SELECT count(*) FROM frontier").fetchone()[0] == 5
