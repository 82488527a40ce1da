"""A hunt corpus in WARC: own posts and a few hundred records around copies
of them, laid across the hunt's groups (64 records pre-filtered at a time,
32 candidates verified at a time)."""

from __future__ import annotations

import io
import random
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
OWN_HOST = "own.test"


def words(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choice(_LETTERS) for _ in range(rng.randint(3, 8))) for _ in range(n))


def page(title: str, *texts: str) -> bytes:
    body = "".join(f"<article><h1>{title}</h1><p>{t}</p></article>" for t in texts)
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"{body}<footer>Footer</footer></body></html>").encode()


def write_warc(path: Path, records: list[tuple[str, bytes, str]]) -> None:
    """(url, body, HTTP status line) records, gzip per record."""
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True, warc_version="1.1")
        for url, body, status in records:
            head = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=head))


def own_posts(rng: random.Random, n: int) -> list[str]:
    return [words(rng, 200) for _ in range(n)]


def own_records(posts: list[str]) -> list[tuple[str, bytes, str]]:
    return [(f"http://{OWN_HOST}/post-{i}/", page(f"Own {i}", t), "200 OK") for i, t in enumerate(posts)]


def corpus_records(rng: random.Random, posts: list[str], n: int, tag: str,
                   copies: dict[int, str]) -> list[tuple[str, bytes, str]]:
    """`n` unrelated pages, bar those at the positions of `copies`: "exact",
    "near" (a tenth of the words changed), "contains" (the post inside a page
    three times longer), "excerpt" (70 words of it), "own" (a capture of the own
    page itself), "404" (an exact copy answered 404). URLs are unique."""
    out = [(f"http://web.test/{tag}/{i}", page(f"Page {i}", words(rng, 250)), "200 OK") for i in range(n)]
    for k, (at, kind) in enumerate(sorted(copies.items())):
        p = k % len(posts)
        post, url = posts[p], f"http://copy{k % 5}.test/{tag}/{at}"
        if kind == "near":
            post = " ".join(w if rng.random() > 0.1 else "zzz" for w in post.split())
        body = {"contains": page("Roundup", words(rng, 200), post, words(rng, 200)),
                "excerpt": page("Quote", words(rng, 150), " ".join(post.split()[:70]), words(rng, 150))}
        out[at] = (f"http://{OWN_HOST}/post-{p}/" if kind == "own" else url,
                   body.get(kind, page(f"Copy {at}", post)), "404 Not Found" if kind == "404" else "200 OK")
    return out
