"""The dedupe stage of a crawl: sign new and changed posts, find and verify
candidate pairs, rebuild the clusters.

State lives in SQLite (store/signatures.py, store/clusters.py); the matching
itself is pure (dedupe/). Only posts of kind 'post' on live pages (status 200
or 304, not gone) with at least `min_post_words` words take part; posts of
pages that died leave their clusters.

Exact copies are grouped by the hash of their normalised text, so each
distinct text is signed, bucketed and verified once however many pages carry
it (a press release on 500 sites is one text, not 125,000 pairs).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from sqlite_utils import Database

from copyhound.dedupe.cluster.build import build_clusters
from copyhound.dedupe.cluster.region import connected_region, worth_keeping
from copyhound.dedupe.cluster.signing import SignatureState, signature_states, unique_per_text
from copyhound.dedupe.match.lsh import band_candidates, sample_candidates, sorted_unique
from copyhound.dedupe.match.params import DEFAULT_PARAMS, MinHashParams
from copyhound.dedupe.match.shingles import shingle_hashes_batch
from copyhound.dedupe.match.similarity import Overlap, overlap
from copyhound.dedupe.types import PostRecord
from copyhound.stages.dedupe_changes import Changes, find_changes, save_changes
from copyhound.store import clusters as cluster_store
from copyhound.store import matches as match_store
from copyhound.store import posts as post_store
from copyhound.store import signatures as sig_store
from copyhound.store.db import page_cache
from copyhound.store.posts import LivePost

Progress = Callable[[str, int, int], None]
SIGN_BATCH = 2_000  # posts signed and written per transaction
VERIFY_BATCH = 2_000  # texts shingled at once during verification
SQLITE_CACHE_KB = 16 * 1024  # page cache while the dedupe stage runs (bounded; 64 MB was no faster at 10^5)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterStats:
    posts: int  # live posts compared (kind 'post', long enough)
    texts: int  # distinct normalised texts among them
    signed: int  # posts (re)signed in this call
    dropped: int  # posts whose signature state was removed (page gone, post gone or too short)
    candidates: int  # candidate text pairs (bands + shared samples)
    verified: int  # pairs that passed verification
    rebuilt: int  # clusters rebuilt in this call
    clusters: int  # clusters stored in all
    copies: int
    seconds: float

    def as_dict(self) -> dict[str, int | float]:
        return asdict(self)


def _noop(_stage: str, _done: int, _total: int) -> None:
    return None


def update_clusters(
    db: Database,
    *,
    run_id: int | None,
    is_own_url: Callable[[str], bool],
    progress: Progress | None = None,
    params: MinHashParams = DEFAULT_PARAMS,
) -> ClusterStats:
    """Bring signatures and clusters up to date with the stored posts.

    Signs only new and changed posts, compares only new texts with the
    stored index, and rebuilds only the part of the match graph where some
    post's inputs changed. Raises store.ParamsMismatch when the database was
    signed with other MinHash parameters. With `run_id`, the resulting copies
    are also snapshotted into `run_copies` for that run.
    """
    t0 = time.perf_counter()
    report = progress or _noop
    sig_store.check_params(db, params.signature_record())
    reset = match_store.reset_if_changed(db, params.matching_record())
    # bulk reads and writes of the big tables need more than SQLite's default 2 MB cache
    with page_cache(db, SQLITE_CACHE_KB):
        changes = find_changes(db, is_own_url, reset=reset)
        return _update(db, changes, run_id, is_own_url, report, params, t0)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Read:
    """What the stage read of the changed pages."""

    live: list[LivePost]  # their live posts
    previous: dict[int, tuple[str, str]]  # post id → (text key, fingerprint) at the last rebuild
    dropped: dict[int, tuple[str, bool]]  # signed posts no longer live → (text key, index owner?)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Matched:
    """What the signing and matching steps leave for the rebuild."""

    signed: int
    candidates: int
    verified: int
    affected: set[str]  # texts whose part of the graph must be rebuilt


def _update(
    db: Database,
    changes: Changes,
    run_id: int | None,
    is_own_url: Callable[[str], bool],
    report: Progress,
    params: MinHashParams,
    t0: float,
) -> ClusterStats:
    read = _read(db, changes, params)
    matched = _sign_and_match(db, read, changes, params, report)
    rebuilt = _rebuild(db, read, matched, changes, run_id, is_own_url, params, report)
    clusters, copies = cluster_store.totals(db)
    posts, texts = match_store.input_totals(db)
    return ClusterStats(
        posts=posts,
        texts=texts,
        signed=matched.signed,
        dropped=len(read.dropped),
        candidates=matched.candidates,
        verified=matched.verified,
        rebuilt=rebuilt,
        clusters=clusters,
        copies=copies,
        seconds=round(time.perf_counter() - t0, 3),
    )


def _read(db: Database, changes: Changes, params: MinHashParams) -> _Read:
    """The changed pages' live posts and previous inputs; the signature state
    of their posts that are no longer live is deleted."""
    live = post_store.live_posts(db, min_words=params.min_post_words, pages=changes.pages,
                                 aliases=changes.aliases)
    previous = match_store.inputs_on_pages(db, changes.pages)
    live_ids = {r.post_id for r in live}
    dropped = {p: v for p, v in sig_store.on_pages(db, changes.pages).items() if p not in live_ids}
    with db.atomic():
        sig_store.delete(db, list(dropped))
    return _Read(live=live, previous=previous, dropped=dropped)


def _sign_and_match(db: Database, read: _Read, changes: Changes, params: MinHashParams,
                    report: Progress) -> _Matched:
    """Sign new and changed posts, and verify the candidate pairs of new texts."""
    live = read.live
    stale = [r for r in live if r.signed_hash != r.text_hash]
    owner, to_sign = _index_owners(db, read, stale, params, changes)
    _sign(db, to_sign, set(owner.values()), params, report)
    live_keys = {r.text_hash for r in live}
    # known: clustered before, by a post that still holds it or by one on these pages
    known = match_store.known_texts(db, live_keys) | {k for k, _ in read.previous.values()}
    new_keys = live_keys - known
    # texts no post holds any more leave the graph; their neighbours must be re-clustered
    was = {k for k, _ in read.previous.values()} - live_keys
    vanished = was - {r.text_hash for r in _live_with(db, was, params, changes)}
    with db.atomic():
        affected = match_store.remove_texts(db, vanished)
    full_probe = changes.full and len(new_keys) == len(live_keys)
    pairs = _candidates(db, [owner[k] for k in sorted(new_keys)], params, full=full_probe)
    key_of_rep = sig_store.text_keys(db, np.unique(pairs).tolist())
    verified = _verify(db, pairs, key_of_rep, params, report)
    with db.atomic():
        match_store.save(db, verified)
    return _Matched(signed=len(to_sign), candidates=len(pairs), verified=len(verified),
                    affected=affected | new_keys)


def _live_with(db: Database, keys: set[str], params: MinHashParams, changes: Changes) -> list[LivePost]:
    """The live posts holding one of these texts, wherever they are."""
    return post_store.live_posts(db, min_words=params.min_post_words, texts=keys, aliases=changes.aliases)


def _rebuild(
    db: Database, read: _Read, matched: _Matched, changes: Changes, run_id: int | None,
    is_own_url: Callable[[str], bool], params: MinHashParams, report: Progress,
) -> int:
    """Rebuild the clusters of the region some change reached; the number rebuilt."""
    previous = read.previous
    inputs = {r.post_id: (r.text_hash, _fingerprint(r, is_own_url)) for r in read.live}
    changed = [p for p, v in inputs.items() if previous.get(p) != v]
    removed = [p for p in previous if p not in inputs]
    affected = matched.affected | {inputs[p][0] for p in changed} | {previous[p][0] for p in removed}
    region_posts, region_overlaps = _region(db, read, affected, changes, params)
    per_text = Counter(r.text_hash for r in region_posts)
    involved = {k for pair in region_overlaps for k in pair} | {k for k, n in per_text.items() if n > 1}
    records = [_record(r, is_own_url) for r in region_posts if r.text_hash in involved]
    key_of = {r.post_id: r.text_hash for r in region_posts}
    report("cluster", 0, len(records))
    clusters = build_clusters(records, key_of, region_overlaps, params)
    stale_ids = None if changes.full else cluster_store.cluster_ids_with_posts(
        db, [r.post_id for r in region_posts] + removed + changed)
    page_of = {r.post_id: r.page_id for r in read.live}
    with db.atomic():
        cluster_store.replace_clusters(db, clusters, run_id=run_id, remove=stale_ids)
        match_store.save_inputs(db, {p: inputs[p] for p in changed}, removed, page_of)
        save_changes(db, changes)
    if run_id is not None:
        cluster_store.snapshot_run(db, run_id)
    report("cluster", len(records), len(records))
    return len(clusters)


def _region(
    db: Database, read: _Read, affected: set[str], changes: Changes, params: MinHashParams
) -> tuple[list[LivePost], dict[tuple[str, str], Overlap]]:
    """The live texts a change reaches (the affected ones and all texts linked
    to them by stored matches), their live posts and the matches among them."""
    if changes.full:  # every live post was read: the region is the whole graph
        live_keys = {r.text_hash for r in read.live}
        overlaps = match_store.load_all(db)
        region = connected_region(affected & live_keys, overlaps)
        among = {k: v for k, v in overlaps.items() if k[0] in region and k[1] in region}
        return [r for r in read.live if r.text_hash in region], among
    seeds = {r.text_hash for r in _live_with(db, affected, params, changes)}
    region, overlaps = match_store.region(db, seeds)
    return _live_with(db, region, params, changes), overlaps


def _fingerprint(r: LivePost, is_own_url: Callable[[str], bool]) -> str:
    """Everything the clusters read from a post, hashed: when it changes, the
    post's part of the graph is rebuilt."""
    facts = [r.text_hash, r.url, r.ordinal, r.words, r.title, r.published, r.links, r.first_seen,
             r.page_published, r.published_hint, r.canonical_link, r.robots_noindex, r.page_posts,
             bool(is_own_url(r.url)), r.permalink]
    # repr of str/int/None/bool is stable and 40% cheaper than json.dumps: this
    # runs for every live post on every run, the bulk of a re-run's cost
    return hashlib.blake2b(repr(facts).encode("utf-8"), digest_size=12).hexdigest()


