"""URL comparison for the audit (dedupe cannot import crawler's normaliser).

Two URLs are the same page for a canonical check when they differ only in
scheme or host case, a default port, a fragment or a trailing slash.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


# The audit compares each copy's links and canonical link with the cluster's
# canonical: the same few thousand URLs, keyed again and again.
@lru_cache(maxsize=65_536)
def url_key(url: str) -> str:
    """A comparison key of `url`: lower-case scheme and host, no default port,
    no fragment, no trailing slash (an empty path is "/")."""
    try:
        p = urlsplit(url.strip())
        port = p.port
    except ValueError:
        return url.strip()
    scheme = p.scheme.lower()
    host = (p.hostname or "").lower()
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = p.path.rstrip("/") or "/"
    query = f"?{p.query}" if p.query else ""
    return f"{scheme}://{netloc}{path}{query}"


def same_url(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and url_key(a) == url_key(b)


__all__ = ["same_url", "url_key"]
