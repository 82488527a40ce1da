"""An ingest that fails part-way: the interrupted run counts the pages it kept
(a failed page rolls its whole commit group back), and the same command then
stores the rest."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from support.hunt_warc import page, words, write_warc

import copyhound.stages.page_sink as page_sink
from copyhound.commands.ingest import IngestOptions, run_ingest
from copyhound.store import open_db

pytestmark = pytest.mark.unit


def test_a_failed_page_leaves_counts_that_match_what_was_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    warc = tmp_path / "a.warc.gz"
    write_warc(warc, [(f"http://a.test/{i}/", page(f"P{i}", words(rng, 120)), "200 OK") for i in range(12)])
    db_path = tmp_path / "a.db"
    real_save, calls = page_sink.save_fetch, {"n": 0}

    def failing_save(*args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 10:  # groups of 1, 2, 4, then 8: pages 8-9 are in the open group
            raise OSError("disk went away")
        return real_save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(page_sink, "save_fetch", failing_save)
    opts = IngestOptions(patterns=(str(warc),), db_path=str(db_path), quiet=True)
    with pytest.raises(OSError):
        run_ingest(opts)
    db = open_db(db_path)
    state, stats = db.execute("SELECT state, stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    kept = db.execute("SELECT count(*) FROM warc_records").fetchone()[0]
    assert state == "interrupted" and json.loads(stats)["ingest"]["stored"] == kept
    assert kept == db.execute("SELECT count(*) FROM pages").fetchone()[0] < 9
    db.conn.close()
    monkeypatch.setattr(page_sink, "save_fetch", real_save)
    counts = run_ingest(opts)
    assert counts.stored + counts.skipped_stored == 12
    assert open_db(db_path).execute("SELECT count(*) FROM pages").fetchone()[0] == 12
