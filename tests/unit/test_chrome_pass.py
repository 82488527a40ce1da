"""The pipeline's site-level chrome pass over a real SQLite database."""

from __future__ import annotations

from pathlib import Path

from copyhound.dedupe.match.text import text_hash
from copyhound.stages.chrome_pass import strip_site_chrome
from copyhound.store import open_db
from copyhound.store.packed_text import unpack_text
from copyhound.store.posts import unpack_raw

SIGNUP = "Join our readers and get the weekly letter in your inbox."
WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")


def _post_text(n: int) -> str:
    # Distinct paragraphs per post, made of letters only (chrome learning
    # folds digits, so "word1" and "word2" would be the same block).
    tag = "".join(chr(ord("a") + int(d)) for d in f"{n:02d}")
    paras = [" ".join(f"{WORDS[(i * 5 + j) % len(WORDS)]}{tag}" for j in range(25)) for i in range(4)]
    return "\n\n".join(paras)


def _add_page(db, url: str, texts: list[str]) -> None:
    page_id = db["pages"].insert(
        {"url": url, "host": "blog.test", "first_seen": "2026-01-01", "status": 200, "body_hash": url}
    ).last_pk
    for i, t in enumerate(texts):
        db["posts"].insert({"page_id": page_id, "ordinal": i, "text": t, "text_hash": text_hash(t),
                            "raw_hash": text_hash(t), "words": len(t.split())})


def test_recurring_signup_block_is_stripped_and_posts_kept(tmp_path: Path) -> None:
    db = open_db(tmp_path / "c.db")
    for n in range(6):
        _add_page(db, f"http://blog.test/post-{n}/", [_post_text(n) + "\n\n" + SIGNUP])
    # Post 0 also appears whole on four archive pages and the home page: its
    # paragraphs recur as much as the sign-up line, yet they are not chrome.
    for k in range(4):
        _add_page(db, f"http://blog.test/tag/t{k}/", [_post_text(0), _post_text(10 + k)])
    stats = strip_site_chrome(db)
    assert stats.hosts == 1 and stats.posts_changed == 6
    stored = db.execute("SELECT text, raw_text, text_hash FROM posts ORDER BY id")
    rows = [(unpack_text(t), unpack_raw(r), h) for t, r, h in stored]
    assert all(isinstance(r, bytes) for _t, r, _h in db.execute("SELECT text, raw_text, text_hash FROM posts LIMIT 6"))
    for text, raw, th in rows[:6]:
        assert SIGNUP not in text and raw.endswith(SIGNUP) and th == text_hash(text)
        assert text == raw[: -len(SIGNUP)].rstrip()
    assert all(raw is None for _t, raw, _h in rows[6:])  # archive posts untouched
    assert strip_site_chrome(db).posts_changed == 0  # idempotent


def test_single_page_host_learns_nothing(tmp_path: Path) -> None:
    db = open_db(tmp_path / "c.db")
    _add_page(db, "http://blog.test/only/", [_post_text(1) + "\n\n" + SIGNUP])
    assert strip_site_chrome(db).posts_changed == 0


def test_a_host_that_loses_its_chrome_gets_its_posts_back_whole(tmp_path: Path) -> None:
    db = open_db(tmp_path / "c.db")
    for n in range(6):
        _add_page(db, f"http://blog.test/post-{n}/", [_post_text(n) + "\n\n" + SIGNUP])
    assert strip_site_chrome(db).posts_changed == 6
    db.execute("DELETE FROM pages WHERE url NOT IN ('http://blog.test/post-0/')")  # one page left: no chrome
    stats = strip_site_chrome(db)
    assert stats.hosts == 0 and stats.posts_changed == 1
    (text, raw) = db.execute("SELECT text, raw_text FROM posts").fetchone()
    assert unpack_text(text) == _post_text(0) + "\n\n" + SIGNUP and raw is None
