"""The summary a person reads first: how many of your posts are copied, on
how many hosts, how many copies compete with your original, and how many
changed since the previous run. Pure: over the report dict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# Indexable copies that say they are the original, or say nothing: search
# engines may rank them instead of the post.
COMPETING = ("self-canonical", "missing-canonical")


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    own: bool  # the counts are about the owner's posts (--own-domain known)
    posts_copied: int
    copies: int
    hosts: int
    competing: int
    changed: int | None  # new, gone or status-changed copies since the previous run; None: no previous run


def count_changes(before: Iterable[tuple[tuple[str, str], str]], after: Iterable[tuple[tuple[str, str], str]]) -> int:
    """Copies (keyed by canonical URL and copy URL, valued by status) new, gone or with another status."""
    old, new = dict(before), dict(after)
    return sum(1 for k in new if old.get(k) != new[k]) + sum(1 for k in old if k not in new)


def summarise(report: dict[str, Any], *, changed: int | None = None) -> Summary:
    own = [cl for cl in report["clusters"] if cl.get("own_post")]
    clusters = own if own or report.get("own_domains") else report["clusters"]
    copies = [c for cl in clusters for c in cl["copies"]]
    return Summary(
        own=bool(own or report.get("own_domains")),
        posts_copied=len(clusters),
        copies=len(copies),
        hosts=len({(urlsplit(c["url"]).hostname or "") for c in copies}),
        competing=sum(1 for c in copies if c["status"] in COMPETING),
        changed=changed,
    )


def _n(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def summary_sentences(s: Summary) -> list[str]:
    whose = "of your posts" if s.own else "posts"
    out = [
        f"{_n(s.posts_copied, 'post', 'posts') if not s.own else f'{s.posts_copied:,} {whose}'} "
        f"{'is' if s.posts_copied == 1 else 'are'} copied: {_n(s.copies, 'copy', 'copies')} "
        f"on {_n(s.hosts, 'host', 'hosts')}.",
        f"{_n(s.competing, 'copy competes', 'copies compete')} with the original "
        "(self-canonical or missing-canonical: search engines may rank them instead).",
    ]
    if s.changed is None:
        out.append("No previous run to compare with.")
    else:
        out.append(f"{_n(s.changed, 'copy', 'copies')} changed since the previous run (new, gone or new status).")
    return out


__all__ = ["COMPETING", "Summary", "count_changes", "summarise", "summary_sentences"]
