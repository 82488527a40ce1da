"""Incremental dedupe state: verified overlaps between texts, and what each
post last brought to the clusters.

`matches` holds one row per verified pair of distinct normalised texts (keys
are posts.text_hash, a < b): an overlap depends on the two texts only, so it
is computed once and kept while both texts live. `cluster_inputs` holds a
fingerprint per post of everything the clusters read from it; a post whose
fingerprint changed (or that vanished) marks its part of the graph for
rebuilding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlite_utils import Database

from copyhound.dedupe.match.similarity import Overlap
from copyhound.store.sql import chunks, marks

_MATCH_PREFIX = "match."


def reset_if_changed(db: Database, record: Mapping[str, str]) -> bool:
    """Forget stored matches and inputs when the matching thresholds changed
    (stored overlaps were filtered with the old ones); True when it did.
    Unlike signature parameters, these only cost a recomputation."""
    stored = {
        k[len(_MATCH_PREFIX) :]: v
        for k, v in db.execute("SELECT key, value FROM params WHERE key LIKE ?", [_MATCH_PREFIX + "%"])
    }
    if stored == dict(record):
        return False
    with db.atomic():
        db.execute("DELETE FROM matches")
        db.execute("DELETE FROM cluster_inputs")
        db.execute("DELETE FROM params WHERE key LIKE ?", [_MATCH_PREFIX + "%"])
        db.conn.executemany("INSERT INTO params(key, value) VALUES (?, ?)",
                            [(_MATCH_PREFIX + k, v) for k, v in record.items()])
    return bool(stored)


def load_all(db: Database) -> dict[tuple[str, str], Overlap]:
    return {
        (a, b): Overlap(jaccard=j, a_in_b=ab, b_in_a=ba, shared=n)
        for a, b, j, ab, ba, n in db.execute("SELECT a_key, b_key, jaccard, a_in_b, b_in_a, shared FROM matches")
    }


def save(db: Database, overlaps: Mapping[tuple[str, str], Overlap]) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO matches(a_key, b_key, jaccard, a_in_b, b_in_a, shared) VALUES (?, ?, ?, ?, ?, ?)",
        [(a, b, o.jaccard, o.a_in_b, o.b_in_a, o.shared) for (a, b), o in overlaps.items()],
    )


def remove_texts(db: Database, keys: Iterable[str]) -> set[str]:
    """Delete the matches of these texts; returns the texts they were matched with."""
    keys = list(keys)
    neighbours: set[str] = set()
    for chunk in chunks(keys, 400):  # each key is sent twice: 800 parameters
        where = f"a_key IN ({marks(len(chunk))}) OR b_key IN ({marks(len(chunk))})"
        for a, b in db.execute(f"SELECT a_key, b_key FROM matches WHERE {where}", chunk + chunk):
            neighbours.update((a, b))
        db.execute(f"DELETE FROM matches WHERE {where}", chunk + chunk)
    return neighbours - set(keys)


def load_inputs(db: Database) -> dict[int, tuple[str, str]]:
    """post id → (text key, fingerprint) as of the last clustering."""
    return {int(p): (k, f) for p, k, f in db.execute("SELECT post_id, text_key, fingerprint FROM cluster_inputs")}


def save_inputs(db: Database, rows: Mapping[int, tuple[str, str]], removed: Iterable[int]) -> None:
    gone = [(int(p),) for p in removed]
    db.conn.executemany("DELETE FROM cluster_inputs WHERE post_id = ?", gone)
    db.conn.executemany(
        "INSERT OR REPLACE INTO cluster_inputs(post_id, text_key, fingerprint) VALUES (?, ?, ?)",
        [(p, k, f) for p, (k, f) in rows.items()],
    )


__all__ = ["load_all", "load_inputs", "remove_texts", "reset_if_changed", "save", "save_inputs"]
