"""Page metadata for the audit: canonical (HTML and Link header), robots noindex,
dates, author, language, og:url, feeds and out-links."""

from __future__ import annotations

import pytest

from copyhound.dedupe.extract.dates import date_from_url, parse_date
from copyhound.dedupe.extract.metadata import robots_noindex_directives
from copyhound.dedupe.extract.page import extract_page

URL = "https://news.example/section/story.html"
BODY = "<p>" + "Some post text that is long enough to be a paragraph of prose. " * 4 + "</p>"


def page(head: str = "", body: str = BODY, lang: str = "") -> str:
    html_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{html_attr}><head><title>T</title>{head}</head>"
        f"<body><article>{body}</article></body></html>"
    )


def meta_of(html: str, headers: dict[str, str] | None = None, url: str = URL):
    return extract_page(html, url, headers).meta


def test_canonical_absent_is_none_never_the_page_url() -> None:
    m = meta_of(page('<meta property="og:url" content="https://news.example/section/story.html">'))
    assert m.canonical_link is None
    assert m.canonical_links == ()
    assert m.og_url == URL


def test_canonical_resolved_against_page_url_and_base() -> None:
    assert (
        meta_of(page('<link rel="canonical" href="../other/x.html">')).canonical_link
        == "https://news.example/other/x.html"
    )
    m = meta_of(page('<base href="https://cdn.example/mirror/"><link rel="canonical" href="x.html">'))
    assert m.canonical_link == "https://cdn.example/mirror/x.html"
    assert meta_of(page('<link rel="Canonical" href="//news.example/a">')).canonical_link == "https://news.example/a"


def test_canonical_from_http_link_header() -> None:
    headers = {"link": '<https://origin.example/post/>; rel="canonical", <https://news.example/amp>; rel="amphtml"'}
    m = meta_of(page(), headers)
    assert m.canonical_link == "https://origin.example/post/"
    assert m.canonical_links == ("https://origin.example/post/",)
    # header names may come in any case
    assert meta_of(page(), {"Link": "</rel/path>; rel=canonical"}).canonical_link == "https://news.example/rel/path"


def test_conflicting_canonicals_are_all_reported() -> None:
    head = '<link rel="canonical" href="https://a.example/1"><link rel="canonical" href="https://b.example/2">'
    m = meta_of(page(head), {"link": '<https://c.example/3>; rel="canonical"'})
    assert m.canonical_links == ("https://c.example/3", "https://a.example/1", "https://b.example/2")
    assert m.canonical_link == "https://c.example/3"
    same = '<link rel="canonical" href="https://a.example/1"><link rel="canonical" href="https://a.example/1">'
    assert meta_of(page(same)).canonical_links == ("https://a.example/1",)


@pytest.mark.parametrize(
    ("head", "headers", "noindex"),
    [
        ('<meta name="robots" content="noindex, follow">', {}, True),
        ('<meta name="ROBOTS" content="NOINDEX">', {}, True),
        ('<meta name="robots" content="none">', {}, True),
        ('<meta name="googlebot" content="noindex">', {}, True),
        ('<meta name="bingbot" content="noindex">', {}, False),
        ('<meta name="robots" content="index, follow, max-snippet:-1">', {}, False),
        ("", {"x-robots-tag": "noindex"}, True),
        ("", {"x-robots-tag": "none"}, True),
        ("", {"x-robots-tag": "googlebot: noindex, nofollow"}, True),
        ("", {"x-robots-tag": "otherbot: noindex, nofollow"}, False),
        ("", {"x-robots-tag": "bingbot: noindex, googlebot: nofollow"}, False),
        ("", {"x-robots-tag": "unavailable_after: 25 Jun 2010 15:00:00 PST, noindex"}, True),
        ("", {"X-Robots-Tag": "noarchive"}, False),
        ("", {}, False),
    ],
)
def test_robots_noindex(head: str, headers: dict[str, str], noindex: bool) -> None:
    assert meta_of(page(head), headers).robots_noindex is noindex


def test_robots_directive_parser() -> None:
    assert robots_noindex_directives("googlebot: noindex", agent_prefixed=True)
    assert not robots_noindex_directives("googlebot-news: noindex", agent_prefixed=True)
    assert not robots_noindex_directives("max-snippet: 10, nofollow", agent_prefixed=True)


