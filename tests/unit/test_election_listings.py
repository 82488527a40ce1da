"""The election knows listings: an archive entry that links to another member
as the post's permalink is never the canonical while that member is one."""

from __future__ import annotations

from copyhound.dedupe.cluster.election import candidates, elect, is_listing_of_member
from copyhound.dedupe.types import PostRecord

TEXT = "the same post text in both places " * 20


def _rec(post_id: int, url: str, *, permalink: str | None = None, own_domain: bool = True) -> PostRecord:
    return PostRecord(post_id=post_id, page_id=post_id, url=url, host="blog.example", text=TEXT,
                      permalink=permalink, own_domain=own_domain)


def test_month_archive_holding_one_post_loses_to_the_post_page() -> None:
    # The archive URL sorts first, so without the listing rule the tie-break
    # (smallest URL, "most-complete") would elect it.
    archive = _rec(1, "https://blog.example/2024/03/", permalink="https://blog.example/2024/03/my-post/")
    post = _rec(2, "https://blog.example/2024/03/my-post/")
    winner, _reason = elect([archive, post])
    assert winner is post
    assert is_listing_of_member(archive, [archive, post])
    assert candidates([archive, post]) == [post]


def test_a_listing_stays_a_candidate_when_the_page_it_names_is_not_a_member() -> None:
    archive = _rec(1, "https://blog.example/2024/03/", permalink="https://blog.example/2024/03/gone/")
    copy = _rec(2, "https://partner.example/copy/", own_domain=False)
    assert not is_listing_of_member(archive, [archive, copy])
    assert archive in candidates([archive, copy])


def test_a_page_naming_itself_as_permalink_is_no_listing() -> None:
    page = _rec(1, "https://blog.example/p/", permalink="https://blog.example/p/#top")
    other = _rec(2, "https://partner.example/p/")
    assert not is_listing_of_member(page, [page, other])


def test_every_member_a_listing_keeps_the_field() -> None:
    a = _rec(1, "https://a.example/", permalink="https://b.example/")
    b = _rec(2, "https://b.example/", permalink="https://a.example/")
    assert len(candidates([a, b])) == 2
