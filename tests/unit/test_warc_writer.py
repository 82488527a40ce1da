"""The WARC writer's files, read back by warcio's checker and by our reader."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from copyhound.crawler.types import RecordedExchange
from copyhound.crawler.warc import RevisitIndex, WarcPage, iter_pages
from copyhound.crawler.warc.writer import WarcFileRecorder, warc_files


def _exchange(url: str, body: bytes, *, status: int = 200, not_modified: bool = False) -> RecordedExchange:
    return RecordedExchange(
        url=url, method="GET", request_headers=(("Host", "a.test"), ("User-Agent", "t")),
        status=status, reason="OK" if status == 200 else "Not Modified",
        response_headers=(("Content-Type", "text/html"), ("Content-Length", str(len(body)))),
        body=body, fetched_at="2024-05-01T10:00:00+00:00", not_modified=not_modified,
    )


def test_records_rotate_and_read_back_with_revisits(tmp_path: Path) -> None:
    with WarcFileRecorder(tmp_path, 7, max_size_bytes=600) as rec:
        rec.record(_exchange("http://a.test/one", b"<p>one</p>" * 20))
        rec.record(_exchange("http://a.test/two", b"<p>two</p>"))
        rec.record(_exchange("http://a.test/one", b"", status=304, not_modified=True))
    files = warc_files(tmp_path, 7)
    assert [p.name for p in files] == [f"copyhound-7-0000{i}.warc.gz" for i in (1, 2, 3)]
    for path in files:
        with path.open("rb") as fh:
            types = [r.rec_type for r in ArchiveIterator(fh)]
        assert types[0] == "warcinfo" and set(types[1:]) <= {"request", "response", "revisit"}

    index = RevisitIndex()
    pages = [p for path in files for p in iter_pages(path, revisits=index) if isinstance(p, WarcPage)]
    assert [(p.url, p.body) for p in pages] == [
        ("http://a.test/one", b"<p>one</p>" * 20),
        ("http://a.test/two", b"<p>two</p>"),
        ("http://a.test/one", b"<p>one</p>" * 20),
    ]
    assert pages[2].revisit_of is not None and pages[2].revisit_of.record_id == pages[0].record_id


def test_a_resumed_run_never_appends_to_an_old_file(tmp_path: Path) -> None:
    with WarcFileRecorder(tmp_path, 3) as rec:
        rec.record(_exchange("http://a.test/", b"x"))
    torn = warc_files(tmp_path, 3)[0]
    torn.write_bytes(torn.read_bytes()[:-10])  # what a killed writer may leave
    with WarcFileRecorder(tmp_path, 3) as rec:
        rec.record(_exchange("http://a.test/b", b"y"))
    assert [p.name for p in warc_files(tmp_path, 3)] == ["copyhound-3-00001.warc.gz", "copyhound-3-00002.warc.gz"]
