"""Helpers for the dedupe tests: a real SQLite database (store.open_db) filled
with page and post rows directly, and deterministic prose to put in them."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from copyhound.dedupe.match.text import text_hash
from copyhound.stages.cluster_pass import ClusterStats, update_clusters
from copyhound.store import open_db
from copyhound.store.packed_text import pack_text

_VOCABULARY = """
the customer business people always right time make think need want know good work every one
would could should their about which when there what more some other into them than then also
after first well even back only where most over such because these through before again great
little still while being both under never same another around since thing things place each
world help market price service quality story money point question answer idea plan value team
product brand search page site post writer reader editor note author course school lesson skill
happy wrong sorry apologize friend family choice listen bridge dignity open different easier
learn change growth trust loyal refund complaint phone email letter office manager owner sales
"""
_WORDS = _VOCABULARY.split()


def prose(seed: int, words: int) -> str:
    """Deterministic pseudo-English paragraphs of about `words` words."""
    rng = random.Random(seed)
    out, paragraph = [], []
    for i in range(words):
        w = rng.choice(_WORDS)
        paragraph.append(w.capitalize() if not paragraph or paragraph[-1].endswith(".") else w)
        if rng.random() < 0.08 or i == words - 1:
            paragraph[-1] += "."
        if len(paragraph) > 60 and paragraph[-1].endswith("."):
            out.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        out.append(" ".join(paragraph))
    return "\n\n".join(out)


def new_db(tmp_path: Path, name: str = "x.db") -> Database:
    return open_db(tmp_path / name)


def add_page(
    db: Database,
    url: str,
    posts: list[str | dict[str, Any]],
    *,
    first_seen: str = "2024-05-01T10:00:00Z",
    status: int = 200,
    gone: int = 0,
    **page: Any,
) -> int:
    """Insert a page and its posts; a post is its text or a dict of post columns."""
    host = url.split("/")[2].split(":")[0]
    page_id = int(
        db["pages"].insert(
            {"url": url, "final_url": url, "host": host, "status": status, "gone": gone,
             "first_seen": first_seen, "body_hash": "x", **page}
        ).last_pk
    )
    for ordinal, p in enumerate(posts):
        row = {"text": p} if isinstance(p, str) else dict(p)
        row.setdefault("kind", "post")
        row["links"] = json.dumps(list(row.get("links", [])))
        db["posts"].insert(
            {"page_id": page_id, "ordinal": ordinal, "text_hash": text_hash(row["text"]),
             "words": len(row["text"].split()), **row, "text": pack_text(row["text"])}
        )
    return page_id


def insert_page(db: Database, url: str, body_hash: str | None, *, status: int = 200,
                canonical: str | None = None) -> int:
    """A bare live page row on blog.test (no posts): what the alias rules read."""
    cur = db.conn.execute(
        "INSERT INTO pages (url, host, status, body_hash, canonical_link, gone, fetched_at, first_seen, depth)"
        " VALUES (?, 'blog.test', ?, ?, ?, 0, '', '', 0)", [url, status, body_hash, canonical])
    return int(cur.lastrowid)


def set_post_text(db: Database, page_id: int, ordinal: int, text: str) -> None:
    db.execute(
        "UPDATE posts SET text = ?, text_hash = ?, words = ? WHERE page_id = ? AND ordinal = ?",
        [pack_text(text), text_hash(text), len(text.split()), page_id, ordinal],
    )


def run(db: Database, own: str | None = None, run_id: int | None = None) -> ClusterStats:
    def is_own(url: str) -> bool:
        return own is not None and url.split("/")[2].split(":")[0].endswith(own)

    return update_clusters(db, run_id=run_id, is_own_url=is_own)


def clusters(db: Database) -> dict[str, dict[str, Any]]:
    """canonical url → {"reason", "id", "copies": {url: member row}}."""
    out: dict[str, dict[str, Any]] = {}
    for cid, url, reason in db.execute("SELECT id, canonical_url, reason FROM clusters"):
        copies = {
            r[0]: {"relation": r[1], "status": r[2], "similarity": r[3], "containment": r[4],
                   "links_to_canonical": bool(r[5])}
            for r in db.execute(
                "SELECT url, relation, status, similarity, containment, links_to_canonical "
                "FROM cluster_members WHERE cluster_id = ?", [cid])
        }
        assert url not in out, f"two clusters with canonical {url}"
        out[url] = {"id": cid, "reason": reason, "copies": copies}
    return out
