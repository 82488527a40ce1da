"""Fetching without a server: charset decoding and the private-address
redirect rule through httpx.MockTransport, and the politeness gaps.
(The same rules against a real server: tests/e2e/test_crawler_fetch.py.)"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from copyhound.crawler.http.fetch import Fetcher
from copyhound.crawler.politeness import Politeness
from copyhound.crawler.types import CrawlConfig


@pytest.mark.parametrize(("body", "content_type", "want_charset", "want_text"), [
    ("<p>café</p>".encode("cp1252"), "text/html; charset=windows-1252", "cp1252", "café"),
    ("<meta charset='iso-8859-15'><p>€uro</p>".encode("iso-8859-15"), "text/html", "iso8859-15", "€uro"),
    ("<p>café</p>".encode(), "text/html; charset=iso-8859-1", "utf-8", "café"),  # lies: it is UTF-8
    (("<p>Le garçon naïf a commandé un café crème et une pâtisserie à la fenêtre. " * 8 + "</p>")
     .encode("latin-1"), "text/html; charset=utf-8", None, "garçon naïf"),  # lies too: detection decides
    ("<meta charset='utf-8'><title>Crème brûlée à la fenêtre</title>".encode("cp1252"), "text/html",
     "cp1252", "Crème brûlée"),  # short text lying about UTF-8: the web's legacy default, not cp1257
    (("<p>Привет! Сегодня мы расскажем о том, как выбрать хороший чай для всей семьи. " * 8 + "</p>")
     .encode("koi8-r"), "text/html", None, "Привет"),  # nothing declared: detection
])
def test_charsets(tmp_path: Path, body: bytes, content_type: str, want_charset: str | None, want_text: str) -> None:
    results = []

    async def go() -> None:
        async def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, stream=httpx.ByteStream(body), headers={"Content-Type": content_type})

        config = CrawlConfig(seeds=(), delay_s=0.0)
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            fetcher = Fetcher(client, config, Politeness(config))
            results.append(await fetcher.fetch("http://h.test/"))

    asyncio.run(go())
    res = results[0]
    assert res.error is None
    if want_charset:
        assert res.charset == want_charset
    assert want_text in (res.text or ""), (res.charset, res.text)


def test_redirect_from_public_host_to_private_address_is_refused() -> None:
    seen: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "8.8.8.8":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:9/admin"}, stream=httpx.ByteStream(b""))
        return httpx.Response(200, stream=httpx.ByteStream(b"<p>internal</p>"), headers={"Content-Type": "text/html"})

    from copyhound.crawler.http.redirects import refusal

    async def go() -> None:
        assert (await refusal("http://8.8.8.8/", "http://127.0.0.1/", False)).kind == "private-address"
        assert (await refusal("http://8.8.8.8/", "http://169.254.169.254/", False)).kind == "private-address"
        assert (await refusal("http://8.8.8.8/", "http://[::1]/", False)).kind == "private-address"
        assert await refusal("http://8.8.8.8/", "http://127.0.0.1/", True) is None
        assert await refusal("http://127.0.0.1:1/", "http://127.0.0.2/", False) is None  # private → private
        assert await refusal("http://8.8.8.8/", "http://1.1.1.1/", False) is None

        config = CrawlConfig(seeds=(), delay_s=0.0)
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            res = await Fetcher(client, config, Politeness(config)).fetch_document(
                "http://8.8.8.8/robots.txt", kind="robots", max_bytes=1000)
        assert res.error is not None and res.error.kind == "private-address"

    asyncio.run(go())
    assert seen == ["http://8.8.8.8/robots.txt"]


def test_politeness_gap_backoff_and_retry_after() -> None:
    config = CrawlConfig(seeds=(), delay_s=0.2, host_concurrency=2, max_crawl_delay_s=5.0)
    pol = Politeness(config)
    gate = pol.gate("h.test")
    assert pol.gap_s(gate) == 0.2
    pol.set_crawl_delay("h.test", 1.5)  # Crawl-delay wins when larger
    assert pol.gap_s(gate) == 1.5
    pol.set_crawl_delay("h.test", 600)  # capped
    assert pol.gap_s(gate) == 5.0
    pol.set_crawl_delay("h.test", 0.0)
    before = time.monotonic()
    pol.penalize("h.test", retry_after_s=3.0)  # a 429: wider gap and a pause
    assert gate.backoff == 2.0 and gate.next_at >= before + 3.0
    for _ in range(30):
        pol.observe("h.test", 0.01, ok=True)  # healthy answers narrow it again
    assert gate.backoff == 1.0
    pol.observe("h.test", 5.0, ok=True)  # a sharp slow-down widens it
    assert gate.backoff > 1.0
    fast = Politeness(CrawlConfig(seeds=(), delay_s=0.0))
    g = fast.gate("x")
    fast.penalize("x")
    assert fast.gap_s(g) > 0  # a penalised host gets a gap even with --delay 0

    async def slots() -> list[float]:
        starts: list[float] = []

        async def one() -> None:
            async with pol.slot("other.test"):
                starts.append(time.monotonic())

        await asyncio.gather(*(one() for _ in range(3)))
        return starts

    starts = asyncio.run(slots())
    assert starts[2] - starts[0] >= 0.39  # request starts spaced by the 0.2 s gap
