"""Renderers: the report dict of `copyhound.report` in each output format."""

from __future__ import annotations

import re

# C0 and C1 control characters: a crawled title holding "\x1b[2J" must not
# clear the reader's terminal or rewrite what it shows.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# The report's output formats (`report --format`, `watch --report-format`).
REPORT_FORMATS = ("json", "csv", "table", "html", "jsonl")


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control characters become U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


__all__ = ["REPORT_FORMATS", "printable"]
