"""CSV: one row per copy, RFC 4180 (CRLF, quotes doubled), UTF-8.

Spreadsheet programs evaluate a cell that starts with `=`, `+`, `-` or `@`
(and some with a leading tab or CR) as a formula, so a crawled title or URL
could run `=HYPERLINK(...)` in the reader's spreadsheet: such cells get a
leading apostrophe (OWASP's advice), which spreadsheets show as text.
Numbers and booleans are written by us and never neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from copyhound.render import printable

COLUMNS = (
    "cluster_id",
    "canonical_url",
    "canonical_title",
    "copy_url",
    "relation",
    "similarity",
    "containment",
    "canonical_link",
    "robots_noindex",
    "links_to_canonical",
    "status",
    "verdict",
    "change",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a UTF-8 file without a byte-order mark as the local code page.
UTF8_BOM = "\ufeff"


def neutralise(cell: str | None) -> str:
    """A text cell safe to open in a spreadsheet, and to print: a CSV written
    to standard output lands on a terminal, where a crawled title's escape
    sequences would rewrite the screen (None → empty)."""
    if cell is None:
        return ""
    cell = printable(cell)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _bool(v: bool) -> str:
    return "true" if v else "false"


def csv_row(cl: dict[str, Any], c: dict[str, Any]) -> list[str]:
    canon = cl["canonical"]
    return [
        neutralise(cl["id"]),
        neutralise(canon["url"]),
        neutralise(canon.get("title")),
        neutralise(c["url"]),
        c["relation"],
        f"{c['similarity']:.4f}",
        f"{c['containment']:.4f}",
        neutralise(c["canonical_link"]),
        _bool(c["robots_noindex"]),
        _bool(c["links_to_canonical"]),
        c["status"],
        neutralise(c.get("verdict")),
        c.get("change") or "",
    ]


def csv_lines(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> Iterator[str]:
    """The header, then one CRLF-terminated line per (cluster, copy): for streaming."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(COLUMNS)
    yield buf.getvalue()
    for cl, c in pairs:
        buf.seek(0)
        buf.truncate()
        w.writerow(csv_row(cl, c))
        yield buf.getvalue()


def render_csv(report: dict[str, Any], *, bom: bool = False) -> str:
    pairs = ((cl, c) for cl in report["clusters"] for c in cl["copies"])
    return (UTF8_BOM if bom else "") + "".join(csv_lines(pairs))


__all__ = ["COLUMNS", "csv_lines", "csv_row", "neutralise", "render_csv"]
