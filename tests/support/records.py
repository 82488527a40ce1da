"""Hand-made post records for the election, audit and clustering tests."""

from __future__ import annotations

from typing import Any

from copyhound.dedupe.types import PostRecord


def rec(pid: int, url: str, **kw: Any) -> PostRecord:
    kw.setdefault("words", 300)
    return PostRecord(post_id=pid, page_id=pid, url=url, host=url.split("/")[2], text="", **kw)
