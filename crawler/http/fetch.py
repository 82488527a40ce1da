"""One HTTP fetch: politeness slot, conditional GET, bounded streaming read,
retries, and the outcome as a `FetchResult` value.

`Fetcher.fetch` makes one hop (a 3xx comes back as a result whose
`final_url` is the Location target; the engine queues the target through the
frontier, so a page reached both by a redirect and by a link is fetched
once). `Fetcher.fetch_document` follows redirects itself, for robots.txt,
sitemaps and feeds. Non-http schemes and redirects from a public host into
private address space are refused (`redirects.refusal`).
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib.util
import logging
import random
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urljoin

import httpx

from copyhound.crawler.discover.urls import normalize_url
from copyhound.crawler.errors import BodyRejected, CrawlStopped, FetchFailed, RetryableFetch, describe, to_fetch_error
from copyhound.crawler.http.decode import ACCEPT_ENCODING, BodyDecoder, decode_html, looks_binary, parse_content_type
from copyhound.crawler.http.redirects import refusal
from copyhound.crawler.http.transport import crawl_transport
from copyhound.crawler.politeness import Politeness
from copyhound.crawler.types import (
    CrawlConfig,
    DocumentKind,
    FetchError,
    FetchRecorder,
    FetchResult,
    RecordedExchange,
    Validators,
)

__all__ = ["HTML_TYPES", "Fetcher", "build_client", "user_agent"]

log = logging.getLogger(__name__)


def _cache_missing_sniffio() -> None:
    # httpcore 1.0 runs `import sniffio` on every request to detect the async
    # library; when sniffio is not installed (anyio >= 4.5 no longer pulls it
    # in) each failed import searches sys.path again: ~30k stat calls per
    # 1,000 pages. A None entry makes the failure immediate and changes
    # nothing else (httpcore falls back to asyncio either way).
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


_cache_missing_sniffio()

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_BACKOFF_S = 30.0


def user_agent(config: CrawlConfig) -> str:
    if config.contact_url and config.contact_url not in config.user_agent:
        product = config.user_agent.split(" ", 1)[0]
        return f"{product} (+{config.contact_url})"
    return config.user_agent


def build_client(config: CrawlConfig) -> httpx.AsyncClient:
    """The crawl's one client: pooled connections sized to the crawl's
    concurrency, HTTP/2 when the server offers it, no automatic redirects."""
    limits = httpx.Limits(
        max_connections=config.total_concurrency,
        max_keepalive_connections=config.total_concurrency,
        keepalive_expiry=30.0,
    )
    try:
        import h2  # noqa: F401  (httpx[http2] extra)

        http2 = True
    except ImportError:  # pragma: no cover - the extra is a project dependency
        http2 = False
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    client = httpx.AsyncClient(
        transport=crawl_transport(limits=limits, http2=http2),
        timeout=httpx.Timeout(config.timeout_s),
        follow_redirects=False,
        headers={"User-Agent": user_agent(config), "Accept-Encoding": ACCEPT_ENCODING},
        trust_env=False,  # never route a crawl through a proxy from the environment
        # A crawler is no browser session: cookies are neither kept nor sent
        # back. Kept, a site setting hundreds a page grew the jar without
        # bound and its Cookie header past the server's limit
        # (tests/e2e/test_hostile_cookies.py).
        cookies=jar,
    )
    # The jar above refuses every cookie, but httpx still hands it each
    # response through urllib's cookie machinery (~3% of a loopback crawl's
    # time); where this httpx keeps its jar in `_cookies`, skip that step.
    if isinstance(getattr(client, "_cookies", None), httpx.Cookies):
        client._cookies = _NoCookies(jar)
    return client


class _NoCookies(httpx.Cookies):
    """A cookie store that keeps nothing and does no work for it."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def retry_after_s(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Fetcher:
    """Fetches through one injected `httpx.AsyncClient`; counts requests."""

    def __init__(
        self, client: httpx.AsyncClient, config: CrawlConfig, politeness: Politeness,
        stop: asyncio.Event | None = None, recorder: FetchRecorder | None = None,
    ) -> None:
        self.client = client
        self.recorder = recorder  # `crawl --warc`: sees each completed exchange
        self.config = config
        self.politeness = politeness
        self.requests = 0
        self._stop = stop or asyncio.Event()
        _install_location_hook(client)

    async def _pause(self, seconds: float) -> None:
        """Back-off sleep that a stopping crawl cuts short."""
        try:
            async with asyncio.timeout(seconds):
                await self._stop.wait()
        except TimeoutError:
            pass

    async def fetch(
        self,
        url: str,
        *,
        depth: int = 0,
        validators: Validators | None = None,
        kind: DocumentKind | str = "page",
        max_bytes: int | None = None,
        published_hint: str | None = None,
        on_request: Callable[[], bool] | None = None,
    ) -> FetchResult:
        """One hop, retried on timeouts, connection errors, 5xx and 429.

        `on_request` is called inside the politeness slot just before each
        request is sent; returning False (the crawl is stopping) raises
        `CrawlStopped` instead of sending it."""
        cfg = self.config
        cap = cfg.max_body_bytes if max_bytes is None else max_bytes
        hostport = url.split("/", 3)[2]
        attempt = 0
        while True:
            t0 = time.monotonic()
            try:
                async with self.politeness.slot(hostport):
                    if self._stop.is_set() or (on_request is not None and not on_request()):
                        raise CrawlStopped(url)
                    self.requests += 1
                    res = await self._attempt(url, depth, validators, kind, cap)
                elapsed = time.monotonic() - t0
                self.politeness.observe(hostport, elapsed, ok=True)
                return replace(res, elapsed_ms=elapsed * 1000.0, published_hint=published_hint)
            except FetchFailed as e:
                elapsed = time.monotonic() - t0
                retryable = isinstance(e, RetryableFetch)
                if e.status in (429, 503):
                    self.politeness.penalize(hostport, e.retry_after_s)
                else:
                    self.politeness.observe(hostport, elapsed, ok=not retryable)
                if retryable and attempt < cfg.max_retries:
                    attempt += 1
                    wait = min(_MAX_BACKOFF_S, cfg.retry_backoff_s * 2 ** (attempt - 1))
                    wait *= random.uniform(0.5, 1.5)  # jitter: retries of many workers spread out
                    if e.retry_after_s is not None:
                        wait = max(wait, min(e.retry_after_s, cfg.max_retry_after_s))
                    log.debug("retry %s in %.2fs after %s (%s)", url, wait, e.kind, e)
                    await self._pause(wait)
                    continue
                return FetchResult(
                    url=url, final_url=url, depth=depth, status=e.status, error=to_fetch_error(e),
                    elapsed_ms=elapsed * 1000.0, fetched_at=_now_iso(), published_hint=published_hint,
                )

    async def _attempt(
        self, url: str, depth: int, validators: Validators | None, kind: str, cap: int
    ) -> FetchResult:
        headers = {}
        if validators is not None:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        try:
            async with asyncio.timeout(self.config.timeout_s):  # whole attempt: drip-fed bodies too
                request = self.client.build_request("GET", url, headers=headers)
                response = await self.client.send(request, stream=True)
                try:
                    res = await self._read(url, depth, response, validators, kind, cap)
                    if self.recorder is not None:
                        self.recorder.record(_exchange(request, response, res))
                    return res
                finally:
                    await response.aclose()
        except TimeoutError as e:
            raise RetryableFetch("timeout", f"no complete answer within {self.config.timeout_s:g}s") from e
        except httpx.TimeoutException as e:
            raise RetryableFetch("timeout", f"{type(e).__name__} after {self.config.timeout_s:g}s") from e
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:
            raise FetchFailed("invalid-url", str(e) or type(e).__name__) from e
        except httpx.ConnectError as e:
            raise RetryableFetch("connect", str(e) or type(e).__name__) from e
        except (httpx.NetworkError, httpx.RemoteProtocolError) as e:
            raise RetryableFetch("protocol", describe(e)) from e
        except httpx.HTTPError as e:
            raise FetchFailed("protocol", describe(e)) from e

    async def _read(
        self, url: str, depth: int, resp: httpx.Response, validators: Validators | None, kind: str, cap: int
    ) -> FetchResult:
        status = resp.status_code
        h = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in resp.headers.raw}
        if len(resp.headers.raw) != len(h):  # repeated headers (Link, X-Robots-Tag): keep them all
            h = {k: ", ".join(resp.headers.get_list(k)) for k in h}
        if _HIDDEN_LOCATION in h:
            h["location"] = h.pop(_HIDDEN_LOCATION)
        etag = h.get("etag")
        last_modified = h.get("last-modified")
        base = FetchResult(url=url, final_url=url, depth=depth, status=status, headers=h, etag=etag,
                           last_modified=last_modified, fetched_at=_now_iso())
        if status >= 300 or (kind == "page" and not _wanted_type(h.get("content-type"))):
            await _drain(resp)  # a small unwanted body is read so the connection stays reusable
        if status in _RETRY_STATUSES:
            raise RetryableFetch("http-status", f"HTTP {status}", status=status,
                                 retry_after_s=retry_after_s(h.get("retry-after")))
        if status == 304 and validators is not None:
            return replace(base, etag=etag or validators.etag,
                           last_modified=last_modified or validators.last_modified, not_modified=True)
        if status in _REDIRECTS:
            location = h.get("location")
            if not location:
                return replace(base, error=FetchError(kind="bad-redirect", message=f"HTTP {status} without Location"))
            try:
                target = urljoin(url, location.strip())
            except ValueError:
                target = location
            return replace(base, final_url=target)
        if status >= 300:
            return replace(base, error=FetchError(kind="http-status", message=f"HTTP {status}"))
        mime, header_charset = parse_content_type(h.get("content-type"))
        if kind == "page" and mime is not None and mime not in HTML_TYPES and not _xml_document(mime):
            return replace(base, content_type=mime,
                           error=FetchError(kind="not-html", message=f"content type {mime} is not HTML"))
        length = h.get("content-length")
        if length and length.isdigit() and int(length) > cap and "content-encoding" not in h and kind != "robots":
            raise BodyRejected("too-large", f"Content-Length {length} exceeds the {cap}-byte cap", status=status)
        # robots.txt is read up to its cap and the rest ignored (RFC 9309 §2.5)
        body = await _read_capped(resp, h.get("content-encoding", ""), cap, truncate=kind == "robots")
        if kind != "page":
            return replace(base, body=body, content_type=mime)
        if mime is not None and _xml_document(mime):  # a feed or sitemap reached through a link
            return replace(base, body=body, content_type=mime,
                           error=FetchError(kind="not-html", message=f"content type {mime} is not HTML"))
        if looks_binary(body):
            raise BodyRejected("not-html", "binary bytes labelled as HTML", status=status)
        text, charset = decode_html(body, header_charset)
        return replace(base, body=body, text=text, content_type=mime or "text/html", charset=charset)

    async def fetch_document(
        self, url: str, *, kind: str, max_bytes: int, depth: int = 0, on_request: Callable[[], bool] | None = None,
        validators: Validators | None = None, stop_at: Callable[[str], bool] | None = None,
    ) -> FetchResult:
        """robots.txt, a sitemap or a feed: redirects followed here (bounded,
        loops refused, each hop kept in `redirects`). `validators` make the
        first request conditional (a 304 comes back as `not_modified`). A
        redirect to a URL `stop_at` knows (a document fetched on its own) is
        not followed: the 3xx comes back, its target in `final_url`."""
        hops: list[str] = []
        current = url
        for _ in range(self.config.max_redirects + 1):
            res = await self.fetch(current, depth=depth, kind=kind, max_bytes=max_bytes, on_request=on_request,
                                   validators=None if hops else validators)
            if res.error is not None or res.status not in _REDIRECTS:
                return replace(res, url=url, redirects=tuple(hops))
            target = normalize_url(res.final_url, strip_params=())
            if target is None:
                return replace(res, url=url, redirects=tuple(hops),
                               error=FetchError(kind="bad-redirect", message=f"redirect to {res.final_url[:200]}"))
            if target == current or target in hops:
                return replace(res, url=url, redirects=tuple(hops),
                               error=FetchError(kind="redirect-loop", message=f"redirect loop at {target}"))
            why = await refusal(current, target, self.config.allow_private)
            if why is not None:
                return replace(res, url=url, redirects=tuple(hops), error=why)
            hops.append(current)
            if stop_at is not None and stop_at(target):
                return replace(res, url=url, redirects=tuple(hops), final_url=target)
            current = target
        return replace(res, url=url, redirects=tuple(hops),
                       error=FetchError(kind="too-many-redirects",
                                        message=f"more than {self.config.max_redirects} redirects"))


