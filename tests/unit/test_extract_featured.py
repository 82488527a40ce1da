"""A listing's featured entry: the newest post shown in full in an `<aside>`
above the list of summaries (Pelican's stock theme) is one of the listing's
entries, with its own title, permalink and whole text; sidebars, post pages
and comment sections are not turned into entries."""

from __future__ import annotations

from copyhound.dedupe.extract.page import extract_page

PARA = (
    "The harbour crane lifted the last crate of lanterns onto the ferry while the gulls argued over "
    "the fish market's scraps and the tide turned slowly under the old stone bridge."
)


def _summary(n: int, level: int = 1) -> str:
    return f"""
    <li><article class="hentry">
      <header><h{level} class="entry-title">
        <a href="/post-{n}.html" rel="bookmark">Summary title {n}</a></h{level}></header>
      <div class="entry-content"><p>{PARA} Item {n} goes on for a while with its own words.</p></div>
      <a class="readmore" href="/post-{n}.html">read more</a>
    </article></li>"""


def _featured(level: int = 1, wrapper: str = 'aside id="featured" class="body"', close: str = "aside") -> str:
    return f"""
  <{wrapper}>
    <article>
      <h{level} class="entry-title"><a href="/post-9.html">The featured post</a></h{level}>
      <footer class="post-info"><abbr class="published" title="2024-12-26T15:41:00+00:00">2024-12-26</abbr>
        <p>In <a href="/category/travel.html">travel</a>.</p></footer>
      <p>{PARA} First paragraph of the featured post.</p>
      <p>{PARA} Second paragraph of the featured post.</p>
      <p>{PARA} Third paragraph of the featured post.</p>
    </article>
  </{close}>"""


def _page(featured: str, items: str) -> str:
    return f"""<html><head><title>Ferry Gazette</title></head><body>
  <header id="banner"><h1><a href="/">Ferry Gazette</a></h1>
    <nav><ul><li><a href="/a.html">A</a></li></ul></nav></header>
  {featured}
  <section id="content" class="body"><h1>Other articles</h1><ol id="posts-list" class="hfeed">{items}</ol></section>
  <footer id="contentinfo"><p>Proudly powered by an engine.</p></footer>
</body></html>"""


def test_featured_full_post_is_the_listings_first_entry() -> None:
    ep = extract_page(_page(_featured(), _summary(1) + _summary(2) + _summary(3)), "https://blog.example/")
    assert [p.title for p in ep.posts] == ["The featured post", "Summary title 1", "Summary title 2",
                                           "Summary title 3"]
    first = ep.posts[0]
    assert first.permalink == "https://blog.example/post-9.html"
    assert first.kind == "post"
    assert first.text.count(PARA) == 3 and "Third paragraph" in first.text
    assert "travel" not in first.text  # the entry's footer is chrome still


def test_a_sidebar_with_smaller_linked_headings_is_no_entry() -> None:
    # a "popular posts" box in the sidebar: its titles are below the listing's
    ep = extract_page(_page(_featured(level=3), _summary(1, 2) + _summary(2, 2)), "https://blog.example/")
    assert [p.title for p in ep.posts] == ["Summary title 1", "Summary title 2"]


def test_a_post_page_keeps_its_one_post_beside_a_featured_box() -> None:
    post = f"""<section id="content" class="body"><article><h1>My own post</h1>
      <p>{PARA} Mine.</p><p>{PARA} Still mine.</p><p>{PARA} The end of mine.</p></article></section>"""
    html = f"<html><head><title>My own post</title></head><body>{_featured()}{post}</body></html>"
    ep = extract_page(html, "https://blog.example/my-own-post.html")
    assert len(ep.posts) == 1 and ep.posts[0].title == "My own post"


def test_a_comment_section_is_never_an_entry() -> None:
    comments = _featured(wrapper='section id="comments" class="comments"', close="section")
    ep = extract_page(_page(comments, _summary(1) + _summary(2)), "https://blog.example/")
    assert [p.title for p in ep.posts] == ["Summary title 1", "Summary title 2"]


def test_a_long_featured_post_that_holds_most_of_the_page_keeps_its_title() -> None:
    # The aside holds most of the page's prose: its mark is lifted (the page's main
    # text), and its heading is still the entry's title, not an untitled <article>.
    long = _featured().replace("</article>", "".join(f"<p>{PARA} More {k}.</p>" for k in range(30)) + "</article>")
    ep = extract_page(_page(long, _summary(1) + _summary(2)), "https://blog.example/tag/x.html")
    assert [p.title for p in ep.posts] == ["The featured post", "Summary title 1", "Summary title 2"]
    assert ep.posts[0].permalink == "https://blog.example/post-9.html"
    assert ep.posts[0].text.count(PARA) == 33


def test_featured_beside_one_other_summary_is_a_listing_of_two() -> None:
    # a category with two posts: the newest in full, the other as the only "other article"
    ep = extract_page(_page(_featured(), _summary(1)), "https://blog.example/category/travel.html")
    assert [(p.title, p.permalink) for p in ep.posts] == [
        ("The featured post", "https://blog.example/post-9.html"),
        ("Summary title 1", "https://blog.example/post-1.html"),
    ]


def test_a_post_page_linking_its_own_title_keeps_its_one_post() -> None:
    url = "https://blog.example/my-own-post.html"
    post = f"""<section id="content" class="body"><article>
      <header><h1 class="entry-title"><a href="{url}" rel="bookmark">My own post</a></h1></header>
      <div class="entry-content"><p>{PARA} Mine.</p><p>{PARA} Still mine.</p></div></article></section>"""
    html = f"<html><head><title>My own post</title></head><body>{_featured()}{post}</body></html>"
    ep = extract_page(html, url)
    assert [p.title for p in ep.posts] == ["My own post"] and ep.posts[0].permalink is None


def test_the_post_area_itself_is_no_featured_entry() -> None:
    # the post area is the <article>: its own linked title (rel=bookmark) makes no second entry
    html = (f'<html><head><title>T</title></head><body><article><h1 class="entry-title">'
            f'<a href="https://blog.example/2024/03/t/" rel="bookmark">T</a></h1><p>{PARA}</p><p>{PARA} Two.</p>'
            "</article></body></html>")
    assert len(extract_page(html, "https://blog.example/?p=7").posts) == 1
