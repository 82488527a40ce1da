"""Issue 14's crawler rules, pure or on a real SQLite file: one page under two
URLs (`alias_key`, `alias_rank`, `alias_page_ids`), links to files that are not
HTML, a single post's own comment feed, and documents kept for conditional GET."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.clustering import insert_page

from copyhound.crawler.discover.follow import Discovery, not_html_file
from copyhound.crawler.discover.urls import alias_key, alias_rank
from copyhound.crawler.types import CrawlConfig, FetchResult, FrontierItem, ParsedPage
from copyhound.store import open_db
from copyhound.store.frontier import SqliteFrontier
from copyhound.store.pages import alias_page_ids, single_post

B = "http://blog.test"


@pytest.mark.parametrize(("a", "b"), [
    (f"{B}/", f"{B}/index.html"),
    (f"{B}/2024/01/post/", f"{B}/2024/01/post/index.html"),
    (f"{B}/2024/01/post/", f"{B}/2024/01/post"),
    (f"{B}/post/", f"{B}/post/?ref=home"),
    (f"{B}/wp/", f"{B}/wp/index.php"),
])
def test_alias_key_joins_one_page_under_two_urls(a: str, b: str) -> None:
    assert alias_key(a) == alias_key(b)
    assert min((a, b), key=alias_rank) == a  # the directory form without query names the page


@pytest.mark.parametrize(("a", "b"), [
    (f"{B}/post/", f"{B}/post.html"), (f"{B}/a/", f"{B}/b/"), (f"{B}/a/index.html", f"{B}/a/other.html"),
])
def test_alias_key_keeps_other_pages_apart(a: str, b: str) -> None:
    assert alias_key(a) != alias_key(b)




def test_alias_pages_need_the_same_bytes_and_an_alias_url(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    with db.atomic():
        home = insert_page(db, f"{B}/", "h1")
        home_index = insert_page(db, f"{B}/index.html", "h1")
        post = insert_page(db, f"{B}/p/", "p1")
        post_query = insert_page(db, f"{B}/p/?utm=x", "p1")
        insert_page(db, f"{B}/copy/", "p1")  # same bytes, another URL: a copy, not an alias
        insert_page(db, f"{B}/q/index.html", "q1")
        insert_page(db, f"{B}/q/", "q2")  # an alias URL with other bytes: another page
    assert alias_page_ids(db) == {home_index, post_query}
    assert home not in alias_page_ids(db) and post not in alias_page_ids(db)


@pytest.mark.parametrize(("url", "skip"), [
    (f"{B}/files/a.tgz", True), (f"{B}/img/A.JPG", True), (f"{B}/k/mod.ko", True), (f"{B}/x.patch?dl=1", True),
    (f"{B}/src/post.md", True), (f"{B}/feed.xml", False), (f"{B}/post.html", False), (f"{B}/cgi/run.pl", False),
    (f"{B}/v1.2/", False), (f"{B}/index.php?p=3", False), (f"{B}/.well-known", False),
])
def test_not_html_file_by_extension(url: str, skip: bool) -> None:
    assert not_html_file(url) is skip


def _links(page_url: str, parsed: ParsedPage[None]) -> list[str]:
    d = Discovery(CrawlConfig(seeds=(f"{B}/",)))
    d.seeds()
    item = FrontierItem(url=page_url, depth=0)
    res = FetchResult(url=page_url, final_url=page_url, depth=0, status=200)
    return [i.url for i in d.links(item, res, parsed)]


def test_a_single_posts_own_feed_is_not_read_but_other_feeds_are() -> None:
    feeds = (f"{B}/post/feed/", f"{B}/feed/", f"{B}/category/x/feed/")
    links = (f"{B}/files/a.tgz", f"{B}/next/")
    post = _links(f"{B}/post/index.html", ParsedPage(links=links, feed_links=feeds, single_post=True))
    assert post == [f"{B}/feed/", f"{B}/category/x/feed/", f"{B}/next/"]
    listing = _links(f"{B}/post/", ParsedPage(links=links, feed_links=feeds, single_post=False))
    assert listing == [*feeds, f"{B}/next/"]
    home = _links(f"{B}/", ParsedPage(feed_links=feeds, single_post=True))  # a home page's feeds are the site's
    assert home == list(feeds)


def test_single_post_is_one_post_not_naming_another_page() -> None:
    assert single_post(f"{B}/p/", [None])
    assert single_post(f"{B}/p/", [f"{B}/p"])
    assert not single_post(f"{B}/2024/01/", [f"{B}/p/"])
    assert not single_post(f"{B}/", [None, None])


def test_frontier_keeps_documents_and_known_non_html(tmp_path: Path) -> None:
    db = open_db(tmp_path / "f.db")
    f = SqliteFrontier(db, 1)
    f.save_document(f"{B}/feed.xml", "feed", '"e1"', None, b"<rss/>")
    with db.atomic():
        db.conn.execute(
            "INSERT INTO pages (url, host, status, content_type, error_kind, gone, fetched_at, first_seen, depth,"
            " links) VALUES (?, 'blog.test', 200, 'application/octet-stream', 'not-html', 0, '', '', 0, ?)",
            [f"{B}/download", json.dumps([])])
    f.reset_for_new_run(2)  # a re-crawl: the frontier starts empty, documents and pages stay
    f.add([FrontierItem(url=u, depth=1) for u in (f"{B}/feed.xml", f"{B}/download", f"{B}/new")])
    assert [i.url for i in f.claim(10)] == [f"{B}/feed.xml", f"{B}/download", f"{B}/new"]
    v = f.document_validators(f"{B}/feed.xml")
    assert v is not None and v.etag == '"e1"' and f.document_body(f"{B}/feed.xml") == b"<rss/>"
    assert f.document_validators(f"{B}/new") is None and f.document_validators(f"{B}/robots.txt") is None
    assert f.known_not_html(f"{B}/download") and not f.known_not_html(f"{B}/new")
