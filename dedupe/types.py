"""Values that cross module lines in `dedupe/`: plain frozen dataclasses.

Extraction turns one fetched page into an `ExtractedPage` (page metadata and its
posts); matching turns the stored posts into `Cluster`s. The `Literal`s mirror
the enums of the report schema (copyhound/report.schema.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Relation = Literal["exact", "near", "contains", "excerpt"]
Status = Literal["canonical-ok", "noindex", "self-canonical", "canonical-elsewhere", "missing-canonical"]
Reason = Literal["own-domain", "declared-canonical", "earliest-published", "earliest-seen", "most-complete"]
PostKind = Literal["post", "teaser"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PageMeta:
    """Page-level metadata the audit and the canonical election need.

    `canonical_link` is the declared canonical (``<link rel=canonical>`` or the
    HTTP ``Link`` header) resolved to an absolute URL, or None when absent:
    never the page URL by default. Conflicting declarations are all kept in
    `canonical_links` (the first one wins as `canonical_link`).
    """

    title: str | None = None
    canonical_link: str | None = None
    canonical_links: tuple[str, ...] = ()
    og_url: str | None = None
    robots_noindex: bool = False
    published: str | None = None  # ISO 8601 date or date-time
    modified: str | None = None
    author: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Post:
    """One post found on a page, in page order (`ordinal` from 0).

    `text` is the post body without its title and without chrome; paragraphs
    are separated by blank lines. `links` are the absolute URLs linked from the
    post's own area (attribution). `kind` is "teaser" for listing items that
    show only a title and a sentence or two: they are stored, never compared.
    """

    ordinal: int
    text: str
    title: str | None = None
    links: tuple[str, ...] = ()
    permalink: str | None = None
    published: str | None = None
    kind: PostKind = "post"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractedPage:
    """Everything extraction finds on one page.

    `out_links` are all followable links of the page (absolute, in page order,
    not yet normalised or scoped: the crawler does that); `feed_links` are the
    RSS/Atom feeds it advertises. `error` says why `posts` is empty, when it is.
    """

    meta: PageMeta
    posts: tuple[Post, ...] = ()
    out_links: tuple[str, ...] = ()
    feed_links: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PostRecord:
    """A stored post, as the matcher sees it: the post plus its page's audit facts.

    `page_posts` is how many non-teaser posts the page holds (a page holding
    several is never a canonical candidate while a page holds the post alone).
    `first_seen` is when the crawler first stored the page (ISO 8601).
    """

    post_id: int
    page_id: int
    url: str
    host: str
    text: str
    title: str | None = None
    page_posts: int = 1
    published: str | None = None
    first_seen: str | None = None
    canonical_link: str | None = None
    robots_noindex: bool = False
    links: tuple[str, ...] = ()
    own_domain: bool = False
    ordinal: int = 0  # the post's place on its page (cluster ids derive from it)
    words: int = 0  # words of the post text ("most complete" compares these)
    permalink: str | None = None  # where the page's entry for the post links as the post's own page


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """A verified pair of posts: `similarity` is the (estimated) Jaccard of the
    two texts; `containment_ab` the fraction of a's shingles found in b, and
    `containment_ba` the reverse."""

    a: int
    b: int
    similarity: float
    containment_ab: float
    containment_ba: float
    exact: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Copy:
    """One copy in a cluster, with its audit verdict (report schema `copies[]`)."""

    post_id: int
    page_id: int
    url: str
    relation: Relation
    similarity: float
    containment: float
    canonical_link: str | None
    robots_noindex: bool
    links_to_canonical: bool
    status: Status


@dataclass(frozen=True, slots=True, kw_only=True)
class Cluster:
    """One post and every other place its text appears.

    `id` is stable across runs for the same canonical post text (derived from
    the canonical's URL and text hash), so reports can be diffed.
    """

    id: str
    canonical_post_id: int
    canonical_page_id: int
    canonical_url: str
    title: str | None
    published: str | None
    reason: Reason
    copies: tuple[Copy, ...] = field(default=())
