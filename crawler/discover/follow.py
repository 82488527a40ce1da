"""Which URLs a crawl follows: pure policy, no I/O.

`Discovery` turns what a page, a sitemap, a feed, robots.txt or a redirect
names into `FrontierItem`s: normalised, in scope (seed hosts, `--scope`
hosts and a seed's redirect target, by the `--own-domain` host rule), passing
the include/exclude patterns, within `max_depth`, and not queued moments ago
(a small LRU: nav links repeat on every page; the frontier is the real
seen-set).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from copyhound.crawler.discover.feeds import FEED_TYPES, parse_feed
from copyhound.crawler.discover.robots import RobotsPolicy
from copyhound.crawler.discover.sitemaps import parse_sitemap
from copyhound.crawler.discover.urls import alias_key, host_matches, host_of, make_normalizer
from copyhound.crawler.types import (
    CrawlConfig,
    FetchError,
    FetchResult,
    FrontierItem,
    ParsedPage,
    PayloadT,
    UrlSource,
)

__all__ = ["NOT_HTML_EXTENSIONS", "RECENT_URLS", "Discovery", "api_endpoint", "not_html_file"]

RECENT_URLS = 8192  # recently queued URLs remembered in memory


# Extensions of files that are never HTML pages: a link to one is not
# followed (WordPress posts link their .jpg, .tgz, .patch attachments; Nikola
# its .md sources). `.xml` is not among them: feeds and sitemaps are read.
NOT_HTML_EXTENSIONS = frozenset((
    "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "ico", "bmp", "tif", "tiff", "heic", "psd",
    "mp3", "m4a", "ogg", "oga", "opus", "wav", "flac", "aac", "mp4", "m4v", "webm", "mov", "avi", "mkv", "wmv",
    "zip", "tgz", "gz", "tar", "bz2", "xz", "zst", "7z", "rar", "deb", "rpm", "apk", "dmg", "iso", "exe", "msi",
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "epub", "mobi",
    "ko", "so", "dll", "patch", "diff", "md", "markdown", "rst", "txt", "csv", "tsv", "log", "c", "h",
    "css", "js", "mjs", "map", "json", "woff", "woff2", "ttf", "otf", "eot",
))  # not .pl/.py/.cgi: scripts that answer HTML


def not_html_file(url: str) -> bool:
    """True when the URL's path ends in an extension of a file that is never HTML."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    last = path.rpartition("/")[2]
    dot = last.rfind(".")
    return dot > 0 and last[dot + 1 :].lower() in NOT_HTML_EXTENSIONS


# Machine endpoints that never serve a post (WordPress's REST API and its
# `?rest_route=` spelling, XML-RPC, oEmbed, the login form): never requested,
# whatever robots.txt allows; the pages they describe are crawled as pages.
_API_PATH = re.compile(r"/(wp-json(/|$)|xmlrpc\.php$|wp-login\.php$|wp-admin/admin-ajax\.php$|oembed(/|$))", re.I)
_API_QUERY = re.compile(r"(^|&)(rest_route|oembed)=", re.I)


def api_endpoint(url: str) -> bool:
    """True for a URL of a site's API rather than one of its pages."""
    path, _, query = url.split("#", 1)[0].partition("?")
    path = path.split("://", 1)[-1].partition("/")[2]
    return bool(_API_PATH.search("/" + path) or (query and _API_QUERY.search(query)))


def _own_prefix(page_url: str) -> str | None:
    """`page_url` as a directory (no query, no index file, a slash at the end):
    feeds below it are the page's own. None for a home page, whose feeds are the site's."""
    prefix = alias_key(page_url) + "/"
    return None if prefix.count("/") <= 3 else prefix


def _own_prefixes(page_url: str, parsed: ParsedPage[PayloadT]) -> tuple[str, ...]:
    """The directories a single post's own feeds live under: its URL's and its canonical's."""
    urls = (page_url, parsed.canonical_link) if parsed.canonical_link else (page_url,)
    return tuple(p for p in (_own_prefix(u) for u in urls) if p is not None)


