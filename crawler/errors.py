"""Errors of the crawler.

A failed fetch is a `FetchError(kind, message)` *value* stored on the page
row (crawler.types), never a raise that stops the crawl. The exceptions below
only travel inside `crawler/` (fetch → engine) and are turned into values at
the boundary with `to_fetch_error`::

    CrawlError (RuntimeError)
    ├── FetchFailed                 one URL could not be fetched; .kind says why
    │   ├── RetryableFetch          timeout, connection error, 5xx, 429: worth another try
    │   └── BodyRejected            too large, undecodable, binary, bad compression
    ├── CrawlStopped                the crawl is stopping: the request was not sent
    └── ConfigError (ValueError)    a CrawlConfig value that cannot work

Error kinds (stable tokens, stored in `pages.error_kind`): timeout, connect,
http-status, too-large, not-html, decode, robots-disallowed,
robots-unavailable, redirect-loop, too-many-redirects, bad-redirect,
private-address, invalid-url, host-cap, protocol, parse (the sink raised),
internal (an unexpected exception, logged with its traceback).
"""

from __future__ import annotations

from copyhound.crawler.types import FetchError

__all__ = [
    "MAX_ERROR_CHARS",
    "BodyRejected",
    "ConfigError",
    "CrawlError",
    "CrawlStopped",
    "FetchFailed",
    "RetryableFetch",
    "describe",
    "to_fetch_error",
]


class CrawlError(RuntimeError):
    """Base of the crawler's exceptions."""


class FetchFailed(CrawlError):
    """One URL could not be fetched."""

    def __init__(self, kind: str, message: str, *, status: int | None = None,
                 retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after_s = retry_after_s


class RetryableFetch(FetchFailed):
    """A failure that another attempt may cure (timeouts, resets, 5xx, 429)."""


class BodyRejected(FetchFailed):
    """The response arrived but its body is unusable (too large, binary, bad encoding)."""


class CrawlStopped(CrawlError):
    """Raised instead of sending a request once the crawl is stopping; the
    URL stays in flight and is queued again when the run resumes."""


class ConfigError(CrawlError, ValueError):
    """A crawl option that cannot work; the message names it and the fix."""


def to_fetch_error(exc: FetchFailed) -> FetchError:
    return FetchError(kind=exc.kind, message=str(exc))


MAX_ERROR_CHARS = 300  # an error message stored on a page row: enough to act on, bounded however odd the exception


def describe(exc: BaseException) -> str:
    """`ExceptionType: message`, cut to `MAX_ERROR_CHARS`, for a page row's error."""
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
