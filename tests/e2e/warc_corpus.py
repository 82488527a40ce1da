"""A generated WARC corpus for the WARC e2e tests: posts, their copies on other hosts, and noise."""

from __future__ import annotations

import io
import random
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Letter words: normalisation drops digits, so "w123" words would all read "w".
_WORDS = ["".join(chr(97 + (i // 26**k) % 26) for k in range(4)) for i in range(5000)]


def post_text(rng: random.Random, words: int = 160) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def page_html(title: str, text: str, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<html><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1>"
            f"<p>{text}</p></article></body></html>").encode()


def write_corpus(path: Path, *, posts: int, copies_every: int = 3, seed: int = 7) -> None:
    """`posts` pages on own.test; every `copies_every`-th also copied on copy.test."""
    rng = random.Random(seed)
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        for i in range(posts):
            text = post_text(rng)
            write_page(writer, f"http://own.test/post-{i}/", page_html(f"Post {i}", text))
            if i % copies_every == 0:
                write_page(writer, f"http://copy.test/p/{i}", page_html(f"Copy {i}", text))


def write_page(writer: WARCWriter, url: str, body: bytes) -> None:
    head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                       ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=head))
