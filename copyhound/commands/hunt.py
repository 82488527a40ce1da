"""`copyhound hunt WARC... --db site.db`: the Copyscape question on an open crawl.

The site owner's own posts (pages on an --own-domain host in the database)
are the query set, held in memory as an `OwnIndex` (dedupe/match/own_index.py):
memory is bounded by that index, not by the corpus. This module is the wiring. Each
archived HTML record streams past it in three steps:

1. a pre-filter on the whole page's text (tags stripped, no extraction): the
   sampled shingles must share `min_shared_samples` with the own posts, or
   the record is dropped before the costly extraction. It drops ~99% of an
   archive, so it comes first: checking the URL of every record before it
   cost a sixth of the hunt (normalize_url), to reject almost nothing;
2. its URL is already a page in the database: a newer capture of that page,
   never a copy of itself, so skipped;
3. extraction, signing and verification with the clustering's thresholds
   (near, contains, excerpt): only records holding an own post are stored,
   through the crawl's sink with the extraction made here (the sink's own
   inputs: `page_sink.extract_fetched`), then clustered and audited as a crawl is.

Records go through steps 1-2 in groups of 64 (`candidates`) and the few
left through step 3 in groups of 32 (`judge`): per-record numpy and signing
calls cost more than their work. Stored and counted as one record at a time
(tests/unit/test_hunt_prefilter.py, tests/e2e/test_hunt_batches.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import click
from sqlite_utils import Database

from copyhound.commands.ingest import (
    ARCHIVE_BATCH_AGE_S,
    ARCHIVE_BATCH_PAGES,
    MAX_BODY_BYTES,
    commit_record,
    compile_filter,
    expand_inputs,
    record_key,
)
from copyhound.commands.report import own_domains_of
from copyhound.crawler.discover.urls import normalize_url
from copyhound.crawler.types import FetchResult
from copyhound.crawler.warc import RevisitIndex, WarcPage, WarcProblem, iter_pages
from copyhound.crawler.warc.results import to_fetch_result
from copyhound.dedupe.match.own_index import OwnIndex
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.dedupe.match.prefilter import bodies_may_hold
from copyhound.dedupe.types import ExtractedPage
from copyhound.errors import InputError
from copyhound.hosts import url_on_hosts
from copyhound.pipeline import after_pages
from copyhound.stages.page_sink import StoreSink, extract_fetched
from copyhound.store import open_db
from copyhound.store import warc as warc_store
from copyhound.store.runs import crawl_lock, finish_run, start_run

# The pre-filter hashes pages in groups: enough that numpy's per-call cost
# vanishes (64 pages of ~2 KB text ran 4.5x faster than one at a time), few
# enough that a group's bodies are a bounded, small part of memory.
PREFILTER_BATCH_RECORDS = 64
PREFILTER_BATCH_BYTES = 1 << 20
# Records past the pre-filter (~1% of an archive) wait for verification in
# groups of their own: signing their posts one page at a time was a tenth of
# the hunt. Bodies held: at most this many, or this many bytes.
VERIFY_BATCH_RECORDS = 32
VERIFY_BATCH_BYTES = 4 << 20


@dataclass(slots=True)
class HuntCounts:
    records: int = 0
    own_captures: int = 0  # past the pre-filter, URL already in the database: the page itself
    prefiltered: int = 0  # dropped before extraction
    extracted: int = 0
    stored: int = 0
    problems: int = 0
    stats: dict[str, Any] = field(default_factory=dict)


def load_own_index(db: Database, own_domains: tuple[str, ...]) -> OwnIndex:
    params = DEFAULT_PARAMS
    rows = warc_store.post_texts_by_page(db, params.min_post_words)
    texts = [t for url, t in rows if url_on_hosts(url, own_domains)]
    if not texts:
        raise InputError(
            f"no own posts in the database for {', '.join(own_domains)}: crawl your site first "
            "(copyhound crawl https://your.site/ --db site.db --own-domain your.site)"
        )
    return OwnIndex(texts, params)


@dataclass(frozen=True, slots=True, kw_only=True)
class HuntOptions:
    patterns: tuple[str, ...]
    db_path: str
    own_domains: tuple[str, ...] = ()  # default: what the database's last crawl was given
    min_similarity: float = 0.0
    url_filter: str | None = None
    max_records: int | None = None
    quiet: bool = False


def run_hunt(opts: HuntOptions) -> HuntCounts:
    """Stream the archives past the own posts; store and cluster the records that hold one."""
    url_filter = compile_filter(opts.url_filter)
    files = expand_inputs(opts.patterns, lambda m: click.echo(m, err=True))
    db = open_db(opts.db_path, create=False)
    own = own_domains_of(db, opts.own_domains)
    if not own:
        raise InputError("no --own-domain given and the database's last crawl had none: say whose posts to hunt")
    index = load_own_index(db, own)
    with crawl_lock(opts.db_path):
        warc_store.prepare(db)
        run = start_run(db, [f"hunt:{f}" for f in files], {"own_domains": list(own), "hunt": files})
        sink = StoreSink(db, None, run.id, batch_pages=ARCHIVE_BATCH_PAGES, batch_age_s=ARCHIVE_BATCH_AGE_S)
        counts = HuntCounts()
        try:
            asyncio.run(_hunt_files(db, sink, run.id, files, url_filter, index, opts, counts))
        except BaseException:
            with suppress(Exception):  # keep what was stored; the first error is the one to tell
                sink.flush()
                finish_run(db, run.id, {"hunt": _count_dict(counts)}, state="interrupted")
            raise
        sink.flush()
        stats: dict[str, Any] = {"hunt": _count_dict(counts), "own_posts": len(index)}
        stats.update(after_pages(db, run.id, own).as_dict())
        finish_run(db, run.id, stats)
        counts.stats = stats
        return counts


def _count_dict(c: HuntCounts) -> dict[str, int]:
    return {"records": c.records, "own_captures": c.own_captures, "prefiltered": c.prefiltered,
            "extracted": c.extracted, "stored": c.stored, "problems": c.problems}


async def _hunt_files(
    db: Database, sink: StoreSink, run_id: int, files: list[str], url_filter: Callable[[str], bool] | None,
    index: OwnIndex, opts: HuntOptions, counts: HuntCounts,
) -> None:
    def known(url: str) -> bool:
        return warc_store.has_page(db, url)

    pages = _records(files, url_filter, opts.max_records, counts)
    for group in verified_groups(pages, index, known, counts, opts.min_similarity):
        # the next group is read after this one is stored: `known` sees its pages
        await _store_copies(db, sink, run_id, group, counts)


async def _store_copies(db: Database, sink: StoreSink, run_id: int, group: list[Verdict], counts: HuntCounts) -> None:
    """Store, in file order, the records of a verified group that hold an own post."""
    stored: set[str] = set()
    for v in group:
        if v.url in stored:
            # A second capture of a page this group just stored: one record at a
            # time, `known` would have called it that page and never extracted
            # it. Counted as then.
            counts.extracted -= 1
            counts.own_captures += 1
        elif v.holds_own_post and _store(db, sink, run_id, v, counts):
            stored.add(v.url)


def _records(
    files: list[str], url_filter: Callable[[str], bool] | None, max_records: int | None, counts: HuntCounts
) -> Iterator[WarcPage]:
    """The archives' pages in order, up to `max_records`; each problem told on stderr and counted."""
    revisits = RevisitIndex()
    for path in files:
        for item in iter_pages(path, url_filter=url_filter, revisits=revisits):
            if isinstance(item, WarcProblem):
                counts.problems += 1
                click.echo(f"copyhound: {item.line()}", err=True)
                continue
            if max_records is not None and counts.records >= max_records:
                return
            counts.records += 1
            yield item


