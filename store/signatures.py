"""Persisted MinHash state: what each post was signed from, LSH band keys,
sampled shingle hashes, and the parameters that made them.

The MinHash values themselves are not kept (m010): matching reads only the
band keys and samples, and they cost ~10% of a big database. The parameters are
recorded in `params` (keys prefixed "minhash.") on first use; a database
signed with other parameters is refused with `ParamsMismatch`, never mixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from copyhound.store.errors import ParamsMismatch
from copyhound.store.temp_sets import temp_ints, temp_texts

_PREFIX = "minhash."
SCAN_ROWS = 20_000  # index owners read per fetch by scan_index (~10 MB)


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatureRow:
    post_id: int
    text_hash: str
    shingles: int  # distinct shingles of the text
    band_keys: np.ndarray  # int64 (bands,)
    samples: np.ndarray  # uint32 sampled shingle hashes
    # The index owner of its text: only owners have an `lsh` row (one post
    # per distinct text; the others share it).
    indexed: bool = True


def check_params(db: Database, record: Mapping[str, str]) -> None:
    """Record `record` as the database's MinHash parameters, or raise
    ParamsMismatch when it was signed with different ones."""
    stored = {
        k[len(_PREFIX) :]: v
        for k, v in db.execute("SELECT key, value FROM params WHERE key LIKE ?", [_PREFIX + "%"])
    }
    if not stored:
        with db.atomic():
            db.conn.executemany(
                "INSERT OR REPLACE INTO params(key, value) VALUES (?, ?)",
                [(_PREFIX + k, v) for k, v in record.items()],
            )
        return
    diff = [k for k in record if stored.get(k) != record[k]]
    if diff:
        have = ", ".join(f"{k}={stored.get(k)}" for k in diff)
        want = ", ".join(f"{k}={record[k]}" for k in diff)
        raise ParamsMismatch(
            f"this database was signed with MinHash parameters {have}, but this copyhound uses {want}: "
            "its signatures are incomparable; crawl into a new --db"
        )


def index_owners(db: Database) -> dict[str, int]:
    """text hash → the signed post whose `lsh` row stands for it."""
    return {r[0]: int(r[1]) for r in db.execute("SELECT text_hash, post_id FROM signatures WHERE indexed = 1")}


def on_pages(db: Database, pages: Iterable[int] | None) -> dict[int, tuple[str, bool]]:
    """post id → (signed text hash, index owner?) of the signed posts on
    `pages` (every signed post for None)."""
    if pages is None:
        sql = "SELECT post_id, text_hash, indexed FROM signatures"
    else:
        t = temp_ints(db, "ch_sig_pages", pages)
        sql = (f"SELECT s.post_id, s.text_hash, s.indexed FROM {t} g CROSS JOIN posts p ON p.page_id = g.id "
               "JOIN signatures s ON s.post_id = p.id")
    return {int(p): (k, bool(i)) for p, k, i in db.execute(sql)}


def owners_of(db: Database, keys: Iterable[str]) -> dict[str, int]:
    """text hash → its index owner, for these texts, found through the
    posts holding them now (an owner whose post changed text is not one)."""
    t = temp_texts(db, "ch_owner_keys", keys)
    sql = (f"SELECT s.text_hash, s.post_id FROM {t} k CROSS JOIN posts p ON p.text_hash = k.key "
           "JOIN signatures s ON s.post_id = p.id AND s.text_hash = k.key WHERE s.indexed = 1")
    return {k: int(p) for k, p in db.execute(sql)}


def text_keys(db: Database, post_ids: Iterable[int]) -> dict[int, str]:
    """post id → text hash of its stored signature."""
    t = temp_ints(db, "ch_sig_keys", post_ids)
    return {int(p): k for p, k in db.execute(f"SELECT s.post_id, s.text_hash FROM {t} r CROSS JOIN signatures s "
                                             "ON s.post_id = r.id")}


def signed_hashes(db: Database) -> dict[int, str]:
    """post id → text hash of the stored signature."""
    return {int(r[0]): r[1] for r in db.execute("SELECT post_id, text_hash FROM signatures")}


def drop_except(db: Database, keep: Iterable[int]) -> int:
    """Delete signature state of every post not in `keep`; the number dropped.

    The posts to drop come from `signatures` (one row per post); both tables
    are keyed by post id.
    """
    keep = set(keep)
    gone = [p for p in signed_hashes(db) if p not in keep]
    delete(db, gone)
    return len(gone)


def delete(db: Database, post_ids: Sequence[int]) -> None:
    if not post_ids:
        return
    t = temp_ints(db, "ch_del", post_ids)
    for table in ("signatures", "lsh"):
        db.execute(f"DELETE FROM {table} WHERE post_id IN (SELECT id FROM {t})")


def save(db: Database, rows: Sequence[SignatureRow], *, replace: Sequence[int] = ()) -> None:
    """Store the signature state of these posts, first deleting the old state
    of the posts in `replace` (caller holds the transaction).

    Index owners get one `lsh` row: their band keys and samples, packed.
    """
    delete(db, replace)
    if not rows:
        return
    db.conn.executemany(
        "INSERT INTO signatures(post_id, text_hash, shingles, indexed) VALUES (?, ?, ?, ?)",
        [(r.post_id, r.text_hash, r.shingles, int(r.indexed)) for r in rows],
    )
    db.conn.executemany(
        "INSERT OR REPLACE INTO lsh(post_id, band_keys, samples) VALUES (?, ?, ?)",
        [(r.post_id, np.asarray(r.band_keys, "<i8").tobytes(), np.asarray(r.samples, "<u4").tobytes())
         for r in rows if r.indexed],
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexChunk:
    """The LSH state of consecutive index owners, packed."""

    ids: np.ndarray  # int64 (n,) post ids, ascending
    band_keys: np.ndarray  # int64 (n, bands)
    samples: np.ndarray  # uint32, every owner's sampled hashes end to end
    offsets: np.ndarray  # int64 (n + 1,): owner i's samples are samples[offsets[i]:offsets[i + 1]]


def scan_index(db: Database, *, only: Iterable[int] | None = None, rows: int = SCAN_ROWS) -> Iterator[IndexChunk]:
    """Every index owner's band keys and samples (or those of the owners in
    `only`), `rows` owners at a time, in post id order: one sequential read
    of the `lsh` table."""
    sql = "SELECT x.post_id, x.band_keys, x.samples FROM lsh x"
    if only is not None:
        sql += f" JOIN {temp_ints(db, 'ch_only', only)} q ON q.id = x.post_id"
    cur = db.execute(sql + " ORDER BY x.post_id")
    while batch := cur.fetchmany(rows):
        ids = np.fromiter((r[0] for r in batch), np.int64, len(batch))
        keys = np.frombuffer(b"".join(r[1] for r in batch), "<i8").astype(np.int64).reshape(len(batch), -1)
        lengths = np.fromiter((len(r[2]) // 4 for r in batch), np.int64, len(batch))
        samples = np.frombuffer(b"".join(r[2] for r in batch), "<u4").astype(np.uint32)
        yield IndexChunk(ids=ids, band_keys=keys, samples=samples,
                         offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64))


def shingle_counts(db: Database, post_ids: Iterable[int]) -> dict[int, int]:
    t = temp_ints(db, "ch_rows", post_ids)
    return {int(a): int(b) for a, b in db.execute(
        f"SELECT s.post_id, s.shingles FROM signatures s JOIN {t} r ON r.id = s.post_id")}


__all__ = [
    "IndexChunk",
    "SignatureRow",
    "check_params",
    "delete",
    "drop_except",
    "index_owners",
    "on_pages",
    "owners_of",
    "save",
    "scan_index",
    "shingle_counts",
    "signed_hashes",
    "text_keys",
]
