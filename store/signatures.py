"""Persisted MinHash state: signatures, LSH band keys, sampled shingle hashes,
and the parameters that made them.

Signatures are stored as datasketch `LeanMinHash.serialize(byteorder="<")`
bytes, so a user can load them into datasketch directly. The parameters are
recorded in `params` (keys prefixed "minhash.") on first use; a database
signed with other parameters is refused with `ParamsMismatch`, never mixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from .errors import ParamsMismatch

_PREFIX = "minhash."


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatureRow:
    post_id: int
    text_hash: str
    minhash: bytes  # LeanMinHash bytes
    shingles: int  # distinct shingles of the text
    band_keys: np.ndarray  # int64 (bands,)
    samples: np.ndarray  # uint32 sampled shingle hashes


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


def _temp_ids(db: Database, name: str, ids: Iterable[int]) -> str:
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY)")
    db.execute(f"DELETE FROM temp.{name}")
    db.conn.executemany(f"INSERT OR IGNORE INTO temp.{name}(id) VALUES (?)", ((int(i),) for i in ids))
    return f"temp.{name}"


def signed_hashes(db: Database) -> dict[int, str]:
    """post id → text hash of the stored signature."""
    return {int(r[0]): r[1] for r in db.execute("SELECT post_id, text_hash FROM signatures")}


def drop_except(db: Database, keep: Iterable[int]) -> int:
    """Delete signature state of every post not in `keep`; the number dropped."""
    t = _temp_ids(db, "ch_keep", keep)
    n = db.execute(f"SELECT count(*) FROM signatures WHERE post_id NOT IN (SELECT id FROM {t})").fetchone()[0]
    for table in ("signatures", "bands", "samples"):
        db.execute(f"DELETE FROM {table} WHERE post_id NOT IN (SELECT id FROM {t})")
    return int(n)


def save(db: Database, rows: Sequence[SignatureRow]) -> None:
    """Replace the signature state of these posts (caller holds the transaction)."""
    if not rows:
        return
    t = _temp_ids(db, "ch_save", (r.post_id for r in rows))
    for table in ("signatures", "bands", "samples"):
        db.execute(f"DELETE FROM {table} WHERE post_id IN (SELECT id FROM {t})")
    db.conn.executemany(
        "INSERT INTO signatures(post_id, text_hash, minhash, shingles) VALUES (?, ?, ?, ?)",
        [(r.post_id, r.text_hash, r.minhash, r.shingles) for r in rows],
    )
    db.conn.executemany(
        "INSERT INTO bands(band_key, post_id) VALUES (?, ?)",
        ((int(k), r.post_id) for r in rows for k in r.band_keys.tolist()),
    )
    db.conn.executemany(
        "INSERT INTO samples(hash, post_id) VALUES (?, ?)",
        ((int(h), r.post_id) for r in rows for h in r.samples.tolist()),
    )


def _pairs(db: Database, sql: str) -> tuple[np.ndarray, np.ndarray]:
    cur = db.execute(sql)
    keys: list[int] = []
    ids: list[int] = []
    while batch := cur.fetchmany(100_000):
        k, i = zip(*batch, strict=True)
        keys.extend(k)
        ids.extend(i)
    return np.array(keys, dtype=np.int64), np.array(ids, dtype=np.int64)


def band_rows_sharing(db: Database, query_ids: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """(band key, post id) rows of every post sharing a band key with a query post."""
    t = _temp_ids(db, "ch_query", query_ids)
    return _pairs(
        db,
        f"SELECT b.band_key, b.post_id FROM bands b WHERE b.band_key IN "
        f"(SELECT q.band_key FROM bands q JOIN {t} r ON r.id = q.post_id)",
    )


def sample_rows_sharing(db: Database, query_ids: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """(sampled hash, post id) rows of every post sharing a sampled hash with a query post."""
    t = _temp_ids(db, "ch_query", query_ids)
    return _pairs(
        db,
        f"SELECT s.hash, s.post_id FROM samples s WHERE s.hash IN "
        f"(SELECT q.hash FROM samples q JOIN {t} r ON r.id = q.post_id)",
    )


def shingle_counts(db: Database, post_ids: Iterable[int]) -> dict[int, int]:
    t = _temp_ids(db, "ch_rows", post_ids)
    return {int(a): int(b) for a, b in db.execute(
        f"SELECT s.post_id, s.shingles FROM signatures s JOIN {t} r ON r.id = s.post_id")}


def load_minhash(db: Database, post_id: int) -> bytes | None:
    row = db.execute("SELECT minhash FROM signatures WHERE post_id = ?", [post_id]).fetchone()
    return bytes(row[0]) if row else None


__all__ = [
    "SignatureRow",
    "band_rows_sharing",
    "check_params",
    "drop_except",
    "load_minhash",
    "sample_rows_sharing",
    "save",
    "shingle_counts",
    "signed_hashes",
]
