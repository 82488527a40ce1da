"""store.signatures and store.matches on a real SQLite file: what is saved
comes back, deletes reach every table, parameters are never mixed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlite_utils import Database
from support.clustering import add_page, new_db

from copyhound.dedupe.match.similarity import Overlap
from copyhound.store import matches, signatures
from copyhound.store.errors import ParamsMismatch, StoreError
from copyhound.store.signatures import SignatureRow


def _posts(db: Database, n: int) -> list[int]:
    """n posts (FK targets of the signature tables); their ids."""
    for i in range(n):
        add_page(db, f"http://h.test/{i}", [f"text number {i}"])
    return [int(r[0]) for r in db.execute("SELECT id FROM posts ORDER BY id")]


def _row(pid: int, text_hash: str, bands: list[int], samples: list[int], *, indexed: bool = True) -> SignatureRow:
    return SignatureRow(post_id=pid, text_hash=text_hash, shingles=10 * pid,
                        band_keys=np.array(bands, dtype=np.int64), samples=np.array(samples, dtype=np.uint32),
                        indexed=indexed)


def _count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    return new_db(tmp_path)


def test_params_are_recorded_once_and_a_mismatch_is_refused(db: Database) -> None:
    signatures.check_params(db, {"perms": "128", "seed": "1"})
    signatures.check_params(db, {"perms": "128", "seed": "1"})  # the same: accepted
    with pytest.raises(ParamsMismatch, match=r"perms=128.*perms=256") as err:
        signatures.check_params(db, {"perms": "256", "seed": "1"})
    assert isinstance(err.value, StoreError) and "new --db" in str(err.value)
    assert dict(db.execute("SELECT key, value FROM params WHERE key LIKE 'minhash.%'").fetchall()) == {
        "minhash.perms": "128", "minhash.seed": "1"}


def test_saved_rows_come_back(db: Database) -> None:
    a, b, c = _posts(db, 3)
    with db.atomic():
        signatures.save(db, [_row(a, "ha", [30, 10], [7, 5]), _row(b, "hb", [10, 20], [5]),
                             _row(c, "ha", [], [], indexed=False)])  # c shares a's text: no index rows
    assert signatures.signed_hashes(db) == {a: "ha", b: "hb", c: "ha"}
    assert signatures.index_owners(db) == {"ha": a, "hb": b}
    assert signatures.shingle_counts(db, [a, c]) == {a: 10 * a, c: 10 * c}
    (chunk,) = list(signatures.scan_index(db, only=[a]))
    assert chunk.ids.tolist() == [a] and chunk.band_keys.tolist() == [[30, 10]] and chunk.samples.tolist() == [7, 5]
    assert _count(db, "lsh") == 2  # the owners a and b


def _index(db: Database, rows: int = 20_000) -> dict[int, tuple[list[int], list[int]]]:
    out = {}
    for chunk in signatures.scan_index(db, rows=rows):
        assert chunk.ids.dtype == np.int64 and chunk.samples.dtype == np.uint32
        for j, pid in enumerate(chunk.ids.tolist()):
            out[pid] = (chunk.band_keys[j].tolist(),
                        chunk.samples[chunk.offsets[j] : chunk.offsets[j + 1]].tolist())
    return out


def test_scan_index_reads_every_owner_in_order_across_chunks(db: Database) -> None:
    a, b, c = _posts(db, 3)
    with db.atomic():
        signatures.save(db, [_row(c, "hc", [4, 5], []), _row(a, "ha", [1, 2], [9, 2**32 - 8]),
                             _row(b, "hb", [2, -3], [9])])
    want = {a: ([1, 2], [9, 2**32 - 8]), b: ([2, -3], [9]), c: ([4, 5], [])}
    assert _index(db) == want
    assert _index(db, rows=2) == want  # chunk borders change nothing
    assert [ch.ids.tolist() for ch in signatures.scan_index(db, rows=2)] == [[a, b], [c]]
    assert list(signatures.scan_index(db, only=[])) == []


def test_replace_delete_and_drop_except_clear_every_table(db: Database) -> None:
    a, b, c = _posts(db, 3)
    with db.atomic():
        signatures.save(db, [_row(a, "ha", [1], [1]), _row(b, "hb", [2], [2]), _row(c, "hc", [3], [3])])
        signatures.save(db, [_row(a, "ha2", [5], [5, 13])], replace=[a])  # re-signed text
    assert signatures.signed_hashes(db)[a] == "ha2"
    assert _index(db)[a] == ([5], [5, 13])
    with db.atomic():
        signatures.delete(db, [b])
    assert b not in signatures.signed_hashes(db) and b not in _index(db)
    with db.atomic():
        assert signatures.drop_except(db, keep=[a]) == 1  # c
    assert signatures.signed_hashes(db) == {a: "ha2"}
    assert list(_index(db)) == [a] and _count(db, "lsh") == 1


def test_matches_round_trip_and_removal_names_the_neighbours(db: Database) -> None:
    ab, ac = Overlap(jaccard=0.9, a_in_b=0.95, b_in_a=0.9, shared=120), Overlap(jaccard=0.5, a_in_b=1.0,
                                                                                 b_in_a=0.5, shared=60)
    with db.atomic():
        matches.save(db, {("a", "b"): ab, ("a", "c"): ac, ("d", "e"): ab})
        matches.save(db, {("a", "b"): ac})  # the same pair again: replaced, not doubled
    assert matches.load_all(db) == {("a", "b"): ac, ("a", "c"): ac, ("d", "e"): ab}
    with db.atomic():
        assert matches.remove_texts(db, ["a"]) == {"b", "c"}
    assert matches.load_all(db) == {("d", "e"): ab}
    with db.atomic():
        assert matches.remove_texts(db, []) == set()


def test_cluster_inputs_save_replace_and_remove(db: Database) -> None:
    with db.atomic():
        matches.save_inputs(db, {1: ("ka", "f1"), 2: ("kb", "f2")}, removed=[])
        matches.save_inputs(db, {2: ("kb", "f3")}, removed=[1])
    assert matches.load_inputs(db) == {2: ("kb", "f3")}


def test_changed_match_thresholds_forget_matches_and_inputs(db: Database) -> None:
    with db.atomic():
        matches.save(db, {("a", "b"): Overlap(jaccard=0.9, a_in_b=0.9, b_in_a=0.9, shared=10)})
        matches.save_inputs(db, {1: ("a", "f")}, removed=[])
    assert matches.reset_if_changed(db, {"threshold": "0.7"}) is False  # first record: nothing was stored
    assert matches.load_all(db) == {}  # ... but rows from an unknown setting are not trusted
    with db.atomic():
        matches.save(db, {("a", "b"): Overlap(jaccard=0.9, a_in_b=0.9, b_in_a=0.9, shared=10)})
        matches.save_inputs(db, {1: ("a", "f")}, removed=[])
    assert matches.reset_if_changed(db, {"threshold": "0.7"}) is False  # unchanged: kept
    assert len(matches.load_all(db)) == 1 and matches.load_inputs(db)
    assert matches.reset_if_changed(db, {"threshold": "0.8"}) is True
    assert matches.load_all(db) == {} and matches.load_inputs(db) == {}
    assert db.execute("SELECT value FROM params WHERE key = 'match.threshold'").fetchone()[0] == "0.8"