def verified_groups(
    pages: Iterable[WarcPage], index: OwnIndex, known: Callable[[str], bool], counts: HuntCounts,
    min_similarity: float = 0.0,
) -> Iterator[list[Verdict]]:
    """The hunt's steps over a stream of records, in file order and in groups
    (`candidates` 64 at a time, `judge` 32 at a time): one list of verdicts
    after each pre-filter group (empty while a verification group fills), the
    rest last. Held at once: one group of each, never the stream. The
    in-process hunt and each Spark task (`spark.hunt.hunt_file`) call this."""
    pending: list[Candidate] = []
    for batch in _batches(iter(pages)):
        pending += candidates(batch, index, known, counts)
        if len(pending) >= VERIFY_BATCH_RECORDS or sum(len(c.page.body) for c in pending) >= VERIFY_BATCH_BYTES:
            yield judge(pending, index, min_similarity)
            pending = []
        else:
            yield []
    yield judge(pending, index, min_similarity)


def _batches(pages: Iterator[WarcPage]) -> Iterator[list[WarcPage]]:
    """Pages in groups for the batched pre-filter, bounded in count and body bytes."""
    batch: list[WarcPage] = []
    size = 0
    for page in pages:
        batch.append(page)
        size += len(page.body)
        if len(batch) >= PREFILTER_BATCH_RECORDS or size >= PREFILTER_BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def holds_own_post(
    page: WarcPage, index: OwnIndex, known: Callable[[str], bool], counts: HuntCounts, min_similarity: float = 0.0,
) -> bool:
    """The hunt's steps for one record, in-process and on Spark alike (`verdicts` of one)."""
    return any(v.holds_own_post for v in verdicts([page], index, known, counts, min_similarity))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record past the pre-filter, extracted: its normalised URL and its posts'
    texts; its fetch result and extraction, kept for storing it (None without text)."""

    page: WarcPage
    url: str
    texts: list[str]
    result: FetchResult | None = None
    extracted: ExtractedPage | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """A candidate, and whether it holds an own post."""

    page: WarcPage
    url: str
    holds_own_post: bool
    result: FetchResult | None = None
    extracted: ExtractedPage | None = None


def verdicts(
    pages: Sequence[WarcPage], index: OwnIndex, known: Callable[[str], bool], counts: HuntCounts,
    min_similarity: float = 0.0,
) -> list[Verdict]:
    """The hunt's steps for records in file order: `candidates`, then `judge`."""
    return judge(candidates(pages, index, known, counts), index, min_similarity)


