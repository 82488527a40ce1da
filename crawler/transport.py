"""The crawl's HTTP transport: httpx's own, with a cheaper idle-connection check.

httpcore's pool asks every pooled connection "has the server closed you?"
each time a request starts or ends; through anyio that question rebuilds a
dict of socket attributes (and calls getpeername) per connection per event,
which made it the largest single cost of a loopback crawl. The stream below
keeps the raw socket it was given and answers with one poll(0); everything
else is delegated to httpcore's anyio backend unchanged.
"""

from __future__ import annotations

import logging
import select
import socket
import ssl
import typing

import httpcore
import httpx

__all__ = ["crawl_transport"]

log = logging.getLogger(__name__)


def _readable(sock: socket.socket) -> bool:
    """True when a read would not block: data, or the peer hung up."""
    if sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._sock: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "is_readable" and self._sock is not None:
            return _readable(self._sock)
        return self._inner.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def crawl_transport(*, limits: httpx.Limits, http2: bool) -> httpx.AsyncHTTPTransport:
    """httpx's transport with the pool rebuilt on the cheaper stream (same
    limits, TLS context and HTTP versions); httpx's plain transport when its
    internals are not what this was written against."""
    transport = httpx.AsyncHTTPTransport(limits=limits, http2=http2, trust_env=False)
    pool = getattr(transport, "_pool", None)
    if not isinstance(pool, httpcore.AsyncConnectionPool):
        return transport
    try:
        transport._pool = httpcore.AsyncConnectionPool(
            ssl_context=pool._ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=_Backend(),
        )
    except (AttributeError, TypeError) as e:  # another httpcore: keep its own pool
        log.debug("fast transport unavailable (%s); using httpx's default", e)
    return transport
