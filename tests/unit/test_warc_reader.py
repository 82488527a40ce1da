"""The WARC reader on archives these tests write with warcio (the reference writer)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from copyhound.crawler.warc import RevisitIndex, WarcPage, WarcProblem, iter_pages

HTML = "text/html; charset=utf-8"


def _response(writer: WARCWriter, url: str, body: bytes, ctype: str = HTML, status: str = "200 OK"):
    head = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=head)
    writer.write_record(rec)
    return rec


def _write(path: Path, *, gzip: bool = True, pages: int = 3) -> list[bytes]:
    bodies = [f"<html><body><article><p>Post number {i}</p></article></body></html>".encode() for i in range(pages)]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for i, body in enumerate(bodies):
            _response(writer, f"http://a.test/p{i}", body)
    return bodies


def _pages(items: list[WarcPage | WarcProblem]) -> list[WarcPage]:
    return [x for x in items if isinstance(x, WarcPage)]


def _problems(items: list[WarcPage | WarcProblem]) -> list[WarcProblem]:
    return [x for x in items if isinstance(x, WarcProblem)]


def test_gzip_and_plain_warc_give_the_same_pages(tmp_path: Path) -> None:
    bodies = _write(tmp_path / "a.warc.gz")
    _write(tmp_path / "a.warc", gzip=False)
    for name in ("a.warc.gz", "a.warc"):
        items = list(iter_pages(tmp_path / name))
        assert _problems(items) == []
        pages = _pages(items)
        assert [p.body for p in pages] == bodies
        assert [p.url for p in pages] == ["http://a.test/p0", "http://a.test/p1", "http://a.test/p2"]
        first = pages[0]
        assert first.status == 200 and first.content_type == HTML
        assert first.headers["content-type"] == HTML
        assert first.record_id.startswith("<urn:uuid:") and first.warc_date.endswith("Z")
        assert first.revisit_of is None


def test_stream_input_and_offsets_resume(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    _write(path)
    pages = _pages(list(iter_pages(io.BytesIO(path.read_bytes()))))
    assert len(pages) == 3
    resumed = _pages(list(iter_pages(path, start_offset=pages[1].offset)))
    assert [p.url for p in resumed] == ["http://a.test/p1", "http://a.test/p2"]


def test_non_html_is_skipped_and_url_filter_applies(tmp_path: Path) -> None:
    path = tmp_path / "m.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        _response(writer, "http://a.test/img.png", b"\x89PNG....", ctype="image/png")
        _response(writer, "http://a.test/keep", b"<p>keep</p>")
        _response(writer, "http://b.test/drop", b"<p>drop</p>")
    pages = _pages(list(iter_pages(path, url_filter=re.compile(r"//a\.test/").search)))
    assert [p.url for p in pages] == ["http://a.test/keep"]


def test_revisits_resolve_by_digest_and_by_uri_date(tmp_path: Path) -> None:
    path = tmp_path / "r.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        orig = _response(writer, "http://a.test/p", b"<p>the original</p>")
        head = orig.rec_headers
        same = StatusAndHeaders("200 OK", [("Content-Type", HTML)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_revisit_record(
                "http://a.test/copy-url", digest=head.get_header("WARC-Payload-Digest"),
                refers_to_uri="http://a.test/elsewhere", refers_to_date="2001-01-01T00:00:00Z", http_headers=same
            )
        )
        not_modified = StatusAndHeaders("304 Not Modified", [], protocol="HTTP/1.1")
        rv = writer.create_revisit_record(
            "http://a.test/p", digest="sha1:AAAA", refers_to_uri="http://a.test/p",
            refers_to_date=head.get_header("WARC-Date"), http_headers=not_modified
        )
        rv.rec_headers.replace_header("WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified")
        writer.write_record(rv)
    items = list(iter_pages(path))
    assert _problems(items) == []
    pages = _pages(items)
    assert [p.url for p in pages] == ["http://a.test/p", "http://a.test/copy-url", "http://a.test/p"]
    for page in pages[1:]:
        assert page.body == b"<p>the original</p>" and page.status == 200
        assert page.revisit_of is not None
        assert page.revisit_of.record_id == pages[0].record_id
    assert pages[2].revisit_of is not None and pages[2].revisit_of.profile.endswith("server-not-modified")


def test_revisit_finds_original_in_an_earlier_file_and_reports_a_missing_one(tmp_path: Path) -> None:
    first, second = tmp_path / "1.warc.gz", tmp_path / "2.warc.gz"
    with first.open("wb") as fh:
        orig = _response(WARCWriter(fh, gzip=True), "http://a.test/p", b"<p>orig</p>")
    digest = orig.rec_headers.get_header("WARC-Payload-Digest")
    with second.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        revisit = writer.create_revisit_record("http://a.test/p", digest, "http://a.test/p", "1999-01-01T00:00:00Z")
        writer.write_record(revisit)
    index = RevisitIndex()
    list(iter_pages(first, revisits=index))
    assert [p.body for p in _pages(list(iter_pages(second, revisits=index)))] == [b"<p>orig</p>"]
    alone = list(iter_pages(second))
    assert _pages(alone) == [] and "original not in the files read so far" in _problems(alone)[0].message


def test_torn_gzip_member_is_reported_once_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.warc.gz"
    _write(path, pages=4)
    good = _pages(list(iter_pages(path)))
    data = path.read_bytes()
    torn_at = good[1].offset
    torn = data[: torn_at + 40] + data[good[2].offset :]  # record p1 loses its tail
    path.write_bytes(torn)
    items = list(iter_pages(path))
    assert [p.url for p in _pages(items)] == ["http://a.test/p0", "http://a.test/p2", "http://a.test/p3"]
    problems = _problems(items)
    assert len(problems) == 1 and problems[0].offset == torn_at
    assert problems[0].line().startswith(f"{path}: offset {torn_at}: ")


def test_truncated_file_end_and_garbage_between_plain_records(tmp_path: Path) -> None:
    path = tmp_path / "g.warc"
    _write(path, gzip=False, pages=3)
    good = _pages(list(iter_pages(path)))
    data = path.read_bytes()
    cut = good[1].offset
    path.write_bytes(data[:cut] + b"garbage that is not a record\r\n" + data[cut:])
    items = list(iter_pages(path))
    assert [p.url for p in _pages(items)] == ["http://a.test/p0", "http://a.test/p1", "http://a.test/p2"]
    assert [p.offset for p in _problems(items)] == [cut]
    path.write_bytes(data[: good[2].offset + 100])
    items = list(iter_pages(path))
    assert [p.url for p in _pages(items)] == ["http://a.test/p0", "http://a.test/p1"]
    assert [p.offset for p in _problems(items)] == [good[2].offset]


def test_lying_content_length_is_reported_and_later_records_survive(tmp_path: Path) -> None:
    path = tmp_path / "l.warc"
    _write(path, gzip=False, pages=3)
    data = path.read_bytes()
    good = _pages(list(iter_pages(path)))
    start = good[1].offset
    head_end = data.index(b"\r\n\r\n", start)
    header = data[start:head_end]
    length = int(re.search(rb"Content-Length: (\d+)", header).group(1))  # type: ignore[union-attr]
    lying = header.replace(f"Content-Length: {length}".encode(), f"Content-Length: {length - 30}".encode())
    path.write_bytes(data[:start] + lying + data[head_end:])
    items = list(iter_pages(path))
    urls = [p.url for p in _pages(items)]
    assert urls[0] == "http://a.test/p0" and urls[-1] == "http://a.test/p2"
    assert len(_problems(items)) == 1


def test_not_a_warc_missing_file_and_oversized_record(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello, not an archive\n" * 50)
    assert [x.message for x in iter_pages(text)] == ["not a WARC or ARC file (no WARC/1.x or ARC header)"]
    missing = list(iter_pages(tmp_path / "nope.warc.gz"))
    assert len(missing) == 1 and isinstance(missing[0], WarcProblem) and "cannot open" in missing[0].message
    path = tmp_path / "big.warc.gz"
    _write(path, pages=2)
    items = list(iter_pages(path, max_record_bytes=50))
    assert _pages(items) == []
    assert [("skipped" in p.message) for p in _problems(items)] == [True, True]


def test_arc_file_is_read_through_warcio(tmp_path: Path) -> None:
    body = b"<html><body><p>arc page</p></body></html>"
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    filedesc_body = b"1 0 test\nURL IP-address Archive-date Content-type Archive-length\n"
    filedesc = b"filedesc://x.arc 0.0.0.0 20010101000000 text/plain %d\n%s" % (len(filedesc_body), filedesc_body)
    rec = b"http://a.test/arc 127.0.0.1 20010101000000 text/html %d\n%s" % (len(http), http)
    path = tmp_path / "x.arc"
    path.write_bytes(filedesc + b"\n" + rec + b"\n")
    pages = _pages(list(iter_pages(path)))
    assert [(p.url, p.status, p.body) for p in pages] == [("http://a.test/arc", 200, body)]


def test_a_2gb_record_is_skipped_unread_and_the_next_record_is_read(tmp_path: Path) -> None:
    for gzip in (False, True):
        path = tmp_path / ("huge.warc.gz" if gzip else "huge.warc")
        _write(path, gzip=gzip, pages=2)
        good = _pages(list(iter_pages(path)))
        data = path.read_bytes()
        huge = (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:huge>\r\n"
                b"WARC-Target-URI: http://a.test/video\r\nContent-Type: application/http; msgtype=response\r\n"
                b"Content-Length: 2147483648\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>")
        if gzip:
            import zlib

            packer = zlib.compressobj(6, zlib.DEFLATED, 31)
            huge = packer.compress(huge) + packer.flush()
        cut = good[1].offset
        path.write_bytes(data[:cut] + huge + data[cut:])
        items = list(iter_pages(path))
        assert [p.url for p in _pages(items)] == ["http://a.test/p0", "http://a.test/p1"], gzip
        problems = _problems(items)
        assert [p.offset for p in problems] == [cut], (gzip, problems)


def test_zstd_warc_is_read(tmp_path: Path) -> None:
    from fastwarc.stream_io import ZstdWriter

    plain = tmp_path / "a.warc"
    bodies = _write(plain, gzip=False)
    packed = ZstdWriter(str(tmp_path / "a.warc.zst"))
    packed.write(plain.read_bytes())
    packed.close()
    items = list(iter_pages(tmp_path / "a.warc.zst"))
    assert _problems(items) == [] and [p.body for p in _pages(items)] == bodies
