"""Site-level chrome learning: the recurring sign-up line is chrome, the post
that recurs on its page, four tag archives and the home page is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from copyhound.dedupe.extract.page import extract_page
from copyhound.dedupe.extract.sitechrome import (
    HostChrome,
    learn_chrome,
    learn_chrome_by_host,
    normalise_block,
    page_blocks,
    split_blocks,
    strip_chrome,
)

HOST = Path(__file__).resolve().parents[2] / "fixtures" / "extraction" / "chromehost"
SIGNUP = (
    "Gefällt Ihnen das? Über 2.000 Leserinnen und Leser bekommen jeden neuen Beitrag per E-Mail – tragen Sie sich ein."
)
TAGS = ["herbst", "beete", "zwiebeln-und-knollen", "fruehling"]


def _extract(name: str, chrome: HostChrome | None = None):
    return extract_page((HOST / name).read_bytes(), f"https://garten.example/{name}", chrome=chrome)


def _host_pages() -> list[list[str]]:
    """Every page of the host as its post blocks, as the pipeline stores them."""
    pages = []
    for path in sorted(HOST.glob("*.html")):
        ep = _extract(path.name)
        pages.append(page_blocks(post.text for post in ep.posts))
    return pages


def test_fixture_host_has_the_trap() -> None:
    # the post "Jetzt Zwiebeln setzen" is on its own page, four tag archives and the home page
    holding = [
        p.name
        for p in sorted(HOST.glob("*.html"))
        if any(x.title == "Jetzt Zwiebeln setzen" for x in _extract(p.name).posts)
    ]
    assert sorted(holding) == sorted(["index.html", "zwiebeln.html", *[f"tag-{t}.html" for t in TAGS]])
    # and markup gives no hint about the sign-up line: extraction alone keeps it
    assert _extract("zwiebeln.html").posts[0].text.endswith(SIGNUP)


def test_only_the_signup_line_is_learned() -> None:
    chrome = learn_chrome(_host_pages())
    assert chrome.blocks == frozenset({normalise_block(SIGNUP)})
    assert chrome.pages == 8


def test_extract_with_learned_chrome_strips_it_everywhere() -> None:
    chrome = learn_chrome(_host_pages())
    single = _extract("zwiebeln.html", chrome).posts[0]
    assert SIGNUP not in single.text
    assert single.text.startswith("Im Herbst wird der Garten still, aber nicht leer.")
    assert single.text.endswith("Kälte und Geduld erledigen den Rest bis zum Frühjahr.")
    archive = _extract("tag-herbst.html", chrome)
    assert [p.title for p in archive.posts] == ["Jetzt Zwiebeln setzen", "Tomaten im Regen schützen"]
    assert archive.posts[0].text == single.text  # the archive still contains the post, word for word
    assert all(SIGNUP not in p.text for p in archive.posts)


def test_single_page_without_siblings_learns_nothing_and_still_extracts() -> None:
    pages = [split_blocks(_extract("kompost.html").posts[0].text)]
    assert not learn_chrome(pages)
    assert _extract("kompost.html").posts[0].text.startswith("Kompost ist kein Abfallhaufen")


def test_one_page_under_several_urls_is_not_chrome() -> None:
    # the same page fetched as /a, /a?utm=x, /a/amp: the same blocks with the same company
    page = ["A short greeting.", "Another short line.", "Buy our book."]
    assert not learn_chrome([page, page, page, page])


def test_recurring_block_beside_different_content_is_chrome() -> None:
    prompt = "No Comments Yet."
    topics = ["gardening", "cooking", "sailing", "chess", "pottery"]
    pages = [[f"This post says something about {t}, at some length.", prompt] for t in topics]
    chrome = learn_chrome(pages)
    assert chrome.blocks == frozenset({normalise_block(prompt)})
    assert strip_chrome(f"Body text.\n\n{prompt}", chrome) == "Body text."


def test_long_recurring_runs_are_never_chrome() -> None:
    post = [f"Paragraph {n} of a long post " + "word " * 30 for n in range(4)]
    pages = [[*post, f"Other post about {t} " + "text " * 40] for t in ["a", "b", "c", "d", "e", "f"]]
    assert not learn_chrome(pages)


@pytest.mark.parametrize("text", ["3 Comments", "12 comments"])
def test_numbers_are_generalised(text: str) -> None:
    chrome = HostChrome(blocks=frozenset({normalise_block("1 Comments")}))
    assert strip_chrome(f"Body.\n\n{text}", chrome) == "Body."


def test_first_paragraph_shown_as_excerpt_is_not_chrome() -> None:
    """WordPress's <!--more--> excerpts: each post's first paragraph alone on the
    home page and its tag pages, the whole post on its own page."""
    signup = "Join 2,000 readers: get every new post by email."
    prompt = ["No Comments Yet.", "What do you think?"]
    posts = {
        name: [
            f"{name} paragraph {word}: " + " ".join([f"{name}-{word}"] * 12) for word in ("one", "two", "three", "four")
        ]
        for name in ("alpha", "beta", "gamma", "delta")
    }
    singles = [[*paras, signup, *prompt] for paras in posts.values()]
    home = [b for paras in posts.values() for b in (paras[0], signup)]
    tags = [
        [posts[a][0], signup, posts[b][0], signup]
        for a, b in [("alpha", "beta"), ("alpha", "gamma"), ("beta", "delta"), ("gamma", "alpha")]
    ]
    chrome = learn_chrome([*singles, home, *tags])
    assert chrome.blocks == frozenset(normalise_block(b) for b in [signup, *prompt])
    kept = strip_chrome("\n\n".join(singles[0]), chrome)
    assert kept == "\n\n".join(posts["alpha"])


def test_learn_chrome_by_host_keeps_hosts_apart() -> None:
    garden = [("garten.example", [p.text for p in _extract(path.name).posts]) for path in sorted(HOST.glob("*.html"))]
    # another host whose pages share nothing with the first, and only two pages
    other = [("other.example", ["A single post about boats and the sea, at some length."]), ("other.example", ["x"])]
    learned = learn_chrome_by_host([*garden, *other])
    assert set(learned) == {"garten.example"}
    assert learned["garten.example"].blocks == frozenset({normalise_block(SIGNUP)})
