"""crawler.discover.follow (`Discovery`), the pure policy of which URLs a
crawl follows: scope, patterns, depth, caps, sitemaps, feeds, redirects."""

from __future__ import annotations

from copyhound.crawler.discover.follow import Discovery
from copyhound.crawler.discover.robots import RobotsPolicy
from copyhound.crawler.types import CrawlConfig, FetchResult, FrontierItem, ParsedPage

SEED = "http://blog.test/"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def discovery(**kw: object) -> Discovery:
    d = Discovery(CrawlConfig(seeds=(SEED,), **kw))  # type: ignore[arg-type]
    d.seeds()
    return d


def page(url: str = SEED, depth: int = 0, *, body: bytes | None = None, content_type: str | None = None,
         ) -> tuple[FrontierItem, FetchResult]:
    return (FrontierItem(url=url, depth=depth),
            FetchResult(url=url, final_url=url, depth=depth, status=200, body=body, content_type=content_type))


def urls(items: list[FrontierItem]) -> list[str]:
    return [i.url for i in items]


def test_seeds_are_normalised_and_bring_their_hosts_into_scope() -> None:
    d = Discovery(CrawlConfig(seeds=("HTTP://Blog.TEST:80/?utm_source=x", "javascript:alert(1)")))
    assert [(i.url, i.depth, i.source) for i in d.seeds()] == [("http://blog.test/", 0, "seed")]
    assert d.in_scope("http://www.blog.test/a") and not d.in_scope("http://other.test/")


def test_links_keep_scope_patterns_and_depth() -> None:
    d = discovery(exclude_patterns=(r"/tag/",), max_depth=1)
    item, res = page()
    links = ("/a", "b?utm_medium=x", "/tag/news", "http://other.test/x", "mailto:me@blog.test", "/a#frag")
    out = d.links(item, res, ParsedPage(links=links))
    assert urls(out) == ["http://blog.test/a", "http://blog.test/b"]  # /a#frag: queued moments ago
    assert all(i.depth == 1 and i.referrer == SEED and i.source == "link" for i in out)
    deeper, res1 = page("http://blog.test/a", depth=1)
    assert d.links(deeper, res1, ParsedPage(links=("/c",))) == []  # beyond max_depth


def test_include_patterns_must_match_when_given() -> None:
    d = discovery(include_patterns=(r"/20\d\d/",))
    item, res = page()
    assert urls(d.links(item, res, ParsedPage(links=("/2024/post", "/about")))) == ["http://blog.test/2024/post"]


def test_nofollow_keeps_only_feeds_and_a_link_farm_is_capped() -> None:
    d = discovery(max_links_per_page=3)
    item, res = page()
    out = d.links(item, res, ParsedPage(links=("/x",), feed_links=("/feed.xml",), nofollow=True))
    assert [(i.url, i.kind) for i in out] == [("http://blog.test/feed.xml", "feed")]
    farm = ParsedPage(links=tuple(f"/p{i}" for i in range(1000)))
    assert len(d.links(item, res, farm)) == 3


def test_robots_sitemaps_stay_in_scope_and_within_the_document_cap() -> None:
    policy = RobotsPolicy(parser=None, user_agent="ua",
                          sitemaps=("http://blog.test/map.xml", "http://169.254.169.254/latest/meta-data"))
    d = discovery(max_sitemap_docs=1)
    assert urls(d.robots_sitemaps("http://blog.test", policy)) == ["http://blog.test/map.xml"]
    assert d.robots_sitemaps("http://blog.test", policy) == []  # the per-run cap is spent
    assert discovery(use_sitemaps=False).robots_sitemaps("http://blog.test", policy) == []


def test_sitemap_entries_carry_lastmod_and_child_sitemaps_keep_depth() -> None:
    body = (f'<?xml version="1.0"?><urlset {NS}><url><loc>http://blog.test/p1</loc><lastmod>2024-03-01</lastmod>'
            "</url><url><loc>http://elsewhere.test/p2</loc></url></urlset>").encode()
    item = FrontierItem(url="http://blog.test/map.xml", depth=0, kind="sitemap")
    res = FetchResult(url=item.url, final_url=item.url, depth=0, status=200, body=body)
    out = discovery().xml_entries(item, res)
    assert [(i.url, i.depth, i.source, i.published_hint) for i in out] == [
        ("http://blog.test/p1", 1, "sitemap", "2024-03-01")]
    index = (f'<?xml version="1.0"?><sitemapindex {NS}><sitemap><loc>http://blog.test/posts.xml</loc></sitemap>'
             "</sitemapindex>").encode()
    res = FetchResult(url=item.url, final_url=item.url, depth=0, status=200, body=index)
    assert [(i.url, i.depth, i.kind) for i in discovery().xml_entries(item, res)] == [
        ("http://blog.test/posts.xml", 0, "sitemap")]


def test_feed_entries_are_read_as_feeds() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>http://blog.test/post</link>'
            b"<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item></channel></rss>")
    item = FrontierItem(url="http://blog.test/feed.xml", depth=1, kind="feed")
    res = FetchResult(url=item.url, final_url=item.url, depth=1, status=200, body=body)
    (entry,) = discovery().xml_entries(item, res)
    assert (entry.url, entry.source, entry.depth) == ("http://blog.test/post", "feed", 2)
    assert entry.published_hint and entry.published_hint.startswith("2024-03-05")


def test_redirect_targets_bad_loops_and_long_chains() -> None:
    d = discovery(max_redirects=2)
    item = FrontierItem(url="http://blog.test/a", depth=1, redirect_chain=("http://blog.test/z",))
    assert d.redirect(item, "HTTP://blog.test/b?utm_source=x") == ("http://blog.test/b", None)
    target, err = d.redirect(item, "javascript:alert(1)")
    assert target is None and err is not None and err.kind == "bad-redirect"
    target, err = d.redirect(item, "http://blog.test/z")
    assert target is None and err is not None and err.kind == "redirect-loop" and "/z -> " in err.message
    long = FrontierItem(url="http://blog.test/c", depth=1, redirect_chain=("http://blog.test/x", "http://blog.test/y"))
    target, err = d.redirect(long, "http://blog.test/d")
    assert target is None and err is not None and err.kind == "too-many-redirects"


def test_a_moved_seed_brings_its_new_host_but_a_page_redirect_does_not() -> None:
    d = discovery()
    page_item = FrontierItem(url="http://blog.test/a", depth=1)
    assert d.follow_redirect(page_item, "http://cdn.test/a") == []
    seed = FrontierItem(url=SEED, depth=0, source="seed")
    (moved,) = d.follow_redirect(seed, "http://blog.example/")
    assert (moved.url, moved.source, moved.redirect_chain) == ("http://blog.example/", "redirect", (SEED,))
    assert d.in_scope("http://blog.example/post")
    assert d.follow_redirect(page_item, "http://blog.example/b") != []  # now in scope for every page
