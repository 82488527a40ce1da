"""Which kind of archive a file is, from its first bytes.

FastWARC detects gzip and zstd itself, but it does not read ARC (the format
of the Internet Archive's older crawls and of Heritrix's legacy mode): those
go to warcio, which converts ARC records on the fly.
"""

from __future__ import annotations

import zlib
from typing import BinaryIO, Literal

Kind = Literal["warc", "warc.gz", "warc.zst", "arc", "arc.gz", "unknown"]

GZIP_MAGIC = b"\x1f\x8b\x08"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# Enough to see "WARC/1.x" or "filedesc://" once the first member is inflated.
_SNIFF_BYTES = 64 * 1024


def sniff(fh: BinaryIO) -> Kind:
    """The archive kind of a seekable stream; leaves the stream where it was."""
    start = fh.tell()
    head = fh.read(_SNIFF_BYTES)
    fh.seek(start)
    if head.startswith(GZIP_MAGIC):
        inner = _inflate_prefix(head)
        if inner.startswith(b"filedesc://"):
            return "arc.gz"
        return "warc.gz" if inner.startswith(b"WARC/") else "unknown"
    if head.startswith(ZSTD_MAGIC):
        return "warc.zst"
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"filedesc://"):
        return "arc"
    return "unknown"


def _inflate_prefix(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(31).decompress(data, 64)
    except zlib.error:
        return b""


def member_end(fh: BinaryIO, start: int, limit: int) -> int | None:
    """End offset of the gzip member starting at `start`, `None` if it is torn.

    Reads at most `limit` compressed bytes: a member longer than that is
    treated as torn, which bounds the work on a hostile file.
    """
    fh.seek(start)
    inflater = zlib.decompressobj(31)
    consumed = 0
    while consumed < limit and not inflater.eof:
        chunk = fh.read(min(1 << 20, limit - consumed))
        if not chunk:
            return None
        try:
            inflater.decompress(chunk, 1 << 16)
            while inflater.unconsumed_tail and not inflater.eof:
                inflater.decompress(inflater.unconsumed_tail, 1 << 16)
        except zlib.error:
            return None
        consumed += len(chunk)
    if not inflater.eof:
        return None
    return start + consumed - len(inflater.unused_data)


def plain_record_end(fh: BinaryIO, start: int) -> int | None:
    """End offset of an uncompressed WARC record at `start` (header + Content-Length + CRLFCRLF)."""
    fh.seek(start)
    head = fh.read(64 * 1024)
    cut = head.find(b"\r\n\r\n")
    if not head.startswith(b"WARC/") or cut < 0:
        return None
    for line in head[:cut].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return start + cut + 4 + int(value.strip()) + 4
    return None


def next_candidate(fh: BinaryIO, kind: Kind, after: int, size: int) -> int | None:
    """First offset past `after` where a record may start again (resync after damage)."""
    magic = GZIP_MAGIC if kind.endswith(".gz") else b"WARC/1."
    pos = after
    fh.seek(pos)
    carry = b""
    while pos < size:
        chunk = fh.read(1 << 20)
        if not chunk:
            return None
        hit = (carry + chunk).find(magic)
        if hit >= 0:
            return pos - len(carry) + hit
        carry = chunk[-(len(magic) - 1):]
        pos += len(chunk)
    return None


def starts_record(fh: BinaryIO, kind: Kind, offset: int) -> bool:
    fh.seek(offset)
    head = fh.read(8)
    return head.startswith(GZIP_MAGIC) if kind.endswith(".gz") else head.startswith(b"WARC/1.")
