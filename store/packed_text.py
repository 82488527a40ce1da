"""Post texts as stored: zlib-compressed UTF-8 (m011).

A post's text was ~80% of a database: 4.06 GB of the 5.18 GB that
10^6 generated posts took, one ~3.2 KB row a 4 KB page. At zlib level 1
prose shrinks to 0.47 of its size (the public extraction set's articles;
0.46 the generated posts): level 6 gains 8% more for twice the time, on a
path the crawl and ingest take for every post. Only store/ reads or writes
them; SQL clients read them through `copyhound_text()`, which `copyhound
serve` registers in Datasette.
"""

from __future__ import annotations

import zlib

TEXT_LEVEL = 1
SQL_FUNCTION = "copyhound_text"  # the decompressing SQL function serve and the search refresh register


def pack_text(text: str) -> bytes:
    """A post text as stored."""
    return zlib.compress(text.encode("utf-8"), TEXT_LEVEL)


def unpack_text(value: bytes | str) -> str:
    """A stored post text, compressed or (written before m011, or by a Spark
    import that keeps texts in the archives) plain."""
    if isinstance(value, str):
        return value
    return zlib.decompress(value).decode("utf-8")


def sql_unpack_text(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    """`copyhound_text(text)` for SQL clients: the text, or the value unchanged
    when it is not a stored text (NULL, a number, bytes that are not zlib)."""
    if not isinstance(value, bytes):
        return value
    try:
        return unpack_text(value)
    except (zlib.error, UnicodeDecodeError):
        return value


__all__ = ["SQL_FUNCTION", "TEXT_LEVEL", "pack_text", "sql_unpack_text", "unpack_text"]