def candidates(
    pages: Sequence[WarcPage], index: OwnIndex, known: Callable[[str], bool], counts: HuntCounts
) -> list[Candidate]:
    """The records worth verifying, in file order: past the text pre-filter
    (one batch), then not a URL `known` to the site's database (a newer
    capture of that page, never a copy), then extracted."""
    ok = [p for p in pages if p.status == 200]
    if not ok:
        return []
    passed = bodies_may_hold(index, [p.body for p in ok])
    counts.prefiltered += len(ok) - int(passed.sum())
    found = [_posts(p, known, counts) for p, hit in zip(ok, passed.tolist(), strict=True) if hit]
    return [c for c in found if c is not None]


def judge(group: Sequence[Candidate], index: OwnIndex, min_similarity: float = 0.0) -> list[Verdict]:
    """Does each candidate hold an own post? Their posts verified at once:
    signing one text alone costs as much as signing fifty together."""
    scores = index.best_matches([t for c in group for t in c.texts])
    out, at = [], 0
    for c in group:
        best = max(scores[at : at + len(c.texts)], default=0.0)
        at += len(c.texts)
        out.append(Verdict(c.page, c.url, best > 0.0 and best >= min_similarity, c.result, c.extracted))
    return out


def _posts(page: WarcPage, known: Callable[[str], bool], counts: HuntCounts) -> Candidate | None:
    """The page extracted; None for an own capture or a URL the crawler would not fetch."""
    url = normalize_url(page.url)
    if url is None:
        return None
    if known(url):
        counts.own_captures += 1
        return None
    counts.extracted += 1
    result = to_fetch_result(page, max_body_bytes=MAX_BODY_BYTES)
    # the sink's own extraction of this result (its URL, headers, decoded text): stored as made here
    extracted = None if result is None else extract_fetched(result)
    if extracted is None:
        return Candidate(page, url, [])
    return Candidate(page, url, [p.text for p in extracted.posts if p.kind == "post"], result, extracted)


def _store(db: Database, sink: StoreSink, run_id: int, v: Verdict, counts: HuntCounts) -> bool:
    """Store a copy through the crawl's sink with the extraction its verification
    made, once (`ingest.store_record`'s key): False when an earlier run stored it."""
    # a copy holds an own post, so it was extracted: never None here
    assert v.result is not None and v.extracted is not None
    if warc_store.is_stored(db, record_key(v.page)):
        return False
    commit_record(db, sink, run_id, v.page, v.result, sink.parse_extracted(v.result, v.extracted))
    counts.stored += 1
    return True
