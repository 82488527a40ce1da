"""Extraction entry points: one fetched page in, an `ExtractedPage` out.

    parse (html) → walk into text blocks (textblocks) → chrome marks and the
    post area (boilerplate) → posts (segment) → text, titles, links; metadata
    from the same tree (metadata), site chrome from stored pages (chrome).

`extract_page` never raises: bad input gives an `ExtractedPage` without posts
whose `error` says why.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from copyhound.dedupe.extract.boilerplate import TEXT_MAX_LINK_SHARE, pick_container, resolve_chrome, score_elements
from copyhound.dedupe.extract.fallback import baseline_text, unwrap_hidden_copies, wants_hidden_copy
from copyhound.dedupe.extract.html import parse_page
from copyhound.dedupe.extract.links import page_links
from copyhound.dedupe.extract.metadata import base_url, extract_meta, pagination_links
from copyhound.dedupe.extract.posts import PageFacts, build_posts
from copyhound.dedupe.extract.segment import listing_area, segment
from copyhound.dedupe.extract.sitechrome import HostChrome
from copyhound.dedupe.extract.textblocks import Block, WalkResult, walk
from copyhound.dedupe.types import ExtractedPage, PageMeta, Post

__all__ = ["HostChrome", "extract_page", "main_text"]

# A card's excerpt follows its title within this many blocks.
CARD_MAX_BLOCKS = 3


def extract_page(
    html: str | bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    chrome: HostChrome | None = None,
) -> ExtractedPage:
    """Posts, metadata and links of one page. Never raises."""
    try:
        return _extract(html, url, {k.lower(): v for k, v in (headers or {}).items()}, chrome)[0]
    except Exception as exc:  # a page must never stop a crawl; say why it failed
        return ExtractedPage(meta=PageMeta(), error=f"extraction failed: {type(exc).__name__}: {exc}"[:300])


def _extract(
    html: str | bytes, url: str, headers: Mapping[str, str], chrome: HostChrome | None, links: bool = True
) -> tuple[ExtractedPage, str]:
    """The page, and the baseline text to fall back on when it has no post.
    `links=False` skips resolving link URLs (main_text needs only the text)."""
    parsed = parse_page(html, headers)
    if parsed.root is None:
        return ExtractedPage(meta=PageMeta(), error=parsed.error), ""
    root = parsed.root
    base = base_url(root, url)
    meta, feeds = extract_meta(root, url, headers, base)
    posts, w, baseline = _read(root, meta, base, chrome, links)
    if wants_hidden_copy(root, sum(len(p.text) for p in posts)):
        # the post's only copy is in <noscript>/<template>: read the page with them opened
        unwrap_hidden_copies(root)
        posts, w, baseline = _read(root, meta, base, chrome, links)
    # rel=prev/next of <head> first: a listing's next page is worth more than its hundredth link
    out_links = page_links([*pagination_links(root, base), *w.anchors], base) if links else ()
    error = None
    if not posts:
        error = parsed.warning or ("no post text found" if w.blocks else "no text on the page")
    page = ExtractedPage(meta=meta, posts=tuple(posts), out_links=out_links, feed_links=tuple(feeds), error=error)
    return page, baseline


def _read(
    root: etree._Element, meta: PageMeta, base: str | None, chrome: HostChrome | None, links: bool
) -> tuple[list[Post], WalkResult, str]:
    """Posts of the tree as it stands, the walk, and the baseline text (only
    computed when no post was found)."""
    w = walk(root, collect_links=links)
    if not w.blocks:
        return [], w, ""
    blocks = w.blocks
    is_chrome, lifted = resolve_chrome(blocks, w.chrome_strength)
    scores, span = w.scores, w.span
    if lifted:  # the walk scored lifted marks as chrome: score again
        scores, span = score_elements(blocks, is_chrome)
    container = listing_area(pick_container(scores, root), blocks, span, w.chrome_strength)
    lo, hi = span.get(container, (0, len(blocks) - 1))
    content = _content_blocks(blocks, is_chrome)
    segs = segment(blocks, lo, hi, container, span, w.chrome_strength, content)
    facts = PageFacts(
        blocks=blocks, content=content, h1=w.h1, strength=w.chrome_strength, skipped=w.skipped,
        span=span, meta=meta, base=base, chrome=chrome, with_links=links,
    )
    posts = build_posts(segs, facts)
    return posts, w, ("" if posts else baseline_text(blocks, is_chrome))


def _content_blocks(blocks: list[Block], is_chrome: list[bool]) -> list[bool]:
    """Which blocks are post text: not chrome, and not a link list, except the
    excerpt of a listing card linked as a whole to the item's permalink
    (Ghost's post-card wraps title and excerpt in one <a>)."""
    content: list[bool] = []
    title_href = None
    since_title = 0
    for i, b in enumerate(blocks):
        ok = not is_chrome[i] and (b.heading > 0 or b.link_chars <= TEXT_MAX_LINK_SHARE * len(b.text))
        if b.heading:
            title_href = b.links[0] if b.links and b.link_chars >= 0.5 * len(b.text) else None
            since_title = 0
        elif not ok and title_href and not is_chrome[i] and since_title < CARD_MAX_BLOCKS:
            ok = all(h == title_href for h in b.links)
        since_title += 1
        content.append(ok)
    return content


def main_text(html: str, url: str | None = None) -> str:
    """Body text of the posts on a page, in order, titles excluded (the
    benchmark entry point). Teasers count only on pages with no whole post."""
    try:
        page, baseline = _extract(html, url or "", {}, None, links=False)
    except Exception:  # as extract_page: never raise, an empty text says it failed
        return ""
    posts = [p for p in page.posts if p.kind == "post"] or list(page.posts)
    # no post, yet prose on the page: an empty answer would be a defect (issue 15)
    return "\n\n".join(p.text for p in posts) or baseline
