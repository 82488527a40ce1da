"""A generated two-site fixture for the crash tests: big enough that a crawl
at --delay 0 takes a few seconds, with clusters whose canonical is decided by
published dates (not by fetch order, which a killed-and-resumed crawl changes)."""

from __future__ import annotations

from pathlib import Path

from faultserver import prose

N_POSTS = 90
PER_ARCHIVE = 3
COPY_EVERY = 2  # every second post is republished on the partner site


def _page(title: str, body: str, *, published: str | None = None, head: str = "") -> str:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{meta}{head}</head>'
            '<body><header><nav><a href="/">Home</a> <a href="/about/">About</a></nav></header>'
            f"<main>{body}</main><footer><p>Footer text of the site.</p></footer></body></html>")


def _article(i: int, *, link: bool = False) -> str:
    title = f"Post number {i} about the garden"
    head = f'<a href="/posts/{i}/">{title}</a>' if link else title
    return f"<article><h2>{head}</h2>" + "".join(f"<p>{p}</p>" for p in prose(1000 + i, 260)) + "</article>"


def build(root: Path) -> Path:
    """Write the sites under `root` (blog, partner); returns `root`."""
    blog, partner = root / "blog", root / "partner"
    for i in range(N_POSTS):
        date = f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}"
        _write(blog / "posts" / str(i) / "index.html", _page(f"Post {i}", _article(i), published=date))
        if i % COPY_EVERY == 0:
            _write(partner / "copies" / str(i) / "index.html",
                   _page(f"Republished {i}", _article(i), published="2025-06-01"))
    archives = []
    for a in range(0, N_POSTS, PER_ARCHIVE):
        name = f"tag-{a // PER_ARCHIVE}"
        archives.append(name)
        _write(blog / "tag" / name / "index.html",
               _page(f"Tag {name}", "".join(_article(i, link=True) for i in range(a, min(a + PER_ARCHIVE, N_POSTS)))))
    links = "".join(f'<li><a href="/tag/{n}/">{n}</a></li>' for n in archives)
    links += "".join(f'<li><a href="/posts/{i}/">post {i}</a></li>' for i in range(N_POSTS))
    links += "".join(f'<li><a href="{{{{partner}}}}/copies/{i}/">copy {i}</a></li>'
                     for i in range(0, N_POSTS, COPY_EVERY))
    _write(blog / "index.html", _page("Home", f"<ul>{links}</ul>"))
    _write(blog / "about" / "index.html", _page("About", "<p>About this blog.</p>"))
    _write(partner / "index.html", _page("Partner", "<p>Partner home.</p>"))
    return root


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
