"""What blog engines expose that costs nothing (issue 14, item 6): `<link
rel=prev/next>` pagination is followed, WordPress's API endpoints are never
requested, `article:published_time` and JSON-LD `BlogPosting` dates reach the
election, and a `?p=ID` shortlink page names the post's pretty URL."""

from __future__ import annotations

from copyhound.crawler.discover.follow import Discovery, api_endpoint
from copyhound.crawler.types import CrawlConfig, FetchResult, FrontierItem, ParsedPage
from copyhound.dedupe.extract.page import extract_page

SITE = "https://blog.example"
BODY = "".join(f"<p>Paragraph {i} tells how the ferry crossed the bay at dawn while the keeper counted boats.</p>"
               for i in range(5))


def _cards(n: int) -> str:
    return "".join(f'<article><h2><a href="/post-{i}/">Post {i}</a></h2><p>Teaser {i} about boats.</p></article>'
                   for i in range(n))


def test_rel_next_and_prev_of_head_are_followed_first() -> None:
    html = (f'<html><head><link rel="prev" href="/page/1/"><link rel="next" href="/page/3/">'
            f'<link rel="stylesheet" href="/style.css"></head><body><main>{_cards(3)}</main></body></html>')
    links = extract_page(html, f"{SITE}/page/2/").out_links
    assert links[:2] == (f"{SITE}/page/1/", f"{SITE}/page/3/")
    assert f"{SITE}/style.css" not in links
    assert f"{SITE}/post-0/" in links


def test_api_endpoints_are_never_pages() -> None:
    for url in (f"{SITE}/wp-json/", f"{SITE}/wp-json/wp/v2/posts?per_page=100", f"{SITE}/?rest_route=/wp/v2/posts",
                f"{SITE}/xmlrpc.php", f"{SITE}/wp-login.php?redirect_to=x", f"{SITE}/index.php?a=1&rest_route=/"):
        assert api_endpoint(url), url
    for url in (f"{SITE}/", f"{SITE}/?p=12", f"{SITE}/2024/03/wp-jsonic-notes/", f"{SITE}/page/2/",
                f"{SITE}/blog/rest_route-explained/"):
        assert not api_endpoint(url), url


def test_discovery_never_queues_api_endpoints() -> None:
    d = Discovery(CrawlConfig(seeds=(f"{SITE}/",)))
    d.seeds()
    item = FrontierItem(url=f"{SITE}/", depth=0)
    res = FetchResult(url=item.url, final_url=item.url, depth=0, status=200)
    out = d.links(item, res, ParsedPage(links=("/wp-json/", "/?rest_route=/", "/xmlrpc.php", "/?p=3", "/page/2/")))
    assert [i.url for i in out] == [f"{SITE}/?p=3", f"{SITE}/page/2/"]


def test_published_dates_from_article_meta_and_blogposting() -> None:
    og = (f'<html><head><title>T</title><meta property="article:published_time" content="2024-03-02T08:00:00+00:00">'
          f"</head><body><article><h1>T</h1>{BODY}</article></body></html>")
    ld = ('<html><head><title>T</title><script type="application/ld+json">{"@context": "https://schema.org", '
          '"@graph": [{"@type": "WebSite", "datePublished": "2001-01-01"}, '
          '{"@type": "BlogPosting", "datePublished": "2024-03-05"}]}</script>'
          f"</head><body><article><h1>T</h1>{BODY}</article></body></html>")
    assert extract_page(og, f"{SITE}/t/").posts[0].published == "2024-03-02T08:00:00+00:00"
    assert extract_page(ld, f"{SITE}/t/").posts[0].published.startswith("2024-03-05")  # not the WebSite's


def test_a_shortlink_page_names_the_pretty_permalink() -> None:
    # WordPress's ?p=ID spelling of a post, served without a redirect: its
    # entry links the pretty URL as rel=bookmark, so it is that post's alias,
    # never a rival original.
    html = (f'<html><head><title>T</title><link rel="shortlink" href="{SITE}/?p=7"></head><body><article>'
            f'<h1 class="entry-title"><a href="{SITE}/2024/03/t/" rel="bookmark">T</a></h1>{BODY}'
            "</article></body></html>")
    (post,) = extract_page(html, f"{SITE}/?p=7").posts
    assert post.permalink == f"{SITE}/2024/03/t/"
    (own,) = extract_page(html, f"{SITE}/2024/03/t/").posts
    assert own.permalink is None
