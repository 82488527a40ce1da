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

import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sqlite_utils import Database

from dedupe.clusters import build_clusters
from dedupe.lsh import band_keys, bucket_pairs
from dedupe.minhash import sign_hashes, to_lean_bytes
from dedupe.params import DEFAULT_PARAMS, MinHashParams
from dedupe.shingles import shingle_hashes_batch
from dedupe.similarity import Overlap, overlap
from dedupe.types import PostRecord
from store import clusters as cluster_store
from store import signatures as sig_store

Progress = Callable[[str, int, int], None]
SIGN_BATCH = 2_000  # posts signed and written per transaction
VERIFY_BATCH = 2_000  # texts shingled at once during verification


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterStats:
    posts: int  # live posts compared (kind 'post', long enough)
    texts: int  # distinct normalised texts among them
    signed: int  # posts (re)signed in this call
    dropped: int  # posts whose signature state was removed (page gone, post gone or too short)
    candidates: int  # candidate text pairs (bands + shared samples)
    verified: int  # pairs that passed verification
    clusters: int
    copies: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Row:
    post_id: int
    page_id: int
    ordinal: int
    text_hash: str
    words: int
    title: str | None
    published: str | None
    links: str
    url: str
    host: str
    first_seen: str | None
    page_published: str | None
    published_hint: str | None
    canonical_link: str | None
    robots_noindex: int
    signed_hash: str | None
    page_posts: int


_LIVE_POSTS = """
SELECT p.id, p.page_id, p.ordinal, p.text_hash, p.words, p.title, p.published, p.links,
       COALESCE(pg.final_url, pg.url), pg.host, pg.first_seen, pg.published, pg.published_hint,
       pg.canonical_link, pg.robots_noindex, s.text_hash, n.posts
FROM posts p
JOIN pages pg ON pg.id = p.page_id
JOIN (SELECT page_id, count(*) AS posts FROM posts WHERE kind = 'post' GROUP BY page_id) n
  ON n.page_id = p.page_id
LEFT JOIN signatures s ON s.post_id = p.id
WHERE p.kind = 'post' AND pg.status IN (200, 304) AND pg.gone = 0
ORDER BY p.id
"""


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

    Raises store.ParamsMismatch when the database was signed with other
    MinHash parameters. With `run_id`, the resulting copies are also
    snapshotted into `run_copies` for that run.
    """
    t0 = time.perf_counter()
    report = progress or _noop
    sig_store.check_params(db, params.signature_record())
    rows = [_Row(*r) for r in db.execute(_LIVE_POSTS)]
    live = [r for r in rows if r.words >= params.min_post_words]
    with db.atomic():
        dropped = sig_store.drop_except(db, (r.post_id for r in live))
    stale = [r for r in live if r.signed_hash != r.text_hash]
    _sign(db, stale, params, report)

    # one representative post per distinct text
    rep: dict[str, int] = {}
    for r in live:
        rep.setdefault(r.text_hash, r.post_id)
    key_of_rep = {pid: th for th, pid in rep.items()}
    pairs = _candidates(db, list(rep.values()), params)
    overlaps = _verify(db, pairs, key_of_rep, params, report)

    involved = {k for pair in overlaps for k in pair}
    per_text: defaultdict[str, int] = defaultdict(int)
    for r in live:
        per_text[r.text_hash] += 1
    involved.update(k for k, n in per_text.items() if n > 1)
    records = [_record(r, is_own_url) for r in live if r.text_hash in involved]
    key_of = {r.post_id: r.text_hash for r in live}
    report("cluster", 0, len(records))
    clusters = build_clusters(records, key_of, overlaps, params)
    cluster_store.replace_clusters(db, clusters, run_id=run_id)
    if run_id is not None:
        cluster_store.snapshot_run(db, run_id)
    report("cluster", len(records), len(records))
    return ClusterStats(
        posts=len(live),
        texts=len(rep),
        signed=len(stale),
        dropped=dropped,
        candidates=len(pairs),
        verified=len(overlaps),
        clusters=len(clusters),
        copies=sum(len(c.copies) for c in clusters),
        seconds=round(time.perf_counter() - t0, 3),
    )


def _texts(db: Database, post_ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i in range(0, len(post_ids), 500):
        chunk = list(post_ids[i : i + 500])
        marks = ",".join("?" * len(chunk))
        out.update((int(a), b) for a, b in db.execute(f"SELECT id, text FROM posts WHERE id IN ({marks})", chunk))
    return out


def _sign(db: Database, stale: Sequence[_Row], params: MinHashParams, report: Progress) -> None:
    report("sign", 0, len(stale))
    for i in range(0, len(stale), SIGN_BATCH):
        batch = stale[i : i + SIGN_BATCH]
        texts = _texts(db, [r.post_id for r in batch])
        hashes, offsets = shingle_hashes_batch([texts[r.post_id] for r in batch], params.shingle_size)
        sigs = sign_hashes(hashes, offsets, params)
        keys = band_keys(sigs, params)
        out = []
        for j, r in enumerate(batch):
            uniq = np.unique(hashes[offsets[j] : offsets[j + 1]])
            out.append(
                sig_store.SignatureRow(
                    post_id=r.post_id,
                    text_hash=r.text_hash,
                    minhash=to_lean_bytes(sigs[j], params.seed),
                    shingles=len(uniq),
                    band_keys=keys[j],
                    samples=uniq[uniq % np.uint32(params.sample_rate) == 0],
                )
            )
        with db.atomic():
            sig_store.save(db, out)
        report("sign", min(i + SIGN_BATCH, len(stale)), len(stale))


def _candidates(db: Database, reps: Sequence[int], params: MinHashParams) -> np.ndarray:
    """Candidate (post, post) pairs among representatives: a shared band key,
    or at least `min_shared_samples` shared sampled shingles."""
    keys, ids = sig_store.band_rows(db, reps)
    by_band, _ = bucket_pairs(keys, ids, params.max_bucket)
    hashes, ids = sig_store.sample_rows(db, reps)
    by_sample, counts = bucket_pairs(hashes, ids, params.max_bucket)
    by_sample = by_sample[counts >= params.min_shared_samples]
    both = np.concatenate([by_band, by_sample])
    if len(both) == 0:
        return both
    return np.unique(both, axis=0)


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
        texts = _texts(db, chunk)
        h, off = shingle_hashes_batch([texts[p] for p in chunk], params.shingle_size)
        for j, p in enumerate(chunk):
            shingles[p] = np.unique(h[off[j] : off[j + 1]])
    min_shared = max(1, params.excerpt_min_words - params.shingle_size + 1)
    low = min(params.contains_threshold, params.excerpt_min_share)
    for n, (a, b) in enumerate(pairs.tolist()):
        ka, kb = key_of_rep[a], key_of_rep[b]
        if ka > kb:
            a, b, ka, kb = b, a, kb, ka
        o = overlap(shingles[a], shingles[b])
        most = max(o.a_in_b, o.b_in_a)
        if (
            o.jaccard >= params.near_threshold
            or most >= params.contains_threshold
            or (o.shared >= min_shared and most >= low)
        ):
            out[(ka, kb)] = o
        if n % 10_000 == 0:
            report("verify", n, len(pairs))
    report("verify", len(pairs), len(pairs))
    return out


def _record(r: _Row, is_own_url: Callable[[str], bool]) -> PostRecord:
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
    )


__all__ = ["ClusterStats", "update_clusters"]
