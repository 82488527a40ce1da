"""The crawl's connection pool (crawler/transport.py) keeps httpcore's policy
at lower cost: a keep-alive connection the server closed is never reused,
the pool never holds more connections than its limit, and every request
completes."""

from __future__ import annotations

import asyncio

import httpx

from copyhound.crawler.http.transport import crawl_transport


class _Open:
    now = 0
    most = 0


class _Server:
    """HTTP/1.1 on 127.0.0.1 that answers with keep-alive and, when asked,
    hangs up each connection shortly after its first response."""

    def __init__(self, hang_up_after_s: float | None, open_count: _Open | None = None) -> None:
        self.hang_up_after_s = hang_up_after_s
        self.connections = 0
        self.open = open_count or _Open()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open.now += 1
        self.open.most = max(self.open.most, self.open.now)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1]
                await asyncio.sleep(0.01)
                body = b"ok " + path
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: keep-alive\r\n\r\n%s"
                             % (len(body), body))
                await writer.drain()
                if self.hang_up_after_s is not None:
                    await asyncio.sleep(self.hang_up_after_s)
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open.now -= 1
            writer.close()


def _client(max_connections: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
    return httpx.AsyncClient(transport=crawl_transport(limits=limits, http2=False), timeout=5)


def test_a_connection_the_server_closed_is_not_reused() -> None:
    async def run() -> tuple[list[str], int]:
        server = _Server(hang_up_after_s=0.05)
        srv = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        port = srv.sockets[0].getsockname()[1]
        texts = []
        async with _client(4) as client:
            for n in range(3):
                texts.append((await client.get(f"http://127.0.0.1:{port}/{n}")).text)
                await asyncio.sleep(0.2)  # the server hangs up meanwhile
        srv.close()
        await srv.wait_closed()
        return texts, server.connections

    texts, connections = asyncio.run(run())
    assert texts == ["ok /0", "ok /1", "ok /2"]
    assert connections == 3


def test_a_live_keep_alive_connection_is_reused() -> None:
    async def run() -> int:
        server = _Server(hang_up_after_s=None)
        srv = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        port = srv.sockets[0].getsockname()[1]
        async with _client(4) as client:
            for n in range(5):
                assert (await client.get(f"http://127.0.0.1:{port}/{n}")).text == f"ok /{n}"
        srv.close()
        await srv.wait_closed()
        return server.connections

    assert asyncio.run(run()) == 1


def test_the_pool_stays_within_its_limit_over_many_origins() -> None:
    async def run() -> tuple[int, int]:
        open_count = _Open()
        servers = [_Server(hang_up_after_s=None, open_count=open_count) for _ in range(3)]
        listening = [await asyncio.start_server(s.handle, "127.0.0.1", 0) for s in servers]
        ports = [s.sockets[0].getsockname()[1] for s in listening]
        async with _client(4) as client:
            urls = [f"http://127.0.0.1:{ports[n % 3]}/{n}" for n in range(120)]
            answers = await asyncio.gather(*(client.get(u) for u in urls))
        ok = sum(1 for a, u in zip(answers, urls, strict=True) if a.text == "ok /" + u.rsplit("/", 1)[1])
        for srv in listening:
            srv.close()
            await srv.wait_closed()
        return ok, open_count.most

    ok, most_open = asyncio.run(run())
    assert ok == 120
    assert most_open <= 4
