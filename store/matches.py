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
from copyhound.store.temp_sets import temp_ints, temp_texts

_MATCH_PREFIX = "match."
_STATE_PREFIX = "dedupe."


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
    return inputs_on_pages(db, None)


def inputs_on_pages(db: Database, pages: Iterable[int] | None) -> dict[int, tuple[str, str]]:
    """post id → (text key, fingerprint) of the posts last clustered on
    `pages` (posts deleted since included), or of every post for None."""
    sql = "SELECT post_id, text_key, fingerprint FROM cluster_inputs"
    if pages is not None:
        sql = ("SELECT c.post_id, c.text_key, c.fingerprint FROM "
               f"{temp_ints(db, 'ch_input_pages', pages)} t CROSS JOIN cluster_inputs c ON c.page_id = t.id")
    return {int(p): (k, f) for p, k, f in db.execute(sql)}


def save_inputs(
    db: Database, rows: Mapping[int, tuple[str, str]], removed: Iterable[int], pages: Mapping[int, int] | None = None
) -> None:
    """Store each post's (text key, fingerprint) and its page (`pages`), and
    forget the posts in `removed`."""
    gone = [(int(p),) for p in removed]
    db.conn.executemany("DELETE FROM cluster_inputs WHERE post_id = ?", gone)
    page_of = pages or {}
    db.conn.executemany(
        "INSERT OR REPLACE INTO cluster_inputs(post_id, text_key, fingerprint, page_id) VALUES (?, ?, ?, ?)",
        [(p, k, f, page_of.get(p)) for p, (k, f) in rows.items()],
    )


def any_inputs(db: Database) -> bool:
    """Has anything been clustered (and not reset) in this database?"""
    return db.execute("SELECT 1 FROM cluster_inputs LIMIT 1").fetchone() is not None


def input_totals(db: Database) -> tuple[int, int]:
    """(posts, distinct texts) the last clustering read: every live post, and
    its texts (one index owner each)."""
    row = db.execute("SELECT count(*), (SELECT count(*) FROM signatures WHERE indexed = 1) "
                     "FROM cluster_inputs").fetchone()
    return int(row[0]), int(row[1])


def known_texts(db: Database, keys: Iterable[str]) -> set[str]:
    """The texts among `keys` that a post holding them now brought to the last
    clustering (through posts_text_hash and cluster_inputs' key: no index on
    text keys). A text whose last holders changed or left is not found here:
    their rows are on the changed pages, which the caller has read."""
    t = temp_texts(db, "ch_known", keys)
    sql = (f"SELECT DISTINCT t.key FROM {t} t CROSS JOIN posts p ON p.text_hash = t.key "
           "JOIN cluster_inputs c ON c.post_id = p.id AND c.text_key = t.key")
    return {k for (k,) in db.execute(sql)}


def dirty_pages(db: Database) -> list[int]:
    """Pages whose posts changed since the last dedupe run (m010's triggers)."""
    return [int(r[0]) for r in db.execute("SELECT page_id FROM dedupe_dirty")]


def clear_dirty(db: Database, pages: Iterable[int] | None) -> None:
    """Forget these pages' marks (every mark for None): the run saw them."""
    if pages is None:
        db.execute("DELETE FROM dedupe_dirty")
    else:
        db.execute(f"DELETE FROM dedupe_dirty WHERE page_id IN (SELECT id FROM {temp_ints(db, 'ch_seen', pages)})")


def region(db: Database, keys: Iterable[str]) -> tuple[set[str], dict[tuple[str, str], Overlap]]:
    """The texts connected to `keys` through stored matches, and the matches
    among them: the part of the graph a change reaches, read by its edges
    (matches_b and the primary key) instead of the whole table."""
    seen = set(keys)
    edges: dict[tuple[str, str], Overlap] = {}
    frontier = sorted(seen)
    while frontier:  # bounded: each text enters the frontier once
        t = temp_texts(db, "ch_frontier", frontier)
        found: set[str] = set()
        for a, b, j, ab, ba, n in db.execute(
            f"SELECT a_key, b_key, jaccard, a_in_b, b_in_a, shared FROM {t} t CROSS JOIN matches m ON m.a_key = t.key "
            f"UNION SELECT a_key, b_key, jaccard, a_in_b, b_in_a, shared FROM {t} t CROSS JOIN matches m "
            "ON m.b_key = t.key"
        ):
            edges[(a, b)] = Overlap(jaccard=j, a_in_b=ab, b_in_a=ba, shared=n)
            found.update((a, b))
        frontier = sorted(found - seen)
        seen |= found
    return seen, edges


def get_state(db: Database, name: str) -> str | None:
    """A value the dedupe stage keeps between runs (`params` key dedupe.<name>)."""
    row = db.execute("SELECT value FROM params WHERE key = ?", [_STATE_PREFIX + name]).fetchone()
    return None if row is None else str(row[0])


def set_state(db: Database, name: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO params(key, value) VALUES (?, ?)", [_STATE_PREFIX + name, value])


__all__ = [
    "any_inputs",
    "clear_dirty",
    "dirty_pages",
    "get_state",
    "input_totals",
    "inputs_on_pages",
    "known_texts",
    "load_all",
    "load_inputs",
    "region",
    "remove_texts",
    "reset_if_changed",
    "save",
    "save_inputs",
    "set_state",
]
