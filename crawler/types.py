"""Values and seams of the crawler.

The crawl engine (crawler/engine.py) owns fetching and politeness; it never
touches SQLite itself. Persistence comes in through two protocols the
pipeline implements with `store/`:

- `Frontier`: the queue and the seen-set (SQLite-backed, so memory stays flat
  and a killed crawl resumes);
- `PageSink`: parses a fetched page (CPU work: extraction) and commits the
  page, its posts and its frontier update in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, Protocol, TypeVar

DEFAULT_USER_AGENT = "copyhound/0.1 (+https://github.com/copyhound/copyhound)"

# Query parameters that only track visitors or sessions: dropped before URLs
# are compared, so `?utm_source=x` and `?replytocom=5` variants are fetched once.
DEFAULT_STRIP_PARAMS: tuple[str, ...] = (
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "yclid",
    "_ga",
    "replytocom",
    "sessionid",
    "session_id",
    "sid",
    "phpsessid",
    "jsessionid",
    "aspsessionid",
)

UrlSource = Literal["seed", "link", "sitemap", "feed", "redirect"]
DocumentKind = Literal["page", "sitemap", "feed"]
FrontierState = Literal["queued", "inflight", "done", "failed", "skipped"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlConfig:
    """Every crawl option, with its default and its unit in the name."""

    seeds: tuple[str, ...]
    scope_hosts: tuple[str, ...] = ()  # hosts in scope besides the seeds' own
    max_pages: int = 10_000
    max_depth: int = 50
    max_pages_per_host: int | None = None
    include_patterns: tuple[str, ...] = ()  # regexes; a URL must match one when any are given
    exclude_patterns: tuple[str, ...] = ()
    user_agent: str = DEFAULT_USER_AGENT
    contact_url: str | None = None
    host_concurrency: int = 2
    delay_s: float = 0.5  # minimum gap between requests to one host; Crawl-delay wins when larger
    total_concurrency: int = 32
    timeout_s: float = 20.0
    max_retries: int = 2
    max_redirects: int = 10
    max_body_bytes: int = 5_000_000
    max_sitemap_bytes: int = 50_000_000
    strip_params: tuple[str, ...] = DEFAULT_STRIP_PARAMS
    allow_private: bool = False
    use_sitemaps: bool = True
    use_feeds: bool = True
    # Added with the engine (issue 3); every loop and read below is bounded.
    max_robots_bytes: int = 512_000  # Google reads the first 500 KiB of robots.txt
    max_feed_bytes: int = 10_000_000
    max_sitemap_urls: int = 50_000  # per sitemap document (sitemaps.org limit)
    max_sitemap_docs: int = 1_000  # sitemap + feed documents per run
    # Links queued from one page (Heritrix's default outlink cap is 6,000): a
    # link farm must not add tens of thousands of frontier rows per page.
    max_links_per_page: int = 6_000
    robots_retry_s: float = 30.0  # wait before asking a robots.txt that failed (5xx/timeout) again
    robots_max_attempts: int = 3  # then the host's URLs are recorded as robots-unavailable
    retry_backoff_s: float = 0.5  # first retry waits about this long, doubling, with jitter
    max_retry_after_s: float = 120.0  # a longer Retry-After is capped to this
    max_crawl_delay_s: float = 30.0  # robots Crawl-delay above this is capped


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontierItem:
    """A URL waiting to be fetched. `published_hint` carries a sitemap
    `lastmod` or feed date for the canonical election."""

    url: str  # normalised
    depth: int
    source: UrlSource = "link"
    referrer: str | None = None
    published_hint: str | None = None
    kind: DocumentKind = "page"  # sitemaps and feeds travel through the frontier too
    redirect_chain: tuple[str, ...] = ()  # URLs that redirected here, in order (loop/length checks)


@dataclass(frozen=True, slots=True, kw_only=True)
class Validators:
    """What a previous crawl stored for a URL, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchError:
    """Why a fetch gave no usable page: a value stored on the page row, never
    an exception that stops the crawl. `kind` is a short stable token
    (timeout, connect, http-status, too-large, not-html, robots-disallowed,
    redirect-loop, too-many-redirects, decode, invalid-url, private-address, ...)."""

    kind: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchResult:
    """The outcome of fetching one URL (after redirects and retries)."""

    url: str  # the normalised URL that was requested
    final_url: str
    depth: int
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes | None = None
    text: str | None = None  # body decoded with the detected charset (HTML only)
    content_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a 304 to a conditional GET: reuse the stored page
    redirects: tuple[str, ...] = ()  # each hop, in order, before final_url
    elapsed_ms: float = 0.0
    fetched_at: str = ""  # ISO 8601 UTC
    published_hint: str | None = None
    error: FetchError | None = None


