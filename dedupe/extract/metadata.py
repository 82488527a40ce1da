"""Page metadata for the audit and the canonical election (`PageMeta`).

Read from the same parsed tree as the text: `<head>` links and meta tags,
JSON-LD blocks (including `@graph`), `<time datetime>`, the `<html lang>`, the
URL, and the HTTP headers (`Link: <...>; rel="canonical"`, `X-Robots-Tag`).
The declared canonical is None when absent: an SEO audit must tell "declares
no canonical" from "declares itself", so it never falls back to the page URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from copyhound.dedupe.extract.dates import date_from_url, parse_date
from copyhound.dedupe.types import PageMeta

# JSON-LD blocks larger than this are skipped (some sites inline whole catalogues).
MAX_JSONLD_CHARS = 500_000
# <link rel=prev/next> read per page (one of each is the norm).
MAX_PAGINATION_LINKS = 4
# Robots directives that carry a value after a colon ("max-snippet: 20"); any
# other "name:" prefix in X-Robots-Tag names the user agent the rest applies to.
_VALUED_DIRECTIVES = frozenset(("unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"))
# User agents whose directives bind us: everyone, and Google (the audit's engine).
_OUR_AGENTS = frozenset(("robots", "googlebot", "*"))

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish-date",
    "publish_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "cxenseparse:recs:publishtime",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "article.updated",
)
_LINK_HEADER = re.compile(r"<([^>]*)>\s*((?:;\s*[\w*-]+\s*=\s*(?:\"[^\"]*\"|[^;,]*)\s*)*)")
_LINK_REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^;,\s]*))""", re.I)


def safe_join(base: str | None, href: str) -> str | None:
    href = href.strip()
    if not href:
        return None
    try:
        return urljoin(base or "", href)
    except ValueError:
        return None


def base_url(root: etree._Element, url: str | None) -> str | None:
    """The page URL, or the `<base href>` resolved against it."""
    for base in root.iter("base"):
        href = base.get("href")
        if href:
            joined = safe_join(url, href)
            if joined:
                return joined
        break
    return url


def canonicals_from_link_header(value: str | None, url: str | None) -> list[str]:
    out: list[str] = []
    if not value:
        return out
    for m in _LINK_HEADER.finditer(value):
        params = m.group(2) or ""
        for r in _LINK_REL.finditer(params):
            rel = (r.group(1) or r.group(2) or "").lower().split()
            if "canonical" in rel:
                joined = safe_join(url, m.group(1))
                if joined:
                    out.append(joined)
    return out


def robots_noindex_directives(value: str, agent_prefixed: bool) -> bool:
    """True when a robots directive list says noindex (or none) for us.

    `agent_prefixed` is for X-Robots-Tag, where "googlebot: noindex, nofollow"
    applies both directives to Googlebot and "otherbot: noindex" to someone else.
    """
    applies = True
    for raw in value.split(","):
        tok = raw.strip().lower()
        if not tok:
            continue
        if agent_prefixed and ":" in tok:
            head, _, rest = tok.partition(":")
            head = head.strip()
            if head not in _VALUED_DIRECTIVES:
                applies = head in _OUR_AGENTS
                tok = rest.strip()
        for word in tok.split():
            if applies and word in ("noindex", "none"):
                return True
    return False


def _jsonld_objects(root: etree._Element) -> Iterator[dict[str, object]]:
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = script.text or ""
        if not raw.strip() or len(raw) > MAX_JSONLD_CHARS:
            continue
        try:
            data = json.loads(raw.strip().rstrip(";"))
        except ValueError:
            continue
        stack = [data]
        seen = 0
        while stack and seen < 1000:  # bounded: adversarial JSON cannot loop us
            item = stack.pop()
            seen += 1
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _ld_author(value: object) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_author(v) for v in value[:10]) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        name = value.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None
    if isinstance(value, str) and value.strip() and not value.strip().startswith("http"):
        return value.strip()
    return None


_ARTICLE_TYPES = ("article", "posting", "blog", "report", "news", "webpage", "review", "creativework")
_SITE_TYPES = ("website", "organization", "person", "breadcrumblist", "searchaction", "imageobject", "sitenavigation")


def _ld_kind(obj: dict[str, object]) -> int:
    """2 for an article-like JSON-LD object, 0 for the site's own, 1 otherwise."""
    typ = obj.get("@type")
    typ_s = (" ".join(t for t in typ if isinstance(t, str)) if isinstance(typ, list) else str(typ or "")).lower()
    if not typ_s or any(t in typ_s for t in _ARTICLE_TYPES):
        return 2
    return 0 if any(t in typ_s for t in _SITE_TYPES) else 1


def pagination_links(root: etree._Element, base: str | None) -> list[str]:
    """The `<link rel="prev|next">` URLs of `<head>`: a listing's other pages,
    which themes without page numbers (or with JavaScript ones) name only there."""
    head = _Head([])
    for el in root.iter("link"):
        _read_link(el, base, head)
    return head.pages