class Discovery:
    def __init__(self, config: CrawlConfig) -> None:
        self.config = config
        self.normalize = make_normalizer(config.strip_params)
        self._include = [re.compile(p) for p in config.include_patterns]
        self._exclude = [re.compile(p) for p in config.exclude_patterns]
        self._scope: list[str] = list(config.scope_hosts)
        self._scope_cache: dict[str, bool] = {}
        self._recent: dict[str, None] = {}
        self._docs_queued: set[str] = set()  # sitemap + feed documents queued by this process

    # -- rules ------------------------------------------------------------------------------

    def add_scope_host(self, host: str) -> None:
        self._scope.append(host)
        self._scope_cache.clear()

    def in_scope(self, url: str) -> bool:
        netloc = url.split("/", 3)[2]
        ok = self._scope_cache.get(netloc)
        if ok is None:
            ok = self._scope_cache[netloc] = host_matches(host_of(url), self._scope)
        return ok

    def wanted(self, url: str) -> bool:
        if self._include and not any(p.search(url) for p in self._include):
            return False
        return not any(p.search(url) for p in self._exclude)

    def _remember(self, url: str) -> bool:
        """False when `url` was queued recently; else remember it."""
        recent = self._recent
        if url in recent:
            return False
        recent[url] = None
        if len(recent) > RECENT_URLS:
            del recent[next(iter(recent))]
        return True

    def _doc_allowed(self, url: str) -> bool:
        if len(self._docs_queued) >= self.config.max_sitemap_docs:
            return False
        self._docs_queued.add(url)
        return True

    def document_queued(self, url: str) -> bool:
        """Was this sitemap or feed queued by this process? Another document
        redirecting to it (WordPress's /sitemap.xml -> /wp-sitemap.xml, which
        robots.txt names too) need not fetch it a second time."""
        return url in self._docs_queued

    # -- sources ----------------------------------------------------------------------------

    def seeds(self) -> list[FrontierItem]:
        items = []
        for seed in self.config.seeds:
            url = self.normalize(seed)
            if url is not None:
                self.add_scope_host(host_of(url))
                items.append(FrontierItem(url=url, depth=0, source="seed"))
        return items

    def links(self, item: FrontierItem, res: FetchResult, parsed: ParsedPage[PayloadT]) -> list[FrontierItem]:
        """Feeds and links of a parsed page."""
        depth = item.depth + 1
        if depth > self.config.max_depth:
            return []
        out: list[FrontierItem] = []
        base = res.final_url
        normalize, in_scope, wanted, recent = self.normalize, self.in_scope, self.wanted, self._recent
        if self.config.use_feeds:
            own = _own_prefixes(base, parsed) if parsed.single_post else ()
            for link in parsed.feed_links:
                u = normalize(link, base)
                if u is not None and u.startswith(own):
                    continue  # the post's own (comments) feed
                if u and in_scope(u) and self._remember(u) and self._doc_allowed(u):
                    out.append(FrontierItem(url=u, depth=depth, source="link", kind="feed", referrer=item.url))
        if parsed.nofollow:
            return out
        cap = len(out) + self.config.max_links_per_page
        for link in parsed.links:
            if len(out) >= cap:  # a link farm: the rest of its links are not queued
                break
            u = normalize(link, base)
            if u is None or u in recent or not in_scope(u) or not wanted(u) or not_html_file(u) or api_endpoint(u):
                continue
            self._remember(u)
            out.append(FrontierItem(url=u, depth=depth, source="link", referrer=item.url))
        return out

    def robots_sitemaps(self, origin: str, policy: RobotsPolicy) -> list[FrontierItem]:
        """The sitemaps a host's robots.txt names, and its /sitemap.xml. Only
        hosts in scope: a robots.txt naming an internal address must not
        steer the crawler there (issue 7)."""
        if not self.config.use_sitemaps:
            return []
        docs = [self.normalize(u) for u in policy.sitemaps] + [origin + "/sitemap.xml"]
        return [FrontierItem(url=u, depth=0, source="sitemap", kind="sitemap", referrer=origin + "/robots.txt")
                for u in dict.fromkeys(d for d in docs if d and self.in_scope(d)) if self._doc_allowed(u)]

    def xml_entries(self, item: FrontierItem, res: FetchResult) -> list[FrontierItem]:
        """Entries of a sitemap or feed body (child sitemaps included)."""
        cfg = self.config
        body = res.body or b""
        entries: Iterable[tuple[str, str | None]]
        children: tuple[str, ...] = ()
        source: UrlSource = "sitemap"
        head = body[:512].lstrip().lower()
        if item.kind == "feed" or (res.content_type in FEED_TYPES and (b"<rss" in head or b"<feed" in head)):
            entries, source = parse_feed(body, max_bytes=cfg.max_feed_bytes), "feed"
        else:
            doc = parse_sitemap(body, max_urls=cfg.max_sitemap_urls, max_bytes=cfg.max_sitemap_bytes)
            entries, children = doc.urls, doc.sitemaps
            if not doc.urls and not doc.sitemaps and item.kind == "page":  # an XML page: maybe a feed
                entries, source = parse_feed(body, max_bytes=cfg.max_feed_bytes), "feed"
        out: list[FrontierItem] = []
        for loc in children:
            u = self.normalize(loc, res.final_url)
            if u and self.in_scope(u) and self._doc_allowed(u):
                out.append(FrontierItem(url=u, depth=item.depth, source="sitemap", kind="sitemap",
                                        referrer=item.url))
        depth = item.depth + 1
        if depth > cfg.max_depth:
            return out
        for loc, date in entries:
            u = self.normalize(loc, res.final_url)
            if u is not None and self.in_scope(u) and self.wanted(u) and not api_endpoint(u):
                out.append(FrontierItem(url=u, depth=depth, source=source, referrer=item.url, published_hint=date))
        return out

    def redirect(self, item: FrontierItem, location: str) -> tuple[str | None, FetchError | None]:
        """The normalised target of a redirect, or why it is not followed
        (bad target, loop, chain too long). Scope and private-address checks
        come after (`follow_redirect`)."""
        target = self.normalize(location)
        chain = (*item.redirect_chain, item.url)
        if target is None:
            return None, FetchError(kind="bad-redirect",
                                    message=f"redirect to a non-http or malformed URL {location[:200]}")
        if target in chain:
            return None, FetchError(kind="redirect-loop",
                                    message=f"redirect loop: {' -> '.join((*chain, target))[:500]}")
        if len(chain) > self.config.max_redirects:
            return None, FetchError(kind="too-many-redirects",
                                    message=f"more than {self.config.max_redirects} redirects")
        return target, None

    def follow_redirect(self, item: FrontierItem, target: str) -> list[FrontierItem]:
        """The frontier item for an accepted redirect target (none when out of
        scope or excluded). A seed that moved to another host (example.com →
        example.org) brings that host into scope: it is what the user meant."""
        if not self.in_scope(target):
            if not (item.depth == 0 and item.source in ("seed", "redirect")):
                return []  # recorded on the redirecting page, not followed
            self.add_scope_host(host_of(target))
        if not self.wanted(target):
            return []
        return [FrontierItem(url=target, depth=item.depth, source="redirect", referrer=item.url,
                             published_hint=item.published_hint,
                             redirect_chain=(*item.redirect_chain, item.url))]
