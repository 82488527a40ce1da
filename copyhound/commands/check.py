"""`copyhound check URL [URL ...]`: is this page a copy of my post?

Compares a few given pages directly, without following any link: the pages
are fetched, extracted, signed and clustered by the very pipeline a crawl
uses (depth 0, no sitemaps or feeds), into a throwaway database, so the
relations, statuses and verdicts are exactly those a crawl would report.

The first URL's site is taken as the reader's own (its post wins the
canonical election) unless `--own-domain` names other hosts.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from copyhound.commands.crawl import check_hosts_resolve, check_seeds_reachable
from copyhound.crawler.types import DEFAULT_USER_AGENT, CrawlConfig
from copyhound.errors import InputError, NothingFetched
from copyhound.pipeline import crawl, validate_seed
from copyhound.report import ReportFilter, build_report
from copyhound.store import history, open_db
from copyhound.verdicts import add_verdicts

MAX_CHECK_URLS = 50


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    report: dict[str, Any]  # the contract report with verdicts
    urls: tuple[str, ...]  # the normalised URLs, in the order given
    fetch: dict[str, tuple[str, str]]  # normalised URL → ("" or why it gave no content, URL after redirects)


def run_check(
    urls: Sequence[str],
    *,
    own_domains: Sequence[str] = (),
    allow_private: bool = False,
    timeout: float = 20.0,
    user_agent: str | None = None,
    db_path: str | None = None,
) -> CheckResult:
    if len(urls) < 2:
        raise InputError("give at least two URLs: your post, then the page(s) to compare with it")
    if len(urls) > MAX_CHECK_URLS:
        raise InputError(f"check compares at most {MAX_CHECK_URLS} URLs: crawl more with `copyhound crawl`")
    seeds = tuple(dict.fromkeys(validate_seed(u) for u in urls))
    check_hosts_resolve(seeds)  # a typo is one line now, not a minute of robots.txt retries
    check_seeds_reachable(seeds, timeout)
    own = tuple(own_domains) or (urlsplit(seeds[0]).netloc,)
    config = CrawlConfig(
        seeds=seeds,
        max_pages=len(seeds),
        max_depth=0,
        use_sitemaps=False,
        use_feeds=False,
        user_agent=user_agent or DEFAULT_USER_AGENT,
        timeout_s=timeout,
        allow_private=allow_private,
        delay_s=0.2,
    )
    with tempfile.TemporaryDirectory(prefix="copyhound-check-") as tmp:
        path = db_path or str(Path(tmp) / "check.db")
        with contextlib.suppress(NothingFetched):  # every URL failed: said per URL below
            crawl(config, path, own_domains=own)
        db = open_db(path, create=False)
        try:
            report = add_verdicts(build_report(db, ReportFilter()), own)
            fetch = history.page_outcomes(db, seeds)
        finally:
            db.conn.close()
    return CheckResult(report=report, urls=seeds, fetch=fetch)


__all__ = ["MAX_CHECK_URLS", "CheckResult", "run_check"]