def extract_meta(
    root: etree._Element, url: str | None, headers: Mapping[str, str] | None, base: str | None
) -> tuple[PageMeta, list[str]]:
    """The page's metadata and the feeds it advertises."""
    headers = headers or {}
    head = _read_head(root, base, headers.get("link"), url)
    noindex = head.noindex or robots_noindex_directives(headers.get("x-robots-tag", ""), agent_prefixed=True)
    ld = _jsonld_facts(root)
    meta = head.meta
    published = ld.published or _first_date(meta, _PUBLISHED_META) or _time_element_date(root) or date_from_url(url)
    title = meta.get("og:title") or meta.get("twitter:title") or ld.headline or _title_element(root)
    lang = root.get("lang") or root.get("xml:lang") or meta.get("content-language") or meta.get("og:locale")
    og_url = meta.get("og:url")
    canon_unique = list(dict.fromkeys(head.canonicals))
    return PageMeta(
        title=" ".join(title.split()) if title else None,
        canonical_link=canon_unique[0] if canon_unique else None,
        canonical_links=tuple(canon_unique),
        og_url=safe_join(base, og_url) if og_url else None,
        robots_noindex=noindex,
        published=published,
        modified=ld.modified or _first_date(meta, _MODIFIED_META),
        author=ld.author or _meta_author(meta),
        language=lang.strip() if lang and lang.strip() else None,
    ), head.feeds


@dataclass(slots=True)
class _Head:
    """What the `<link>` and `<meta>` tags say."""

    canonicals: list[str]  # Link header first, then <link rel=canonical>, in order
    feeds: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # <link rel=prev/next>: the listing's other pages
    meta: dict[str, str] = field(default_factory=dict)  # first content per lower-cased key
    noindex: bool = False


_FEED_TYPES = ("application/rss+xml", "application/atom+xml")


def _read_head(root: etree._Element, base: str | None, link_header: str | None, url: str | None) -> _Head:
    head = _Head(canonicals_from_link_header(link_header, url))
    for el in root.iter("link", "meta"):
        if el.tag == "link":
            _read_link(el, base, head)
            continue
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").strip().lower()
        content = el.get("content")
        if not key or content is None:
            continue
        if key in ("robots", "googlebot") and robots_noindex_directives(content, agent_prefixed=False):
            head.noindex = True
        head.meta.setdefault(key, content.strip())
    return head


def _read_link(el: etree._Element, base: str | None, head: _Head) -> None:
    """A `<link>`: a declared canonical or an advertised feed."""
    rel = (el.get("rel") or "").lower().split()
    href = el.get("href")
    if not href:
        return
    if "canonical" in rel:
        joined = safe_join(base, href)
        if joined:
            head.canonicals.append(joined)
    elif "alternate" in rel and (el.get("type") or "").lower().strip() in _FEED_TYPES:
        joined = safe_join(base, href)
        if joined:
            head.feeds.append(joined)
    elif ("next" in rel or "prev" in rel or "previous" in rel) and len(head.pages) < MAX_PAGINATION_LINKS:
        joined = safe_join(base, href)
        if joined:
            head.pages.append(joined)


@dataclass(slots=True)
class _LdFacts:
    published: str | None = None
    modified: str | None = None
    author: str | None = None
    headline: str | None = None


def _jsonld_facts(root: etree._Element) -> _LdFacts:
    """Dates, author and headline from JSON-LD: article-like objects first,
    then any other (a recipe blog's Recipe, a VideoObject), never the dates
    of the WebSite or Organization."""
    facts = _LdFacts()
    objects = list(_jsonld_objects(root))
    ranked = [o for o in objects if _ld_kind(o) == 2] + [o for o in objects if _ld_kind(o) == 1]
    for obj in ranked:
        facts.published = facts.published or parse_date(obj.get("datePublished")) or parse_date(obj.get("dateCreated"))
        facts.modified = facts.modified or parse_date(obj.get("dateModified"))
        facts.author = facts.author or _ld_author(obj.get("author") or obj.get("creator"))
        headline = obj.get("headline")
        if facts.headline is None and isinstance(headline, str):
            facts.headline = headline.strip() or None
    return facts


def _first_date(meta: Mapping[str, str], keys: tuple[str, ...]) -> str | None:
    for k in keys:
        found = parse_date(meta.get(k))
        if found:
            return found
    return None


_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl")


def _meta_author(meta: Mapping[str, str]) -> str | None:
    for k in _AUTHOR_META:
        v = meta.get(k)
        if v and not v.startswith("http"):
            return v
    return None


def _title_element(root: etree._Element) -> str | None:
    t = root.find("head/title")
    if t is None:
        t = next(root.iter("title"), None)
    if t is None:
        return None
    return " ".join(("".join(t.itertext())).split()) or None


def _time_element_date(root: etree._Element) -> str | None:
    """`<time datetime>`: one marked as the publication date, else the first."""
    first = None
    for t in root.iter("time"):
        dt = parse_date(t.get("datetime"))
        if not dt:
            continue
        if t.get("pubdate") is not None or (t.get("itemprop") or "").lower() == "datepublished":
            return dt
        first = first or dt
    return first


def element_date(el: etree._Element) -> str | None:
    """Publication date shown inside one listing item: its `<time datetime>`,
    a schema.org `itemprop="datePublished"`, or an hAtom
    `<abbr class="published" title="...">` (Blogger)."""
    for t in el.iter("time", "abbr", "meta", "span"):
        if t.tag == "time":
            dt = parse_date(t.get("datetime"))
        elif (t.get("itemprop") or "").lower() == "datepublished":
            dt = parse_date(t.get("content") or t.get("datetime") or t.get("title"))
        elif t.tag == "abbr" and "published" in (t.get("class") or ""):
            dt = parse_date(t.get("title"))
        else:
            continue
        if dt:
            return dt
    return None