# The sink's own result of parsing a page (its extraction), which the crawler
# hands back to `PageSink.commit` without looking inside.
PayloadT = TypeVar("PayloadT")


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedExchange:
    """One HTTP exchange as it went over the wire, for an archive (WARC).

    The body is the one the fetcher kept: content-decoded, so
    `response_headers` come without Content-Encoding/Transfer-Encoding and
    with its true Content-Length; empty for redirects, 304s and drained errors.
    """

    url: str
    method: str
    request_headers: tuple[tuple[str, str], ...]
    status: int
    reason: str
    response_headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: str  # ISO 8601 UTC
    not_modified: bool = False  # a 304 to a conditional GET: archived as a revisit


class FetchRecorder(Protocol):
    """Receives every exchange the fetcher completes (`crawl --warc`); the
    crawler itself stays unaware of the archive format."""

    def record(self, exchange: RecordedExchange) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedPage(Generic[PayloadT]):
    """What the crawler needs back from parsing a page: where to go next.
    `payload` is the sink's own (the extraction result), handed back to
    `PageSink.commit` untouched."""

    links: tuple[str, ...] = ()
    feed_links: tuple[str, ...] = ()
    nofollow: bool = False
    payload: PayloadT | None = None
    # The page holds one post of its own (no listing): a feed under its URL
    # (WordPress's /post/feed/) holds its comments, not posts, and is not read.
    single_post: bool = False
    # The page's rel=canonical: a post page reached under another URL (WordPress's
    # `/?p=ID` answered without its redirect) still has its comment feed under that one.
    canonical_link: str | None = None


class Frontier(Protocol):
    """The persistent queue and seen-set of one crawl run."""

    def add(self, items: Sequence[FrontierItem]) -> int:
        """Queue the URLs never seen in this run; returns how many were new."""
        ...

    def claim(self, limit: int) -> list[FrontierItem]:
        """The next queued URLs, marked in flight (in-flight URLs of a killed
        run are queued again when the run resumes)."""
        ...

    def validators(self, url: str) -> Validators | None:
        """Stored validators of the URL from an earlier crawl, if any."""
        ...

    def pending(self) -> int:
        """How many URLs are queued or in flight."""
        ...

    def done_count(self) -> int:
        """How many URLs this run has finished (fetched or failed)."""
        ...


class PageSink(Protocol[PayloadT]):
    """Where fetched pages go: the pipeline's extraction and storage."""

    async def parse(self, result: FetchResult) -> ParsedPage[PayloadT]:
        """Extract the page (posts, metadata) and return its links; for a 304
        (`result.not_modified`) return the links stored last time. The sink
        may offload the work to another process; must not raise."""
        ...

    def commit(
        self, result: FetchResult, parsed: ParsedPage[PayloadT] | None, discovered: Sequence[FrontierItem]
    ) -> None:
        """Store the page with what `parse` found, mark its URL done and queue
        `discovered`, all in one transaction."""
        ...


class DocumentFrontier(Frontier, Protocol):
    """A frontier that can also close items that are not pages (sitemaps,
    feeds, per-host caps) without going through the `PageSink`."""

    def finish(self, url: str, state: FrontierState, discovered: Sequence[FrontierItem]) -> None:
        """Mark `url` with `state` and queue `discovered`, in one transaction."""
        ...


class ProgressReporter(Protocol):
    """Live progress of a crawl (a terminal bar, a log line, nothing)."""

    def update(self, done: int, queued: int, errors_by_host: Mapping[str, int]) -> None:
        """Called a few times a second: pages finished, URLs waiting, failures per host."""
        ...
