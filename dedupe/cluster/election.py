"""Canonical election, exactly in the contract's order.

Candidates are the members whose page holds the post on its own, while there
is one (an archive or home page holding it among other posts is a copy, not
the original), and that are not listings of another member: a page whose
entry for the post links to another member as the post's permalink (a month
archive holding a single post) names that member as the post's own page.
Then, each rule choosing among those the previous one left tied: a page on
an own domain; the URL that members' rel=canonical links agree on, if it is
a candidate; the earliest published date; the earliest
first seen; the most complete text. `reason` names the rule that decided.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from copyhound.dedupe.cluster.urlkeys import url_key
from copyhound.dedupe.types import PostRecord, Reason

_Rule = Callable[[list[PostRecord], Sequence[PostRecord]], list[PostRecord]]


def _own_domain(cands: list[PostRecord], _members: Sequence[PostRecord]) -> list[PostRecord]:
    return [c for c in cands if c.own_domain]


def _declared(cands: list[PostRecord], members: Sequence[PostRecord]) -> list[PostRecord]:
    """Candidates with the most rel=canonical votes from other members.

    A page naming itself canonical does not vote: every WordPress page does
    that, scrapers included, so it says nothing about which copy is original.
    """
    votes: Counter[str] = Counter()
    for m in members:
        if m.canonical_link and url_key(m.canonical_link) != url_key(m.url):
            votes[url_key(m.canonical_link)] += 1
    tally = {id(c): votes.get(url_key(c.url), 0) for c in cands}
    top = max(tally.values(), default=0)
    return [c for c in cands if top and tally[id(c)] == top]


def _when(value: str | None) -> tuple[date, datetime | None] | None:
    """(day, instant or None when only a day is given) of an ISO 8601 string."""
    if not value:
        return None
    v = value.strip()
    try:
        if len(v) <= 10:
            return date.fromisoformat(v), None
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(v[:10]), None
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    dt = dt.astimezone(UTC)
    return dt.date(), dt


def earliest(cands: list[PostRecord], value: Callable[[PostRecord], str | None]) -> list[PostRecord]:
    """The candidates dated earliest; [] when none has a usable date.

    When one of the earliest-day dates has no time of day, the day decides
    (a date-only value cannot be ordered against a time on the same day).
    """
    dated = [(c, w) for c in cands if (w := _when(value(c))) is not None]
    if not dated:
        return []
    day = min(w[0] for _, w in dated)
    first = [(c, w) for c, w in dated if w[0] == day]
    if all(w[1] is not None for _, w in first):
        t = min(w[1] for _, w in first if w[1] is not None)
        first = [(c, w) for c, w in first if w[1] == t]
    return [c for c, _ in first]


def _published(cands: list[PostRecord], _members: Sequence[PostRecord]) -> list[PostRecord]:
    return earliest(cands, lambda c: c.published)


def _first_seen(cands: list[PostRecord], _members: Sequence[PostRecord]) -> list[PostRecord]:
    return earliest(cands, lambda c: c.first_seen)


def _most_complete(cands: list[PostRecord], _members: Sequence[PostRecord]) -> list[PostRecord]:
    most = max(_size(c) for c in cands)
    return [c for c in cands if _size(c) == most]


def _size(c: PostRecord) -> int:
    return c.words or len(c.text.split())


RULES: tuple[tuple[Reason, _Rule], ...] = (
    ("own-domain", _own_domain),
    ("declared-canonical", _declared),
    ("earliest-published", _published),
    ("earliest-seen", _first_seen),
    ("most-complete", _most_complete),
)


def candidates(members: Sequence[PostRecord]) -> list[PostRecord]:
    """The members that may be the original: pages holding the post alone and
    not naming another member as its permalink, while there is one."""
    pool = [m for m in members if not is_listing_of_member(m, members)] or list(members)
    alone = [m for m in pool if m.page_posts <= 1]
    return alone or pool


def is_listing_of_member(m: PostRecord, members: Sequence[PostRecord]) -> bool:
    """True when `m`'s entry for the post links to another member's URL as the
    post's permalink (title link, rel=bookmark, u-url)."""
    if not m.permalink:
        return False
    target = url_key(m.permalink)
    return target != url_key(m.url) and any(url_key(o.url) == target for o in members if o is not m)


def elect(members: Sequence[PostRecord]) -> tuple[PostRecord, Reason]:
    """The canonical of `members` and the rule that decided.

    A rule that leaves one candidate decides; one that keeps several narrows
    the field for the next; one that matches none leaves it as it was. A tie
    left after "most complete" goes to the smallest URL (then post id), so the
    result never depends on input order; the reason is then "most-complete".
    """
    if not members:
        raise ValueError("cannot elect a canonical among no members")
    cands = candidates(members)
    for reason, rule in RULES:
        kept = rule(cands, members)
        if len(kept) == 1:
            return kept[0], reason
        if kept:
            cands = kept
    return min(cands, key=lambda c: (url_key(c.url), c.post_id)), "most-complete"


__all__ = ["RULES", "candidates", "earliest", "elect", "is_listing_of_member"]