def _index_owners(
    db: Database, read: _Read, stale: Sequence[LivePost], params: MinHashParams, changes: Changes
) -> tuple[dict[str, int], list[LivePost]]:
    """The index owner of each text the change touches (the one post whose
    `lsh` row stands for it), and the posts to sign: the stale ones, plus one
    post of each text whose owner is gone or changing (its row goes with it),
    wherever that post is."""
    stale_ids = {r.post_id for r in stale}
    lost = {k for p, (k, owned) in read.dropped.items() if owned}
    touched = {r.text_hash for r in read.live} | lost
    owner = {k: p for k, p in sig_store.owners_of(db, touched).items() if p not in stale_ids}
    to_sign = list(stale)
    for r in stale:  # a text being signed anyway: its first post owns it (live posts come in id order)
        owner.setdefault(r.text_hash, r.post_id)
    for r in read.live:
        if r.text_hash not in owner:  # an orphan: signed, but its text's owner was dropped or re-signed
            owner[r.text_hash] = r.post_id
            to_sign.append(r)
    elsewhere = touched - set(owner)  # texts that lost their owner, held only on unchanged pages now
    for r in _live_with(db, elsewhere, params, changes):
        if r.text_hash not in owner:
            owner[r.text_hash] = r.post_id
            to_sign.append(r)
    return owner, to_sign


