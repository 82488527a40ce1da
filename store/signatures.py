"""Persisted MinHash state: signatures, LSH band keys, sampled shingle hashes,
and the parameters that made them.

Signatures are stored as datasketch `LeanMinHash.serialize(byteorder="<")`
bytes, so a user can load them into datasketch directly. The parameters are
recorded in `params` (keys prefixed "minhash.") on first use; a database
signed with other parameters is refused with `ParamsMismatch`, never mixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from copyhound.store.errors import ParamsMismatch

_PREFIX = "minhash."


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatureRow:
    post_id: int
    text_hash: str
    minhash: bytes  # LeanMinHash bytes
    shingles: int  # distinct shingles of the text
    band_keys: np.ndarray  # int64 (bands,)
    samples: np.ndarray  # uint32 sampled shingle hashes
    # The index owner of its text: only owners have bands and samples rows
    # (one post per distinct text; the others share its rows).
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


# The indexes of the big tables (as created by migration m001), rebuilt after a bulk load.
_INDEXES = {
    "bands_key": "bands(band_key)",
    "bands_post": "bands(post_id)",
    "samples_hash": "samples(hash)",
    "samples_post": "samples(post_id)",
}


def ensure_indexes(db: Database) -> None:
    """Recreate any index a killed bulk load left missing."""
    for name, target in _INDEXES.items():
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


@contextmanager
def bulk_load(db: Database, *, enabled: bool) -> Iterator[None]:
    """Drop the bands/samples indexes for the duration, rebuild them after."""
    if not enabled:
        yield
        return
    with db.atomic():
        for name in _INDEXES:
            db.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        with db.atomic():
            ensure_indexes(db)


def _temp_ids(db: Database, name: str, ids: Iterable[int]) -> str:
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY)")
    db.execute(f"DELETE FROM temp.{name}")
    db.conn.executemany(f"INSERT OR IGNORE INTO temp.{name}(id) VALUES (?)", ((int(i),) for i in ids))
    return f"temp.{name}"


def index_owners(db: Database) -> dict[str, int]:
    """text hash → the signed post whose bands and samples rows stand for it."""
    return {r[0]: int(r[1]) for r in db.execute("SELECT text_hash, post_id FROM signatures WHERE indexed = 1")}


def signed_hashes(db: Database) -> dict[int, str]:
    """post id → text hash of the stored signature."""
    return {int(r[0]): r[1] for r in db.execute("SELECT post_id, text_hash FROM signatures")}


def drop_except(db: Database, keep: Iterable[int]) -> int:
    """Delete signature state of every post not in `keep`; the number dropped.

    The posts to drop come from `signatures` (one row per post), so the big
    `bands` and `samples` tables are only touched through their post index.
    """
    keep = set(keep)
    gone = [p for p in signed_hashes(db) if p not in keep]
    delete(db, gone)
    return len(gone)


def delete(db: Database, post_ids: Sequence[int]) -> None:
    if not post_ids:
        return
    t = _temp_ids(db, "ch_del", post_ids)
    for table in ("signatures", "bands", "samples"):
        db.execute(f"DELETE FROM {table} WHERE post_id IN (SELECT id FROM {t})")


def save(db: Database, rows: Sequence[SignatureRow], *, replace: Sequence[int] = ()) -> None:
    """Store the signature state of these posts, first deleting the old state
    of the posts in `replace` (caller holds the transaction).

    Rows go in sorted by key: index pages are then filled in order, which
    makes these inserts several times faster on big tables.
    """
    delete(db, replace)
    if not rows:
        return
    db.conn.executemany(
        "INSERT INTO signatures(post_id, text_hash, minhash, shingles, indexed) VALUES (?, ?, ?, ?, ?)",
        [(r.post_id, r.text_hash, r.minhash, r.shingles, int(r.indexed)) for r in rows],
    )
    owners = [r for r in rows if r.indexed]
    if not owners:
        return
    for table, column, values in (("bands", "band_key", [r.band_keys for r in owners]),
                                  ("samples", "hash", [r.samples for r in owners])):
        keys = np.concatenate(values).astype(np.int64)
        ids = np.repeat(np.array([r.post_id for r in owners], dtype=np.int64), [len(v) for v in values])
        order = np.argsort(keys, kind="stable")
        db.conn.executemany(
            f"INSERT INTO {table}({column}, post_id) VALUES (?, ?)",
            zip(keys[order].tolist(), ids[order].tolist(), strict=True),
        )


def rows_sharing(
    db: Database, table: str, keys: np.ndarray, exclude: Iterable[int]
) -> tuple[np.ndarray, np.ndarray]:
    """(key, post id) rows of `table` ("bands" or "samples") whose key is one of
    `keys`, except those of the posts in `exclude`."""
    column = {"bands": "band_key", "samples": "hash"}[table]
    db.execute("CREATE TEMP TABLE IF NOT EXISTS ch_keys (k INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.ch_keys")
    db.conn.executemany("INSERT OR IGNORE INTO temp.ch_keys(k) VALUES (?)",
                        ((k,) for k in np.unique(keys).tolist()))
    t = _temp_ids(db, "ch_excl", exclude)
    return _pairs(
        db,
        f"SELECT x.{column}, x.post_id FROM temp.ch_keys q JOIN {table} x ON x.{column} = q.k "
        f"WHERE x.post_id NOT IN (SELECT id FROM {t})",
    )


def rows_of(db: Database, table: str, post_ids: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """(key, post id) rows of `table` for the given posts."""
    column = {"bands": "band_key", "samples": "hash"}[table]
    t = _temp_ids(db, "ch_rows", post_ids)
    return _pairs(db, f"SELECT x.{column}, x.post_id FROM {table} x JOIN {t} r ON r.id = x.post_id")


def _pairs(db: Database, sql: str) -> tuple[np.ndarray, np.ndarray]:
    cur = db.execute(sql)
    parts: list[np.ndarray] = []
    while batch := cur.fetchmany(100_000):
        parts.append(np.array(batch, dtype=np.int64))
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows = np.concatenate(parts)
    return rows[:, 0], rows[:, 1]


def shingle_counts(db: Database, post_ids: Iterable[int]) -> dict[int, int]:
    t = _temp_ids(db, "ch_rows", post_ids)
    return {int(a): int(b) for a, b in db.execute(
        f"SELECT s.post_id, s.shingles FROM signatures s JOIN {t} r ON r.id = s.post_id")}


def load_minhash(db: Database, post_id: int) -> bytes | None:
    row = db.execute("SELECT minhash FROM signatures WHERE post_id = ?", [post_id]).fetchone()
    return bytes(row[0]) if row else None


__all__ = [
    "SignatureRow",
    "bulk_load",
    "check_params",
    "delete",
    "drop_except",
    "ensure_indexes",
    "index_owners",
    "load_minhash",
    "rows_of",
    "rows_sharing",
    "save",
    "shingle_counts",
    "signed_hashes",
]
