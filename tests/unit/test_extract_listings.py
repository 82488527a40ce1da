"""Multi-post pages in several themes and languages: every post found, each
with its own title, text, permalink and date; teasers marked; single posts
with linked or sectioned sub-headings kept whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from copyhound.dedupe.extract.page import extract_page, main_text

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "extraction"


def extract(name: str, url: str):
    return extract_page((FIX / name).read_bytes(), url)


def test_french_news_front_is_four_teasers_without_chrome() -> None:
    ep = extract("news_front_fr.html", "https://littoral.example/")
    assert [p.title for p in ep.posts] == [
        "Les dunes reculent encore sur la côte sud",
        "Le port de pêche se modernise",
        "Un festival de jazz sur la plage cet été",
        "Le club de voile sacré champion de France",
    ]
    assert {p.kind for p in ep.posts} == {"teaser"}
    first = ep.posts[0]
    assert first.permalink == "https://littoral.example/environnement/2021/03/04/les-dunes-reculent-encore/"
    assert first.published == "2021-03-04T07:45:00+01:00"
    assert first.text == (
        "Après les tempêtes de l’hiver, le trait de côte a perdu près de quatre mètres à certains endroits, "
        "selon les relevés de l’observatoire régional."
    )
    everything = "\n".join(p.text for p in ep.posts)
    for chrome in ["cookies", "Les plus lus", "Newsletter", "Environnement", "7h45", "plus anciens", "Mentions"]:
        assert chrome not in everything
    assert ep.feed_links == ("https://littoral.example/rss.xml",)


def test_japanese_category_archive_holds_three_whole_posts() -> None:
    ep = extract("blog_archive_ja.html", "https://daidokoro.example/category/ryouri/")
    assert [p.title for p in ep.posts] == ["手前味噌を仕込む", "七草がゆの日", "黒豆を煮る"]
    assert [p.kind for p in ep.posts] == ["post"] * 3  # CJK text is counted by characters, not spaces
    assert [p.published for p in ep.posts] == ["2021-01-15", "2021-01-08", "2020-12-30"]  # from the permalinks
    assert ep.posts[0].text.startswith("一年でいちばん寒いこの時期は")
    assert ep.posts[0].text.endswith("甘めの仕上がりを目指しました。")
    assert "2021年1月15日" not in ep.posts[0].text  # the dateline is not post text
    assert all("最近の投稿" not in p.text and "Copyright" not in p.text for p in ep.posts)
    assert ep.meta.language == "ja"


def test_russian_home_page_with_flat_titles_and_paragraphs() -> None:
    ep = extract("blog_home_ru.html", "https://velo.example/")
    assert [p.title for p in ep.posts] == ["Урал за неделю", "Как выбрать седло", "Ремонт в дороге"]
    assert [p.kind for p in ep.posts] == ["post"] * 3
    assert [p.permalink for p in ep.posts][1] == "https://velo.example/2020/05/30/kak-vybrat-sedlo/"
    assert ep.posts[1].text.count("\n\n") == 2  # three paragraphs
    assert ep.posts[2].text.endswith("выручает в самых безнадёжных ситуациях.")
    assert "Более ранние записи" not in ep.posts[2].text
    assert ep.feed_links == ("https://velo.example/atom.xml",)


def test_aggregator_front_links_to_other_hosts() -> None:
    ep = extract("aggregator_en.html", "https://linkpile.example/")
    assert [p.permalink for p in ep.posts] == [
        "https://engineering.example.org/postmortem-dns",
        "https://blog.example.net/sqlite-at-scale",
        "https://news.example.com/2021/ocean-mapping",
    ]
    assert {p.kind for p in ep.posts} == {"teaser"}
    assert all("points by" not in p.text and "comments" not in p.text for p in ep.posts)


def test_ghost_author_page_cards_linked_as_a_whole() -> None:
    ep = extract("ghost_author_en.html", "https://slowbuild.example/author/priya/")
    assert [(p.title, p.kind) for p in ep.posts] == [
        ("Sharpening chisels without a jig", "teaser"),
        ("A first workbench from construction lumber", "teaser"),
    ]
    assert ep.posts[0].permalink == "https://slowbuild.example/sharpening-chisels/"
    assert ep.posts[0].published == "2023-04-01"
    assert ep.posts[1].text.startswith("Two weekends, forty dollars of spruce")
    assert all("min read" not in p.text and "Priya writes" not in p.text for p in ep.posts)


def test_medium_like_post_in_sections_stays_one_post() -> None:
    ep = extract("medium_single_es.html", "https://medio.example/@luciaferrer/como-aprendi-4f2a9c")
    assert len(ep.posts) == 1
    post = ep.posts[0]
    assert post.title == "Cómo aprendí a escribir todos los días"
    assert post.text.startswith("Durante años pensé que escribir")
    assert "La primera semana" in post.text and "Lo que cambió después de un mes" in post.text
    assert "No escribes porque tienes algo que decir" in post.text  # quotes kept
    assert post.text.endswith("Lo importante es no romper la cadena.")
    for chrome in ["Escrito por", "Más de Lucía", "Leer en el metro", "seguidores", "min de lectura", "Iniciar sesión"]:
        assert chrome not in post.text
    assert ep.meta.author == "Lucía Ferrer"
    assert ep.meta.published == "2022-02-14T09:12:44Z"


def test_german_news_article_with_inline_related_links_stays_one_post() -> None:
    url = "https://rundschau.example/lokales/stadtrat-beschliesst-neue-radwege-a-1234.html"
    ep = extract("news_single_de.html", url)
    assert len(ep.posts) == 1
    post = ep.posts[0]
    assert post.kind == "post"
    assert post.title == "Stadtrat beschließt neue Radwege"
    assert post.text.startswith("Nach mehr als drei Stunden Debatte")
    assert "Händler fürchten um Parkplätze" in post.text
    assert post.text.endswith("Ein erstes Treffen ist für Ende Mai angesetzt.")
    for chrome in ["Cookies", "Startseite", "Teilen", "Freibad", "Mehr aus Lokales", "Foto: Archiv", "Impressum"]:
        assert chrome not in post.text
    assert "Auch interessant" not in post.text  # class-marked as related
    assert post.links == ()
    m = ep.meta
    assert m.canonical_link == url and m.og_url == url
    assert (m.published, m.modified, m.author) == (
        "2023-05-09T17:05:00+02:00",
        "2023-05-10T08:00:00+02:00",
        "Jonas Keller",
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wp_tag.html", 3),
        ("blog_archive_ja.html", 3),
        ("blog_home_ru.html", 3),
        ("news_single_de.html", 1),
        ("medium_single_es.html", 1),
    ],
)
def test_main_text_holds_every_whole_post(name: str, expected: int) -> None:
    ep = extract(name, "https://x.example/")
    text = main_text((FIX / name).read_text("utf-8"))
    assert text == "\n\n".join(p.text for p in ep.posts)
    assert sum(p.kind == "post" for p in ep.posts) == expected


def test_hugo_list_titles_without_links_use_the_card_overlay_link() -> None:
    ep = extract("hugo_list_en.html", "https://fieldnotes.example/posts/")
    assert [(p.title, p.kind) for p in ep.posts] == [
        ("Counting birds in the rain", "teaser"),  # one-paragraph summaries, ~60 words each
        ("A cheap field notebook that survives", "teaser"),
    ]
    assert [p.permalink for p in ep.posts] == [
        "https://fieldnotes.example/posts/counting-birds-in-the-rain/",
        "https://fieldnotes.example/posts/a-cheap-field-notebook/",
    ]
    assert all("min" not in p.text.split() and "Next" not in p.text for p in ep.posts)


def test_blogger_home_page_in_a_widget_with_br_paragraphs() -> None:
    ep = extract("blogger_home_en.html", "https://allotment.example/")
    assert [(p.title, p.kind) for p in ep.posts] == [("First potatoes", "post"), ("Slugs, again", "post")]
    first = ep.posts[0]
    assert first.permalink == "https://allotment.example/2019/05/first-potatoes.html"
    assert first.published == "2019-05-12T18:04:00+01:00"  # hAtom <abbr class="published">
    assert first.text.count("\n\n") == 2  # <br><br> separates paragraphs
    assert first.text.endswith("That job is for next weekend, or the one after.")
    assert first.links == ()  # its own permalink and comment form are not attribution links
    for chrome in ["Posted by", "Email This", "Older Posts", "Blog Archive", "Sunday"]:
        assert all(chrome not in p.text for p in ep.posts)


def test_post_followed_by_article_cards_is_one_post() -> None:
    para = "<p>" + "This is the main post text, a long paragraph of real prose about something. " * 3 + "</p>"
    html = (
        f"<html><head><title>Main post</title></head><body><div class='content'><h1>Main post</h1>{para * 3}"
        "<div class='more-from-us'><h2>You might also enjoy</h2>"
        "<article><h3><a href='/a'>Another story</a></h3><p>A teaser for another story, fairly long.</p></article>"
        "<article><h3><a href='/b'>Third story</a></h3><p>A teaser for the third story, long.</p></article>"
        "</div></div></body></html>"
    )
    ep = extract_page(html, "https://x.example/main")
    assert [(p.title, p.kind) for p in ep.posts] == [("Main post", "post")]
    assert ep.posts[0].text.endswith("real prose about something.")
    assert "A teaser for" not in ep.posts[0].text


def test_listing_without_title_links_or_articles() -> None:
    para = "<p>" + "A paragraph of real prose in this post, long enough to count as prose here. " * 3 + "</p>"
    items = "".join(f"<div class='post'><h2>Post {n}</h2>{para * 2}</div>" for n in ("one", "two", "three"))
    ep = extract_page(f"<html><body><div id='content'>{items}</div></body></html>", "https://old.example/")
    assert [(p.title, p.kind) for p in ep.posts] == [("Post one", "post"), ("Post two", "post"), ("Post three", "post")]
    # sections of one long post share a shape too, but do not say they are posts
    sections = "".join(f"<section><h2>Part {n}</h2>{para * 2}</section>" for n in ("one", "two", "three"))
    ep = extract_page(f"<html><body><article><h1>Guide</h1>{sections}</article></body></html>", "https://x.example/")
    assert [p.title for p in ep.posts] == ["Guide"]
    assert "Part two" in ep.posts[0].text