def _sign(
    db: Database, stale: Sequence[LivePost], owners: set[int], params: MinHashParams, report: Progress
) -> None:
    """Sign `stale` posts and store their state (`lsh` rows for `owners` only)."""
    report("sign", 0, len(stale))
    # copies of one text side by side, so each distinct text is signed once
    stale = sorted(stale, key=lambda r: (r.text_hash, r.post_id))
    for i in range(0, len(stale), SIGN_BATCH):
        batch = stale[i : i + SIGN_BATCH]
        # A post shown whole on its page, its tag archives and the home page
        # is one text: sign each distinct text once.
        first: dict[str, int] = {}
        for r in batch:
            first.setdefault(r.text_hash, r.post_id)
        texts = post_store.texts(db, list(first.values()))
        states = dict(zip(first, signature_states([texts[p] for p in first.values()], params), strict=True))
        out = [_signature_row(r, states[r.text_hash], r.post_id in owners) for r in batch]
        with db.atomic():
            sig_store.save(db, out, replace=[r.post_id for r in batch if r.signed_hash is not None])
        report("sign", min(i + SIGN_BATCH, len(stale)), len(stale))


def _signature_row(r: LivePost, state: SignatureState, indexed: bool) -> sig_store.SignatureRow:
    return sig_store.SignatureRow(post_id=r.post_id, text_hash=r.text_hash,
                                  shingles=state.shingles, band_keys=state.band_keys, samples=state.samples,
                                  indexed=indexed)


