"""Full-text search on post titles and texts (SQLite FTS5 through
sqlite-utils `enable_fts`), kept in sync by triggers, so a re-crawl's new
and changed posts are searchable as soon as they are stored."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

FTS_TABLE = "posts_fts"
FTS_COLUMNS = ("title", "text")


def enable_post_search(db: Database) -> None:
    """Create the index over every stored post, with the triggers that keep it current."""
    db["posts"].enable_fts(list(FTS_COLUMNS), fts_version="FTS5", create_triggers=True, replace=True)


def search_posts(db: Database, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Posts matching `query` (FTS5 syntax, quoted as a phrase list by sqlite-utils), best first."""
    rows = db["posts"].search(query, columns=["id", "page_id", "title"], limit=limit, quote=True)
    return [dict(r) for r in rows]


__all__ = ["FTS_COLUMNS", "FTS_TABLE", "enable_post_search", "search_posts"]