_HIDDEN_LOCATION = "x-copyhound-location"
_DECODED = (b"content-encoding", b"transfer-encoding", b"content-length")


def _exchange(request: httpx.Request, response: httpx.Response, res: FetchResult) -> RecordedExchange:
    """The exchange as an archive keeps it: headers as sent and received, the
    body as kept (decoded, so its encoding headers are replaced by its length)."""
    body = res.body or b""
    headers = [
        (b"location" if k.lower() == _HIDDEN_LOCATION.encode() else k, v)
        for k, v in response.headers.raw
        if k.lower() not in _DECODED
    ]
    headers.append((b"Content-Length", str(len(body)).encode()))
    return RecordedExchange(
        url=str(request.url), method=request.method,
        request_headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw),
        status=response.status_code, reason=response.reason_phrase or "",
        response_headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in headers),
        body=body, fetched_at=res.fetched_at, not_modified=res.not_modified,
    )


async def _hide_location(response: httpx.Response) -> None:
    # httpx parses Location even with follow_redirects=False and raises on a
    # `javascript:` or malformed target before we see the response; the
    # engine judges redirect targets itself, so it takes the header aside.
    if response.status_code in _REDIRECTS and "location" in response.headers:
        response.headers[_HIDDEN_LOCATION] = response.headers["location"]
        del response.headers["location"]


