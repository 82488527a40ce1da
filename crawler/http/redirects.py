"""Where a redirect may not lead: non-http schemes, and from a public host
into loopback, private or link-local address space (a crawled site must not
steer copyhound into the user's internal network, issue 7) unless the crawl
allows private addresses (the test suite does, for its loopback servers).
"""

from __future__ import annotations

import asyncio
import socket

from copyhound.crawler.discover.urls import host_of, is_private_host
from copyhound.crawler.types import FetchError

__all__ = ["refusal", "resolves_private"]

RESOLVE_TIMEOUT_S = 3.0


async def resolves_private(host: str) -> bool:
    """True when `host` is, or resolves to, a non-public address. A name that
    does not resolve counts as public: nothing can be reached through it."""
    literal = is_private_host(host)
    if literal is not None:
        return literal
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT_S):
            infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError, UnicodeError):
        return False
    return any(is_private_host(str(info[4][0])) for info in infos)


async def refusal(source_url: str, target_url: str, allow_private: bool) -> FetchError | None:
    """Why following `source_url` → `target_url` is refused, or None."""
    if not target_url.startswith(("http://", "https://")):
        return FetchError(kind="bad-redirect", message=f"redirect to a non-http URL {target_url[:200]}")
    if allow_private:
        return None
    src, dst = host_of(source_url), host_of(target_url)
    if src == dst or not await resolves_private(dst):
        return None
    if await resolves_private(src):
        return None  # private to private: the user pointed us inside their own network
    return FetchError(kind="private-address",
                      message=f"redirect from public host {src} to private address {dst} refused")
