"""Full-text search on post titles and texts (SQLite FTS5 through
sqlite-utils `enable_fts`, over the `posts` table as external content).

The index is kept out of the crawl's hot path: a crawl only inserts posts,
and indexing each text as it is stored wrote it a second time inside every
group commit (and churned the FTS segments through the WAL), which filled a
small disk before the first page was committed. So posts are indexed at the
end of a run and before `copyhound serve`, and only those not indexed yet
(`refresh_post_search`). What must happen at once is removal: an
external-content FTS5 index can only forget a row given its old values, so
triggers drop a post from the index when it is deleted or its title or text
change, and the next refresh indexes the new text.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

FTS_TABLE = "posts_fts"
FTS_COLUMNS = ("title", "text")
# FTS5 keeps one docsize row per indexed rowid: the set of posts indexed.
_INDEXED = f"SELECT id FROM {FTS_TABLE}_docsize"
_FORGET = (f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
           "VALUES ('delete', old.id, old.title, old.text);")
_TRIGGERS = {
    "posts_fts_forget_deleted": f"AFTER DELETE ON posts WHEN old.id IN ({_INDEXED})",
    "posts_fts_forget_changed": ("AFTER UPDATE OF title, text ON posts WHEN old.id IN "
                                 f"({_INDEXED}) AND (old.title IS NOT new.title OR old.text IS NOT new.text)"),
}
# sqlite-utils' own triggers (an earlier m006 created them): they indexed on insert.
_OLD_TRIGGERS = ("posts_ai", "posts_ad", "posts_au")


def enable_post_search(db: Database) -> None:
    """Create the index over every stored post, and the triggers that forget changed posts."""
    db.table("posts").enable_fts(list(FTS_COLUMNS), fts_version="FTS5", create_triggers=False, replace=True)
    install_forget_triggers(db)


def install_forget_triggers(db: Database) -> None:
    """Replace any index-on-insert triggers with the ones that only forget rows."""
    for name in (*_OLD_TRIGGERS, *_TRIGGERS):
        db.execute(f"DROP TRIGGER IF EXISTS [{name}]")
    for name, when in _TRIGGERS.items():
        db.execute(f"CREATE TRIGGER [{name}] {when} BEGIN {_FORGET} END")


def refresh_post_search(db: Database) -> int:
    """Index the posts stored or changed since the last refresh; returns how many."""
    if not db[FTS_TABLE].exists():
        return 0
    with db.atomic():
        cur = db.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, text) "
                         f"SELECT id, title, text FROM posts WHERE id NOT IN ({_INDEXED})")
    return max(cur.rowcount, 0)


def search_posts(db: Database, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Posts matching `query` (FTS5 syntax, quoted as a phrase list by sqlite-utils), best first."""
    rows = db.table("posts").search(query, columns=["id", "page_id", "title"], limit=limit, quote=True)
    return [dict(r) for r in rows]


__all__ = ["FTS_COLUMNS", "FTS_TABLE", "enable_post_search", "install_forget_triggers", "refresh_post_search",
           "search_posts"]
