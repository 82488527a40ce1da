"""posts.build_posts at the function level: one post from each segment."""

from __future__ import annotations

from copyhound.dedupe.extract.boilerplate import resolve_chrome
from copyhound.dedupe.extract.html import parse_page
from copyhound.dedupe.extract.posts import PageFacts, build_posts
from copyhound.dedupe.extract.segment import segment
from copyhound.dedupe.extract.textblocks import walk
from copyhound.dedupe.types import PageMeta, Post

PROSE = "A paragraph long enough to be prose, with no links in it, and a few more words here."
BASE = "https://blog.example/archive/"


def _posts(body: str, meta: PageMeta, *, with_links: bool = True) -> list[Post]:
    root = parse_page(f"<html><body>{body}</body></html>").root
    assert root is not None
    w = walk(root)
    is_chrome, _ = resolve_chrome(w.blocks, w.chrome_strength)
    content = [not c for c in is_chrome]
    body_el = root.find("body")
    assert body_el is not None
    segs = segment(w.blocks, 0, len(w.blocks) - 1, body_el, w.span, w.chrome_strength, content)
    facts = PageFacts(
        blocks=w.blocks, content=content, h1=w.h1, strength=w.chrome_strength, skipped=w.skipped,
        span=w.span, meta=meta, base=BASE, with_links=with_links,
    )
    return build_posts(segs, facts)


def test_a_listing_item_takes_its_own_permalink_date_and_kind() -> None:
    items = "".join(
        f"<article><h2><a href='/p{n}'>Post {n}</a></h2><time datetime='2024-05-0{n}'>May {n}</time>"
        f"<p>{PROSE} <a href='https://source.example/{n}'>source</a></p></article>"
        for n in (1, 2)
    )
    posts = _posts(items, PageMeta(published="2020-01-01"))
    assert [p.ordinal for p in posts] == [0, 1]
    first = posts[0]
    assert first.title == "Post 1"
    assert first.permalink == "https://blog.example/p1"
    assert first.published == "2024-05-01"  # the item's date, never the page's
    assert first.kind == "teaser"  # short: a listing's summary
    assert first.links == ("https://source.example/1",)  # its own permalink is not an attribution link


def test_a_single_post_takes_the_page_title_and_date() -> None:
    body = f"<h1>The post</h1><p>{PROSE}</p><p>See <a href='https://origin.example/a'>the original</a>.</p>"
    (post,) = _posts(body, PageMeta(title="The post | Blog", published="2024-01-02"))
    assert post.title == "The post" and post.permalink is None
    assert post.published == "2024-01-02" and post.kind == "post"
    assert post.text == f"{PROSE}\n\nSee the original."
    assert post.links == ("https://origin.example/a",)
    (quiet,) = _posts(body, PageMeta(title="The post | Blog"), with_links=False)
    assert quiet.links == () and quiet.text == post.text


def test_segments_without_text_make_no_post() -> None:
    assert _posts("<h1>Only a title</h1>", PageMeta()) == []
