"""A page's only entry names the post's own page when its title link,
`rel=bookmark` or `u-url` points to another page (a month archive holding one
post); a post's own page names none, so the election picks the post page."""

from __future__ import annotations

from copyhound.dedupe.cluster.election import elect
from copyhound.dedupe.extract.page import extract_page
from copyhound.dedupe.extract.posts import page_key
from copyhound.dedupe.types import PostRecord

BODY = "".join(
    f"<p>Paragraph {i} of the harbour story tells how the ferry crossed the bay at dawn "
    f"while the lighthouse keeper counted the boats coming home.</p>"
    for i in range(6)
)
SITE = "https://blog.example"
POST = f"{SITE}/2024/03/harbour-story/"


def _page(main: str, title: str = "Blog") -> str:
    return (
        f"<html><head><title>{title}</title></head><body>"
        f'<header><h1 class="site"><a href="/">Blog</a></h1><nav><a href="/">Home</a> '
        f'<a href="/about/">About</a></nav></header><main>{main}</main>'
        "<footer><p>© Blog</p></footer></body></html>"
    )


def _month_archive(title_html: str, extra: str = "") -> str:
    return _page(f'<article class="post h-entry">{title_html}{extra}<div class="e-content">{BODY}</div></article>',
                 "March 2024")


def test_month_archive_entry_title_link_names_the_post_page() -> None:
    html = _month_archive('<h2><a href="/2024/03/harbour-story/">The harbour story</a></h2>')
    (post,) = extract_page(html, f"{SITE}/2024/03/").posts
    assert post.permalink == POST
    assert post.title == "The harbour story"
    assert "The harbour story" not in post.text  # the title is not part of the post's text
    assert post.text.startswith("Paragraph 0")


def test_u_url_and_rel_bookmark_name_the_post_page_when_the_title_is_not_linked() -> None:
    for mark in ('class="u-url"', 'rel="bookmark"'):
        extra = f'<p class="meta"><a {mark} href="/2024/03/harbour-story/"><time>2024-03-02</time></a></p>'
        html = _month_archive("<h2>The harbour story</h2>", extra)
        (post,) = extract_page(html, f"{SITE}/2024/03/").posts
        assert post.permalink == POST, mark


def test_post_page_linking_its_own_title_or_date_names_none() -> None:
    own_title = _page(f'<article><h1><a href="/2024/03/harbour-story/">The harbour story</a></h1>{BODY}</article>',
                      "The harbour story")
    own_date = _page(f'<article><h1>The harbour story</h1><a rel="bookmark" href="{POST}#top">2 March</a>'
                     f"{BODY}</article>", "The harbour story")
    for html in (own_title, own_date):
        # fetched with tracking parameters and the index file: still the same page
        (post,) = extract_page(html, POST + "index.html?utm_source=x").posts
        assert post.permalink is None
        assert post.title == "The harbour story"


def test_post_page_without_links_names_none() -> None:
    html = _page(f"<article><h1>The harbour story</h1>{BODY}</article>", "The harbour story")
    (post,) = extract_page(html, POST).posts
    assert post.permalink is None


def test_a_title_linking_home_or_to_a_folder_above_is_no_permalink() -> None:
    for href in ("/", "/2024/03/", SITE):
        html = _page(f'<article><h2><a href="{href}">The harbour story</a></h2>{BODY}</article>')
        (post,) = extract_page(html, POST).posts
        assert post.permalink is None, href


def test_marks_naming_several_pages_say_nothing() -> None:
    related = ('<aside><a class="u-url" href="/2024/02/other/">Other</a> '
               '<a class="u-url" href="/2024/01/older/">Older</a></aside>')
    html = _page(f"<article><h1>The harbour story</h1>{BODY}{related}</article>", "The harbour story")
    (post,) = extract_page(html, POST).posts
    assert post.permalink is None


def test_the_post_page_wins_over_a_single_post_month_archive() -> None:
    archive = extract_page(_month_archive('<h2><a href="/2024/03/harbour-story/">The harbour story</a></h2>'),
                           f"{SITE}/2024/03/").posts[0]
    own = extract_page(_page(f"<article><h1>The harbour story</h1>{BODY}</article>", "The harbour story"),
                       POST).posts[0]
    assert archive.text == own.text
    recs = [
        PostRecord(post_id=i, page_id=i, url=url, host="blog.example", text=p.text, permalink=p.permalink)
        for i, (url, p) in enumerate(((f"{SITE}/2024/03/", archive), (POST, own)), start=1)
    ]
    winner, reason = elect(recs)
    assert winner.url == POST
    assert reason == "most-complete"  # by elimination: the archive was never a candidate


def test_page_key_folds_one_page_spellings() -> None:
    assert page_key("HTTPS://Blog.Example/a/index.html?utm_source=x#c") == page_key("https://blog.example/a/")
    assert page_key("https://blog.example/?p=12") != page_key("https://blog.example/?p=13")
    assert page_key("https://blog.example/?p=12&utm_medium=y") == page_key("https://blog.example/?p=12")


def test_the_entry_date_is_the_entry_s_not_the_listing_page_s() -> None:
    ld = '<script type="application/ld+json">{"@type": "CollectionPage", "datePublished": "2024-04-01"}</script>'
    html = _month_archive('<h2><a href="/2024/03/harbour-story/">The harbour story</a></h2>',
                          '<p><time datetime="2024-03-02T08:00:00+00:00">2 March</time></p>').replace(
                              "</head>", ld + "</head>")
    (post,) = extract_page(html, f"{SITE}/2024/03/").posts
    assert post.published == "2024-03-02T08:00:00+00:00"
