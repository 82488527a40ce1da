"""Each copy's relation to the canonical post and its SEO audit status.

Relation (contract): `exact` same normalised text; `near` Jaccard at or above
the near threshold; `contains` the page holds the whole post among other
content; `excerpt` a substantial part of the post but not all. A copy on a
page that holds several posts (an archive, a home page) and holds the whole
post is `contains` even when its own post block is an exact copy: the page,
not the block, is what the report lists.

Status (contract order, first that applies): canonical-ok, noindex,
self-canonical, canonical-elsewhere, missing-canonical.
"""

from __future__ import annotations

from copyhound.dedupe.cluster.urlkeys import same_url, url_key
from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.match.similarity import Overlap
from copyhound.dedupe.types import Copy, PostRecord, Relation, Status


def excerpt_min_shared(params: MinHashParams) -> int:
    """Shared shingles that make `excerpt_min_words` consecutive words."""
    return max(1, params.excerpt_min_words - params.shingle_size + 1)


def short_part(ov: Overlap, params: MinHashParams = DEFAULT_PARAMS) -> bool:
    """One text is a piece of the other (held whole by it, not holding it)
    too short to be an excerpt: a teaser, never a copy, however high the
    Jaccard of a short post and its 55-word teaser."""
    one_way = (ov.a_in_b >= params.contains_threshold) != (ov.b_in_a >= params.contains_threshold)
    return one_way and ov.shared < excerpt_min_shared(params)


def relation(
    copy: PostRecord, ov: Overlap, *, exact: bool, params: MinHashParams = DEFAULT_PARAMS
) -> Relation | None:
    """The copy's relation to the canonical post, or None when it is no copy.

    `ov` is oriented canonical → copy: `ov.a_in_b` is the fraction of the
    canonical's shingles found in the copy.
    """
    held = 1.0 if exact else ov.a_in_b
    # only the copy can be the teaser: a short post held whole by a longer
    # text (the post plus a byline or "originally published at") is copied whole
    if not exact and short_part(ov, params) and held < params.contains_threshold:
        return None
    if copy.page_posts > 1 and held >= params.contains_threshold:
        return "contains"
    if exact:
        return "exact"
    if ov.jaccard >= params.near_threshold:
        return "near"
    if held >= params.contains_threshold:
        return "contains"
    if ov.shared >= excerpt_min_shared(params) and ov.b_in_a >= params.excerpt_min_share:
        return "excerpt"
    return None


def status(copy: PostRecord, canonical_url: str) -> Status:
    link = copy.canonical_link
    if link and same_url(link, canonical_url):
        return "canonical-ok"
    if copy.robots_noindex:
        return "noindex"
    if link and same_url(link, copy.url):
        return "self-canonical"
    if link:
        return "canonical-elsewhere"
    return "missing-canonical"


def links_to(copy: PostRecord, canonical_url: str) -> bool:
    key = url_key(canonical_url)
    return any(url_key(link) == key for link in copy.links)


def make_copy(
    copy: PostRecord, canonical: PostRecord, ov: Overlap, rel: Relation, *, exact: bool
) -> Copy:
    return Copy(
        post_id=copy.post_id,
        page_id=copy.page_id,
        url=copy.url,
        relation=rel,
        similarity=1.0 if exact else round(ov.jaccard, 4),
        containment=1.0 if exact else round(ov.a_in_b, 4),
        canonical_link=copy.canonical_link,
        robots_noindex=copy.robots_noindex,
        links_to_canonical=links_to(copy, canonical.url),
        status=status(copy, canonical.url),
    )


__all__ = ["excerpt_min_shared", "links_to", "make_copy", "relation", "short_part", "status"]
