"""A page's hrefs as absolute, followable http(s) URLs.

Pages carry hundreds of links, so the common cases (absolute and
root-relative hrefs without anything to normalise) skip `urljoin`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from copyhound.dedupe.extract.metadata import safe_join

_UNFOLLOWABLE = ("javascript:", "mailto:", "data:", "tel:", "#", "about:", "sms:", "ftp:", "file:")


def page_links(anchors: list[str], base: str | None) -> tuple[str, ...]:
    """Every followable link, absolute, once, in page order."""
    seen: dict[str, None] = {}
    resolve = resolver(base)
    for href in anchors:
        u = resolve(href)
        if u:
            seen.setdefault(u, None)
    return tuple(seen)


def resolver(base: str | None) -> Callable[[str], str | None]:
    """href -> absolute http(s) URL, or None for javascript:, mailto:, bare
    fragments and the like. Absolute and root-relative hrefs (most of a page's
    hundreds) skip `urljoin`, which costs a few microseconds each."""
    try:
        parts = urlsplit(base or "")
    except ValueError:
        parts = urlsplit("")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None

    def resolve(href: str) -> str | None:
        h = href.strip()
        if not h or h[0] == "#" or h[:11].lower().startswith(_UNFOLLOWABLE):
            return None
        if h.startswith(("http://", "https://")) and _PLAIN.fullmatch(h):
            return h
        if origin and h[0] == "/" and h[1:2] != "/" and _PLAIN.fullmatch(h) and "/." not in h:
            return origin + h
        u = safe_join(base, h)
        return u if u and u.startswith(("http://", "https://")) else None

    return resolve


# URLs urljoin would return unchanged: no spaces, controls, backslashes or
# brackets (IPv6 hosts, which urljoin validates), and
# no empty query or fragment at the end (dot segments are checked apart)
_PLAIN = re.compile(r"[^\s\\\[\]\x00-\x1f\x7f]*[^\s\\\[\]\x00-\x1f\x7f#?]")


__all__ = ["page_links", "resolver"]
