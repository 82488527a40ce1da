"""One page under two URLs when the second is no spelling of the first
(issue 14, item 6): WordPress answers its `/?p=ID` shortlink with the post's
own bytes when its canonical redirect is off; the `rel=canonical` in those
bytes names the pretty URL, which stands for both (store.pages.alias_page_ids)."""

from __future__ import annotations

from pathlib import Path

from support.clustering import insert_page

from copyhound.store import open_db
from copyhound.store.pages import alias_page_ids

B = "http://blog.test"




def test_the_url_the_canonical_names_stands_for_the_same_bytes(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.db")
    pretty = f"{B}/2024/03/ferry/"
    with db.atomic():
        short = insert_page(db, f"{B}/?p=7", "p7", canonical=pretty)  # fetched first: the home page linked it
        own = insert_page(db, pretty, "p7", canonical=pretty)
        plain = insert_page(db, f"{B}/2024/03/ferry", "p7", canonical=pretty)
    assert alias_page_ids(db) == {short, plain}
    assert own not in alias_page_ids(db)


def test_without_a_canonical_naming_one_of_them_same_bytes_stay_two_pages(tmp_path: Path) -> None:
    db = open_db(tmp_path / "b.db")
    with db.atomic():
        insert_page(db, f"{B}/a/", "x", canonical="http://elsewhere.test/a/")  # the original is on another host
        insert_page(db, f"{B}/b/", "x", canonical="http://elsewhere.test/a/")
        insert_page(db, f"{B}/c/", "y", canonical=f"{B}/c/")
        insert_page(db, f"{B}/d/", "z", canonical=f"{B}/c/")  # names /c/, but other bytes: another page
        insert_page(db, f"{B}/e/", "w", canonical=f"{B}/e/")  # the same bytes, canonicals that disagree
        insert_page(db, f"{B}/f/", "w", canonical=f"{B}/f/")  # (a Link header's): no page is named for both
    assert alias_page_ids(db) == set()


def test_a_post_page_under_its_shortlink_skips_its_comment_feed() -> None:
    from copyhound.crawler.discover.follow import Discovery
    from copyhound.crawler.types import CrawlConfig, FetchResult, FrontierItem, ParsedPage

    d = Discovery(CrawlConfig(seeds=(f"{B}/",)))
    d.seeds()
    item = FrontierItem(url=f"{B}/?p=7", depth=0)
    res = FetchResult(url=item.url, final_url=item.url, depth=0, status=200)
    feeds = (f"{B}/feed/", f"{B}/2024/03/ferry/feed/")
    queued = d.links(item, res, ParsedPage(feed_links=feeds, single_post=True, canonical_link=f"{B}/2024/03/ferry/"))
    assert [i.url for i in queued] == [f"{B}/feed/"]