def _candidates(db: Database, query: Sequence[int], params: MinHashParams, *, full: bool) -> np.ndarray:
    """Candidate (post, post) pairs among index owners with at least one
    query post: a shared band key, or `min_shared_samples` shared samples.

    One sequential read of the packed index (every row is a live text's
    owner); unless `full` (every owner is a query), only the rows holding one
    of the query posts' keys are kept, so what is sorted follows the change,
    not the corpus. Bands are sorted one at a time, samples a slice at a time."""
    if not query:
        return np.zeros((0, 2), np.int64)
    query_ids = np.array(sorted(query), dtype=np.int64)
    if full:
        ids, keys, hashes, owners = _whole_index(db)
        columns: Iterable[tuple[np.ndarray, np.ndarray]] = ((keys[:, b], ids) for b in range(keys.shape[1]))
    else:
        cols, hashes, owners = _index_rows_sharing(db, _query_keys(db, query), params)
        columns = iter(cols)
    found = [band_candidates(columns, params.max_bucket)]
    del columns
    found.append(sample_candidates(hashes, owners, params.max_bucket, params.min_shared_samples))
    del hashes, owners
    both = np.unique(np.concatenate(found), axis=0)
    if len(both) == 0:
        return both
    return both[np.isin(both[:, 0], query_ids) | np.isin(both[:, 1], query_ids)]


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """The parts end to end; the list is emptied as it goes, so the parts and
    the whole are held together only once."""
    out = np.concatenate(parts) if parts else np.zeros(0, dtype)
    parts.clear()
    return out