def test_dates_from_jsonld_graph() -> None:
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"Organization","name":"X"},'
        '{"@type":["NewsArticle"],"datePublished":"2019-03-12T08:30:00+01:00","dateModified":"2019-03-13",'
        '"author":[{"@type":"Person","name":"Ana Ruiz"},{"@type":"Person","name":"Bo Li"}]}]}</script>'
    )
    m = meta_of(page(ld + '<meta property="article:published_time" content="2001-01-01">'))
    assert m.published == "2019-03-12T08:30:00+01:00"
    assert m.modified == "2019-03-13"
    assert m.author == "Ana Ruiz, Bo Li"


def test_broken_jsonld_is_ignored() -> None:
    ld = '<script type="application/ld+json">{"datePublished": "2019-03-12",</script>'
    m = meta_of(page(ld + '<meta property="article:published_time" content="2018-05-06T07:08:09Z">'))
    assert m.published == "2018-05-06T07:08:09Z"


def test_dates_from_time_element_and_url() -> None:
    body = '<p>x</p><time datetime="2020-02-29T23:59:00Z">yesterday</time>' + BODY
    assert meta_of(page(body=body)).published == "2020-02-29T23:59:00Z"
    assert meta_of(page(), url="https://blog.example/2019/03/12/slug/").published == "2019-03-12"
    assert meta_of(page(), url="https://blog.example/slug/").published is None


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2019-03-12", "2019-03-12"),
        ("2019-03-12T10:00:00Z", "2019-03-12T10:00:00Z"),
        ("2019-03-12 10:00", "2019-03-12T10:00:00"),
        ("2019-03-12T10:00:00.123+0530", "2019-03-12T10:00:00+05:30"),
        ("20190312", "2019-03-12"),
        ("Tue, 12 Mar 2019 10:00:00 GMT", "2019-03-12T10:00:00Z"),
        ("2019-02-30", None),
        ("0001-01-01T00:00:00Z", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_date_from_url() -> None:
    assert date_from_url("https://x.example/2019/11/08/slug") == "2019-11-08"
    assert date_from_url("https://x.example/news/2019-11-08-slug") == "2019-11-08"
    assert date_from_url("https://x.example/2019/13/08/slug") is None
    assert date_from_url("https://x.example/p/20191108") is None


def test_author_language_title() -> None:
    m = meta_of(page('<meta name="author" content="Jean Dupont">', lang="fr-FR"))
    assert m.author == "Jean Dupont"
    assert m.language == "fr-FR"
    assert m.title == "T"
    assert meta_of(page()).language is None
    assert meta_of(page('<meta property="og:title" content="  The   Real Title ">')).title == "The Real Title"


def test_feed_and_out_links() -> None:
    head = (
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<link rel="alternate" type="application/atom+xml" href="https://news.example/atom">'
        '<link rel="alternate" hreflang="de" href="/de/">'
    )
    body = (
        BODY + '<a href="/a">a</a> <a href="b.html" rel="nofollow">b</a> <a href="#top">top</a>'
        '<a href="javascript:void(0)">js</a> <a href="mailto:x@y.z">mail</a> <a href="tel:+1">tel</a>'
        '<a href="data:text/plain,x">data</a> <a href="https://other.example/x#frag">x</a> <a href="/a">again</a>'
        '<a href="http://[bad">bad</a>'
    )
    ep = extract_page(page(head, body), URL)
    assert ep.feed_links == ("https://news.example/feed.xml", "https://news.example/atom")
    assert ep.out_links == (
        "https://news.example/a",
        "https://news.example/section/b.html",
        "https://other.example/x#frag",
    )


def test_jsonld_dates_of_a_recipe_but_not_of_the_site() -> None:
    ld = (
        '<script type="application/ld+json">[{"@type":"WebSite","datePublished":"2001-01-01"},'
        '{"@type":"Recipe","name":"Soup","datePublished":"2021-11-02","author":{"name":"Chef"}}]</script>'
    )
    m = meta_of(page(ld))
    assert (m.published, m.author) == ("2021-11-02", "Chef")
    only_site = '<script type="application/ld+json">{"@type":"Organization","dateModified":"2001-01-01"}</script>'
    assert meta_of(page(only_site)).modified is None
