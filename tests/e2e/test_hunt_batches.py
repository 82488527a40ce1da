"""`copyhound hunt` reads records in groups (the batched pre-filter and
verification): what it stores and counts must be what one record at a time
gave, across group bounds, with a page captured twice in one group."""

from __future__ import annotations

import io
import json
import random
import sqlite3
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import run_cli

pytestmark = pytest.mark.e2e

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _words(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choice(_LETTERS) for _ in range(rng.randint(3, 8))) for _ in range(n))


def _page(title: str, text: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1><p>{text}</p></article><footer>Footer</footer></body></html>").encode()


def _warc(path: Path, records: list[tuple[str, bytes]]) -> None:
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True, warc_version="1.1")
        for url, body in records:
            head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=head))


def test_hunt_over_groups_stores_and_counts_as_one_record_at_a_time(tmp_path: Path) -> None:
    rng = random.Random(4)
    own = [_words(rng, 200) for _ in range(3)]
    _warc(tmp_path / "own.warc.gz", [(f"http://own.test/post-{i}/", _page(f"Own {i}", t)) for i, t in enumerate(own)])
    db = tmp_path / "site.db"
    run_cli("ingest", str(tmp_path / "own.warc.gz"), "--db", str(db), "--own-domain", "own.test", "--quiet",
            check=True)
    corpus = [(f"http://web.test/{i}", _page(f"Page {i}", _words(rng, 250))) for i in range(150)]
    corpus[10] = ("http://copy.test/a", _page("Copied", own[0]))
    corpus[20] = ("http://copy.test/a", _page("Copied again", own[0]))  # same page, same group: a capture of it
    corpus[30] = ("http://own.test/post-1/", _page("Own 1", own[1]))  # the own page itself
    corpus[70] = ("http://copy.test/b", _page("Copied", own[2]))  # in the second group
    corpus[140] = ("http://copy.test/b", _page("Copied, once more", own[2]))  # a later group of records
    _warc(tmp_path / "corpus.warc.gz", corpus)
    hunt = run_cli("hunt", str(tmp_path / "corpus.warc.gz"), "--db", str(db), check=True)
    assert "hunt: 150 records" in hunt.stderr and "2 copies stored" in hunt.stderr
    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
        pages = {r[0] for r in conn.execute("SELECT url FROM pages")}
    assert stats["hunt"] == {"records": 150, "own_captures": 3, "prefiltered": 145, "extracted": 2, "stored": 2,
                             "problems": 0}
    assert pages == {f"http://own.test/post-{i}/" for i in range(3)} | {"http://copy.test/a", "http://copy.test/b"}