def _install_location_hook(client: httpx.AsyncClient) -> None:
    hooks = client.event_hooks
    if _hide_location not in hooks.get("response", []):
        client.event_hooks = {**hooks, "response": [*hooks.get("response", []), _hide_location]}


_DRAIN_BYTES = 64_000


async def _drain(resp: httpx.Response) -> None:
    length = resp.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > _DRAIN_BYTES):
        return  # too big to be worth it: the connection is dropped instead
    read = 0
    try:
        async for chunk in resp.aiter_raw():
            read += len(chunk)
            if read > _DRAIN_BYTES:
                return
    except httpx.HTTPError:
        return


def _wanted_type(content_type: str | None) -> bool:
    mime = parse_content_type(content_type)[0]
    return mime is None or mime in HTML_TYPES or _xml_document(mime)


def _xml_document(mime: str) -> bool:
    return mime.endswith(("/xml", "+xml")) and mime not in HTML_TYPES


async def _read_capped(resp: httpx.Response, encoding: str, cap: int, *, truncate: bool = False) -> bytes:
    decoder = BodyDecoder(encoding)
    chunks: list[bytes] = []
    total = 0
    async for raw in resp.aiter_raw():
        data = decoder.feed(raw, cap - total)
        total += len(data)
        if total > cap:
            if truncate:
                chunks.append(data[: len(data) - (total - cap)])
                return b"".join(chunks)
            raise BodyRejected("too-large", f"body exceeds the {cap}-byte cap", status=resp.status_code)
        chunks.append(data)
    tail = decoder.flush(cap - total)
    if tail:
        total += len(tail)
        if total > cap:
            raise BodyRejected("too-large", f"body exceeds the {cap}-byte cap", status=resp.status_code)
        chunks.append(tail)
    return b"".join(chunks)
