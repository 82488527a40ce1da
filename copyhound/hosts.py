"""The `--own-domain` / `--scope` / `--host` rule applied to a URL."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from copyhound.crawler.discover.urls import host_matches


def url_on_hosts(url: str, hosts: Iterable[str]) -> bool:
    """True when the URL's host is one of `hosts` or a subdomain of one (any
    scheme or port); False for no hosts at all or a URL without a host."""
    patterns = tuple(hosts)
    if not patterns:
        return False
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # an unclosed IPv6 bracket in a crawled URL
        return False
    return bool(host) and host_matches(host, patterns)


__all__ = ["url_on_hosts"]
