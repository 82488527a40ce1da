"""Bad archives on the command line (issue 12): one line per problem naming the
file and offset, the rest still read, nothing stored twice, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from copyhound.crawler.warc import WarcPage, iter_pages
from tests.conftest import run_cli
from tests.e2e.warc_corpus import write_corpus

pytestmark = pytest.mark.e2e


def test_ingest_reads_past_bad_files_and_records(tmp_path: Path) -> None:
    good, torn, text = tmp_path / "good.warc.gz", tmp_path / "torn.warc.gz", tmp_path / "notes.txt"
    write_corpus(good, posts=30)
    write_corpus(torn, posts=30, seed=9)
    offsets = [p.offset for p in iter_pages(torn) if isinstance(p, WarcPage)]
    data = torn.read_bytes()
    torn.write_bytes(data[: offsets[5] + 50] + data[offsets[6] :])  # record 5 loses its tail
    text.write_text("not an archive\n" * 100)
    db = tmp_path / "bad.db"
    args = ("ingest", str(good), str(torn), str(text), str(tmp_path / "missing-*.warc.gz"), "--db", str(db))
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    lines = [ln for ln in first.stderr.splitlines() if ln.startswith("copyhound: ")]
    assert f"copyhound: {torn}: offset {offsets[5]}: " in "\n".join(lines)
    assert f"copyhound: {text}: offset 0: not a WARC or ARC file" in "\n".join(lines)
    assert any("missing-*.warc.gz: no such file" in ln for ln in lines)
    assert len(lines) == 3, lines
    records, pages = _count(db, "warc_records"), _count(db, "pages")
    assert records == 40 + 39  # 30 posts + 10 copies per file; the torn file loses one record
    assert pages == 40  # the two files capture the same URLs
    again = run_cli(*args)
    assert again.returncode == 0 and f"{records} already stored" in again.stderr
    assert (_count(db, "warc_records"), _count(db, "pages")) == (records, pages)


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
