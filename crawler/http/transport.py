"""The crawl's HTTP transport: httpx's own, with cheaper pool bookkeeping.

httpcore's pool re-examines every pooled connection each time a request
starts or ends: it asks each idle one "has the server closed you?" and, to
decide whether one is surplus, counts the pool once per connection (n² calls
per event). Through anyio the first question also rebuilds a dict of socket
attributes (and calls getpeername). Together that was the largest single
cost of a loopback crawl. Here:

* the stream keeps the raw socket it was given and answers with one poll(0);
* the pool counts once, and asks the closed-by-server question of a
  connection when it is about to reuse it, sweeping the whole pool for
  expired connections at most once a second.

Everything else is delegated to httpcore unchanged.
"""

from __future__ import annotations

import logging
import select
import socket
import ssl
import time
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


SWEEP_INTERVAL_S = 1.0  # full expiry sweeps of the pool, at most this often


class _Pool(httpcore.AsyncConnectionPool):
    """httpcore's pool, with the same policy at O(connections) per event."""

    _last_sweep = 0.0

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        now = time.monotonic()
        sweep = now - self._last_sweep >= SWEEP_INTERVAL_S
        if sweep:
            self._last_sweep = now
        for connection in list(self._connections):
            if connection.is_closed():
                self._connections.remove(connection)
            elif sweep and connection.has_expired():
                self._connections.remove(connection)
                closing.append(connection)
            elif connection.is_idle() and len(self._connections) > self._max_keepalive_connections:
                # upstream counts the whole pool here too (not only its idle connections)
                self._connections.remove(connection)
                closing.append(connection)
        for pool_request in [r for r in self._requests if r.is_queued()]:
            origin = pool_request.request.url.origin
            reusable = self._reusable(origin, closing)
            if reusable is not None:
                pool_request.assign_to_connection(reusable)
                continue
            if len(self._connections) >= self._max_connections:
                idle = next((c for c in self._connections if c.is_idle()), None)
                if idle is None:
                    continue  # the request waits for a connection to come free
                self._connections.remove(idle)
                closing.append(idle)
            connection = self.create_connection(origin)
            self._connections.append(connection)
            pool_request.assign_to_connection(connection)
        return closing

    def _reusable(
        self, origin: httpcore.Origin, closing: list[httpcore.AsyncConnectionInterface]
    ) -> httpcore.AsyncConnectionInterface | None:
        """The first available connection to `origin`, dropping the expired
        ones met on the way (a server that closed an idle keep-alive socket)."""
        for connection in list(self._connections):
            if not (connection.can_handle_request(origin) and connection.is_available()):
                continue
            if connection.has_expired():
                self._connections.remove(connection)
                closing.append(connection)
                continue
            return connection
        return None


def crawl_transport(*, limits: httpx.Limits, http2: bool) -> httpx.AsyncHTTPTransport:
    """httpx's transport with the pool rebuilt on the cheaper stream (same
    limits, TLS context and HTTP versions); httpx's plain transport when its
    internals are not what this was written against."""
    transport = httpx.AsyncHTTPTransport(limits=limits, http2=http2, trust_env=False)
    pool = getattr(transport, "_pool", None)
    if not isinstance(pool, httpcore.AsyncConnectionPool):
        return transport
    # the pool's bookkeeping is httpcore 1.0's; another major keeps its own
    pool_class = _Pool if httpcore.__version__.startswith("1.") else httpcore.AsyncConnectionPool
    try:
        transport._pool = pool_class(
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