def _whole_index(db: Database) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(owner ids, band keys (n, bands), sampled hashes, their owners' ids) of
    every index owner, in compact arrays (ids as int32: SQLite rowids below
    2^31, as bucket_pairs requires)."""
    ids_l: list[np.ndarray] = []
    keys_l: list[np.ndarray] = []
    hashes_l: list[np.ndarray] = []
    owners_l: list[np.ndarray] = []
    for chunk in sig_store.scan_index(db):
        ids32 = chunk.ids.astype(np.int32)
        ids_l.append(ids32)
        keys_l.append(chunk.band_keys)
        hashes_l.append(chunk.samples)
        owners_l.append(np.repeat(ids32, np.diff(chunk.offsets)))
    ids = _joined(ids_l, np.int32)
    keys = np.concatenate(keys_l) if keys_l else np.zeros((0, 0), np.int64)
    keys_l.clear()
    return ids, keys, _joined(hashes_l, np.uint32), _joined(owners_l, np.int32)


def _index_rows_sharing(
    db: Database, wanted: tuple[np.ndarray, np.ndarray], params: MinHashParams
) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """Per band (keys, owner ids) and (sampled hashes, owner ids) of the index
    rows holding one of the `wanted` (band keys, sampled hashes)."""
    band_cols: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(params.bands)]
    hashes: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for chunk in sig_store.scan_index(db):
        keep_b, keep_s = np.isin(chunk.band_keys, wanted[0]), np.isin(chunk.samples, wanted[1])
        for b in range(params.bands):
            sel = keep_b[:, b]
            band_cols[b].append((chunk.band_keys[sel, b], chunk.ids[sel]))
        hashes.append(chunk.samples[keep_s])
        owners.append(np.repeat(chunk.ids, np.diff(chunk.offsets))[keep_s])
    columns = [(np.concatenate([k for k, _ in col]), np.concatenate([i for _, i in col])) for col in band_cols
               if col]
    return columns, _joined(hashes, np.uint32), _joined(owners, np.int64)


def _query_keys(db: Database, query: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(band keys, sampled hashes) of the query posts, unique."""
    bands, samples = [], []
    for chunk in sig_store.scan_index(db, only=query):
        bands.append(chunk.band_keys.ravel())
        samples.append(chunk.samples)
    if not bands:
        return np.zeros(0, np.int64), np.zeros(0, np.uint32)
    return sorted_unique(np.concatenate(bands)), sorted_unique(np.concatenate(samples))


def _verify(
    db: Database, pairs: np.ndarray, key_of_rep: dict[int, str], params: MinHashParams, report: Progress
) -> dict[tuple[str, str], Overlap]:
    """Exact overlaps of candidate pairs, keyed by (text key a, text key b), kept
    when some relation could follow from them."""
    out: dict[tuple[str, str], Overlap] = {}
    report("verify", 0, len(pairs))
    if len(pairs) == 0:
        return out
    # shingle each involved text once, in batches ordered by post id
    needed = np.unique(pairs)
    shingles: dict[int, np.ndarray] = {}
    for i in range(0, len(needed), VERIFY_BATCH):
        chunk = [int(x) for x in needed[i : i + VERIFY_BATCH]]
        texts = post_store.texts(db, chunk)
        h, off = shingle_hashes_batch([texts[p] for p in chunk], params.shingle_size)
        uniq, starts = unique_per_text(h, off)
        for j, p in enumerate(chunk):
            shingles[p] = uniq[starts[j] : starts[j + 1]]
    for n, (a, b) in enumerate(pairs.tolist()):
        ka, kb = key_of_rep[a], key_of_rep[b]
        if ka > kb:
            a, b, ka, kb = b, a, kb, ka
        o = overlap(shingles[a], shingles[b])
        if worth_keeping(o, params):
            out[(ka, kb)] = o
        if n % 10_000 == 0:
            report("verify", n, len(pairs))
    report("verify", len(pairs), len(pairs))
    return out


def _record(r: LivePost, is_own_url: Callable[[str], bool]) -> PostRecord:
    try:
        links = tuple(json.loads(r.links or "[]"))
    except ValueError:
        links = ()
    return PostRecord(
        post_id=r.post_id,
        page_id=r.page_id,
        url=r.url,
        host=r.host,
        text="",  # not needed by the election (it compares `words`); kept out of memory
        title=r.title,
        page_posts=r.page_posts,
        published=r.published or r.page_published or r.published_hint,
        first_seen=r.first_seen,
        canonical_link=r.canonical_link,
        robots_noindex=bool(r.robots_noindex),
        links=tuple(str(x) for x in links),
        own_domain=bool(is_own_url(r.url)),
        ordinal=r.ordinal,
        words=r.words,
        permalink=r.permalink,
    )


__all__ = ["ClusterStats", "update_clusters"]
