"""Hand-filled databases for the report, diff and fail-on tests.

They hold what a crawl stores (pages, posts, clusters, members) and what the
end of each run snapshots (`runs`, `run_copies`), written straight into a
real SQLite file through `store.open_db`, so the renderers and the history
code are tested without a crawl. End-to-end tests crawl the fixture sites.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from copyhound.store import open_db
from copyhound.store.packed_text import pack_text

MALICIOUS_TITLE = '<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">'
MALICIOUS_URL = 'http://127.0.0.9/"><img src=x onerror="window.__pwned=3">'
MALICIOUS_TEXT = (
    "</script><script>window.__pwned=4</script> The quick brown fox jumps over the lazy dog "
    "near the river bank every morning before sunrise. <img src=x onerror=window.__pwned=5>"
)


def add_page(db: Database, url: str, text: str, *, title: str | None = None, ordinal: int = 0) -> tuple[int, int]:
    """A fetched page holding one post; returns (page id, post id)."""
    existing = db.execute("SELECT id FROM pages WHERE url = ?", [url]).fetchone()
    if existing:
        page_id = existing[0]
    else:
        page_id = db["pages"].insert(
            {"url": url, "final_url": url, "host": urlsplit(url).hostname, "status": 200,
             "first_seen": "2026-01-01T00:00:00Z", "fetched_at": "2026-01-01T00:00:00Z",
             "body_hash": hashlib.sha1(url.encode()).hexdigest(), "title": title}
        ).last_pk
    row = {"page_id": page_id, "ordinal": ordinal, "kind": "post", "title": title, "text": pack_text(text),
           "text_hash": hashlib.sha1(text.encode()).hexdigest(), "words": len(text.split())}
    old = db.execute("SELECT id FROM posts WHERE page_id = ? AND ordinal = ?", [page_id, ordinal]).fetchone()
    if old:  # re-extracted on a later run: same post row, new text
        db["posts"].update(old[0], row)
        return int(page_id), int(old[0])
    return int(page_id), int(db["posts"].insert(row).last_pk)


def copy(url: str, status: str = "missing-canonical", relation: str = "exact", **kw: Any) -> dict[str, Any]:
    return {"url": url, "status": status, "relation": relation, "similarity": kw.pop("similarity", 1.0),
            "containment": kw.pop("containment", 1.0), "canonical_link": kw.pop("canonical_link", None),
            "robots_noindex": kw.pop("robots_noindex", False),
            "links_to_canonical": kw.pop("links_to_canonical", False), "text": kw.pop("text", None), **kw}


def set_clusters(db: Database, clusters: list[dict[str, Any]]) -> None:
    """Replace the stored clusters, as a crawl's clustering step does.

    Each cluster: {"id", "url", "title", "text", "reason", "copies": [copy(...)]}.
    """
    with db.atomic():
        db.execute("DELETE FROM cluster_members")
        db.execute("DELETE FROM clusters")
        for cl in clusters:
            page_id, post_id = add_page(db, cl["url"], cl.get("text") or "canonical text", title=cl.get("title"))
            db["clusters"].insert(
                {"id": cl["id"], "canonical_post_id": post_id, "canonical_page_id": page_id,
                 "canonical_url": cl["url"], "title": cl.get("title"), "published": cl.get("published"),
                 "reason": cl.get("reason", "earliest-published")}
            )
            for c in cl["copies"]:
                cp_page, cp_post = add_page(db, c["url"], c.get("text") or cl.get("text") or "copy text")
                db["cluster_members"].insert(
                    {"cluster_id": cl["id"], "post_id": cp_post, "page_id": cp_page, "url": c["url"],
                     "relation": c["relation"], "similarity": c["similarity"], "containment": c["containment"],
                     "canonical_link": c["canonical_link"], "robots_noindex": int(c["robots_noindex"]),
                     "links_to_canonical": int(c["links_to_canonical"]), "status": c["status"]}
                )


def finish_run(db: Database, run_id: int, finished_at: str, *, own_domains: tuple[str, ...] = ()) -> None:
    """Record a finished run and snapshot the current clusters into run_copies."""
    import json

    with db.atomic():
        db["runs"].insert(
            {"id": run_id, "started_at": finished_at, "finished_at": finished_at, "state": "finished",
             "seeds": "[]", "options": json.dumps({"own_domains": list(own_domains)})}
        )
        db.execute(
            "INSERT INTO run_copies (run_id, cluster_id, canonical_url, url, relation, status, similarity, "
            "canonical_link) SELECT ?, m.cluster_id, c.canonical_url, m.url, m.relation, m.status, "
            "m.similarity, m.canonical_link FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id",
            [run_id],
        )


BLOG = "http://127.0.0.1:8001"
PARTNER = "http://127.0.0.2:8002"
SCRAPER = "http://127.0.0.3:8003"
POST_TEXT = (
    "Syndication done right means every partner page points its canonical link back at the original post. "
    "Search engines then credit the original, and the partner still gets readers.\n\n"
    "Without it, two indexable pages with the same text compete, and the one with more links may win."
)


def two_run_db(path: Path) -> Database:
    """Run 1: partner canonical-ok, scraper missing, archive contains. Run 2:
    partner lost its canonical link, the scraper copy is gone, a new copy on
    a mirror and a new cluster appeared."""
    db = open_db(path)
    run1 = [
        {"id": "c1", "url": f"{BLOG}/posts/syndication", "title": "Syndication done right", "text": POST_TEXT,
         "reason": "own-domain", "copies": [
             copy(f"{PARTNER}/syndication", "canonical-ok", canonical_link=f"{BLOG}/posts/syndication",
                  links_to_canonical=True),
             copy(f"{SCRAPER}/copy-1", "missing-canonical", "near", similarity=0.91, containment=0.95),
             copy(f"{BLOG}/tag/seo", "missing-canonical", "contains", similarity=0.4, containment=1.0),
         ]},
    ]
    set_clusters(db, run1)
    finish_run(db, 1, "2026-01-10T06:00:00Z", own_domains=("127.0.0.1",))
    run2 = [
        {"id": "c1", "url": f"{BLOG}/posts/syndication", "title": "Syndication done right", "text": POST_TEXT,
         "reason": "own-domain", "copies": [
             copy(f"{PARTNER}/syndication", "missing-canonical", links_to_canonical=True),
             copy(f"{BLOG}/tag/seo", "missing-canonical", "contains", similarity=0.4, containment=1.0),
             copy("http://127.0.0.4:8004/mirror", "self-canonical", canonical_link="http://127.0.0.4:8004/mirror"),
         ]},
        {"id": "c2", "url": f"{BLOG}/posts/second", "title": "Second post", "text": "second " * 40,
         "reason": "own-domain", "copies": [copy(f"{SCRAPER}/copy-2", "noindex", robots_noindex=True)]},
    ]
    set_clusters(db, run2)
    finish_run(db, 2, "2026-01-11T06:00:00Z", own_domains=("127.0.0.1",))
    return db


def hostile_db(path: Path) -> Database:
    """A cluster whose title, URLs, canonical link and texts carry markup."""
    db = open_db(path)
    set_clusters(db, [
        {"id": "evil", "url": f"{BLOG}/posts/fox", "title": MALICIOUS_TITLE, "text": MALICIOUS_TEXT,
         "reason": "earliest-seen", "copies": [
             copy(MALICIOUS_URL, "canonical-elsewhere", "near", similarity=0.8, containment=0.9,
                  canonical_link="javascript:window.__pwned=6", text=MALICIOUS_TEXT + " extra words here"),
             copy(f"{SCRAPER}/=HYPERLINK(\"x\")", "missing-canonical", text=MALICIOUS_TEXT),
         ]},
    ])
    finish_run(db, 1, "2026-01-10T06:00:00Z")
    return db


