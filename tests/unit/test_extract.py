"""Extraction on the seed blog fixtures: a post page in chrome, a tag archive
with three whole posts, a home page of teasers; and bad input never raising."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from copyhound.dedupe import main_text
from copyhound.dedupe.extract.page import extract_page

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "extraction"
BLOG = "https://blog.example"
SINGLE_URL = f"{BLOG}/never-try-to-up-sell-an-unhappy-customer/"
TITLES = [
    "Never Try to Up Sell an Unhappy Customer",
    "Who’s Your Customer? It’s Not Who You Think…",
    "Are You a Dinosaur in the Making? Pay Attention to How You Learn.",
]
CHROME = [
    "Sign up with your email",
    "No Comments Yet",
    "What do you think?",
    "Your email address will not be published",
    "Recent Posts",
    "Share this",
    "Skip to content",
    "Proudly powered",
    "Posted on",
    "Tagged",
    "Continue reading",
    "Older posts",
]


def page(name: str) -> bytes:
    return (FIX / name).read_bytes()


def test_single_post_page_without_chrome() -> None:
    ep = extract_page(page("wp_single.html"), SINGLE_URL)
    assert ep.error is None
    assert len(ep.posts) == 1
    post = ep.posts[0]
    assert post.kind == "post"
    assert post.title == TITLES[0]
    assert post.text.startswith("But I’m Not Wrong!\n\nSo, you’ve had a problem with someone.")
    assert post.text.endswith("we are on our own.\n\nImage Credit: Steve Snodgrass")
    for chrome in CHROME:
        assert chrome not in post.text
    assert TITLES[0] not in post.text  # the title is metadata, not body text
    # list items one per line, paragraphs separated by a blank line
    assert "You didn’t do anything wrong\nYou don’t like to apologize\n" in post.text
    assert post.links == ("https://www.flickr.com/photos/stevensnodgrass/",)


def test_single_post_page_metadata() -> None:
    ep = extract_page(page("wp_single.html"), SINGLE_URL)
    m = ep.meta
    assert m.canonical_link == SINGLE_URL
    assert m.canonical_links == (SINGLE_URL,)
    assert m.og_url == SINGLE_URL
    assert m.published == "2013-05-02T09:30:00+00:00"
    assert m.modified == "2013-05-03T11:00:00+00:00"
    assert m.author == "Jane Roe"
    assert m.language == "en-US"
    assert m.robots_noindex is False
    assert ep.feed_links == (f"{BLOG}/feed/",)
    assert f"{BLOG}/about/" in ep.out_links
    assert "https://www.flickr.com/photos/stevensnodgrass/" in ep.out_links
    assert not any(u.startswith(("javascript:", "mailto:")) or "#content" in u for u in ep.out_links)


def test_tag_archive_holds_three_whole_posts() -> None:
    ep = extract_page(page("wp_tag.html"), f"{BLOG}/tag/customers/")
    assert [p.title for p in ep.posts] == TITLES
    assert [p.kind for p in ep.posts] == ["post"] * 3
    assert [p.ordinal for p in ep.posts] == [0, 1, 2]
    assert [p.permalink for p in ep.posts] == [
        SINGLE_URL,
        f"{BLOG}/whos-your-customer/",
        f"{BLOG}/are-you-a-dinosaur/",
    ]
    assert [p.published for p in ep.posts] == [
        "2013-05-02T09:30:00+00:00",
        "2013-04-18T08:00:00+00:00",
        "2013-03-30T08:00:00+00:00",
    ]
    single = extract_page(page("wp_single.html"), SINGLE_URL).posts[0]
    assert ep.posts[0].text == single.text  # the archive contains the post, word for word
    assert ep.posts[1].text.startswith("A lot is written about discovering who your customer is")
    assert ep.posts[1].links == ("https://seths.blog/who-is-your-customer/",)
    assert ep.posts[2].text.endswith("work to avoid becoming a dinosaur.")
    for post in ep.posts:
        for chrome in [*CHROME, "Posts tagged", "Leave a comment", "Posted in"]:
            assert chrome not in post.text
    assert ep.meta.robots_noindex is True
    assert ep.meta.canonical_link == f"{BLOG}/tag/customers/"


def test_home_page_of_teasers() -> None:
    ep = extract_page(page("wp_home.html"), f"{BLOG}/")
    assert [p.title for p in ep.posts] == TITLES
    assert [p.kind for p in ep.posts] == ["teaser"] * 3
    assert ep.posts[1].text == "A lot is written about discovering who your customer is and how to find them. […]"
    assert ep.posts[0].permalink == SINGLE_URL
    assert ep.meta.canonical_link is None  # absent: never the page URL
    assert ep.feed_links == (f"{BLOG}/feed/", f"{BLOG}/feed/atom/")


def test_main_text_is_the_post_bodies_in_order() -> None:
    text = main_text(page("wp_tag.html").decode("utf-8"))
    assert text.index("But I’m Not Wrong!") < text.index("A lot is written") < text.index("Show me a company")
    assert not any(t in text for t in TITLES[1:])
    assert "Sign up with your email" not in text
    assert (
        main_text(page("wp_single.html").decode("utf-8"), SINGLE_URL)
        == extract_page(page("wp_single.html"), SINGLE_URL).posts[0].text
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        ("   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02", "binary"),
        (b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000, "nested too deeply"),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "no post text"),
        (b"x" * (13 * 1024 * 1024), "too large"),
    ],
)
def test_bad_input_gives_a_reason_not_an_exception(body: str | bytes, reason: str) -> None:
    t0 = time.monotonic()
    ep = extract_page(body, "https://bad.example/")
    assert ep.posts == ()
    assert ep.error is not None and reason in ep.error
    assert time.monotonic() - t0 < 5


def test_truncated_and_misencoded_pages_still_extract() -> None:
    full = page("wp_single.html")
    cut = full[: full.index(b"Is the Customer Always Right?")]
    ep = extract_page(cut, SINGLE_URL)
    assert ep.posts and ep.posts[0].text.startswith("But I’m Not Wrong!")
    # Latin-1 bytes declared as UTF-8 in the header: decoded with replacement, never raised
    latin = "<html><body><article><p>Ça coûte très cher, déjà à Noël, dit-il à l’été, " * 5
    ep2 = extract_page(
        latin.encode("latin-1", "replace"), "https://x.example/", {"content-type": "text/html; charset=utf-8"}
    )
    assert ep2.error is None and "co" in ep2.posts[0].text
    ep3 = extract_page(latin.encode("latin-1", "replace"), "https://x.example/")
    assert "Ça coûte très cher" in ep3.posts[0].text


def test_str_and_bytes_give_the_same_result() -> None:
    raw = page("wp_tag.html")
    assert extract_page(raw, f"{BLOG}/tag/customers/") == extract_page(raw.decode("utf-8"), f"{BLOG}/tag/customers/")


def test_post_links_include_attribution_notes_not_comments_or_share_bars() -> None:
    body = "<p>" + "A republished paragraph of the post, long enough to be prose. " * 3 + "</p>"
    html = (
        "<html><body><main><article><h1>Republished</h1><div class='post-content'>"
        "<aside class='editor-note'><p>This article originally appeared on "
        "<a href='https://origin.example/post/'>the author’s blog</a> and is republished with permission.</p></aside>"
        f"{body}{body}<div class='share-bar'><a href='https://twitter.com/share'>Tweet</a></div>"
        "</div></article><section id='comments'><p>Great post! I read it first on "
        "<a href='https://origin.example/elsewhere/'>another site</a> last week, honestly.</p></section>"
        "</main></body></html>"
    )
    ep = extract_page(html, "https://copy.example/republished/")
    assert ep.posts[0].links == ("https://origin.example/post/",)
    assert "originally appeared" not in ep.posts[0].text
    assert "https://origin.example/elsewhere/" in ep.out_links


DEMO_BLOG = Path(__file__).resolve().parents[2] / "fixtures" / "sites" / "blog"


@pytest.mark.skipif(not DEMO_BLOG.is_dir(), reason="the demo site is not in this checkout")
def test_demo_blog_seed_pages() -> None:
    """The demo blog the end-to-end test crawls: the seed post without its
    chrome, the tag archive's three posts, the home page's teasers."""
    single = extract_page(
        (DEMO_BLOG / "never-try-to-up-sell-an-unhappy-customer" / "index.html").read_bytes(), SINGLE_URL
    )
    assert [p.title for p in single.posts] == [TITLES[0]]
    text = single.posts[0].text
    assert text.startswith("But I’m Not Wrong!") and text.endswith("we are on our own.")
    for chrome in [
        "Sign up with your email",
        "No Comments Yet",
        "What do you think?",
        "Your email address will not be published",
    ]:
        assert chrome not in text
    archive = extract_page((DEMO_BLOG / "tag" / "customers" / "index.html").read_bytes(), f"{BLOG}/tag/customers/")
    assert [p.kind for p in archive.posts] == ["post"] * 3
    assert archive.posts[0].text == text
    home = extract_page((DEMO_BLOG / "index.html").read_bytes(), f"{BLOG}/")
    assert home.posts and {p.kind for p in home.posts} == {"teaser"}


def test_headings_lists_quotes_tables_and_code_are_kept_in_reading_order() -> None:
    prose = "A paragraph long enough to be prose, with a few more words for good measure."
    html = (
        f"<html><body><article><h1>Title</h1><p>{prose}</p><h2>Numbers</h2>"
        "<table><caption>Prices by year</caption><tr><th>Year</th><th>Price</th></tr>"
        "<tr><td>2019</td><td>10</td></tr></table>"
        "<blockquote><p>A quoted line.</p></blockquote><ul><li>one</li><li>two <b>bold</b></li></ul>"
        "<pre>def f():\n    return 1</pre>"
        "<figure><img src='x.jpg'><figcaption>Photo: Agency</figcaption></figure>"
        f"<p>{prose}</p></article></body></html>"
    )
    text = extract_page(html, "https://x.example/").posts[0].text
    assert text == (
        f"{prose}\n\nNumbers\n\nPrices by year\n\nYear Price\n2019 10\n\nA quoted line.\n\none\ntwo bold\n\n"
        f"def f():\nreturn 1\n\n{prose}"
    )


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("Ça coûte très cher à Noël".encode(), {"content-type": "text/html; charset=ISO-8859-1"}),
        ("Ça coûte très cher à Noël".encode("cp1252"), {"content-type": "text/html; charset=windows-1252"}),
        ("Ça coûte très cher à Noël".encode("cp1252"), {}),
    ],
)
def test_charset_mislabels(body: bytes, headers: dict[str, str]) -> None:
    html = (
        b"<html><body><article><p>"
        + body
        + b". "
        + b"More words to make a paragraph. " * 3
        + b"</p></article></body></html>"
    )
    assert extract_page(html, "https://x.example/", headers).posts[0].text.startswith("Ça coûte très cher à Noël")
