#!/usr/bin/env python3
"""Build the extraction development set (issue 15) in the shared harness's format:

    DATA/ground-truth.json   {key: {"url", "articleBody", "lang", "source"}}
    DATA/html/<key>.html.gz

Two halves, both with gold text we can defend:
  * engine post pages: our own posts (bench/realsites/posts/posts.json) as real
    engines published them (Hugo, Jekyll+minima, Pelican+notmyidea,
    Nikola+bootblog4, Hexo+landscape, WordPress tt3 and classic); gold = the
    post's body. Needs a bench/realsites build (WORK/sites.json, WORK/out/).
  * shapes.py: page shapes written here (comments, tables, <br> text, <noscript>
    only ...) around the same posts in six languages.

    python bench/extraction_dev/build.py --realsites /tmp/realsites --out bench/extraction_dev/data
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from shapes import SHAPES, Ctx  # noqa: E402

POSTS = HERE.parent / "realsites" / "posts" / "posts.json"
ENGINES = ("hugo", "jekyll", "pelican", "nikola", "hexo", "wp-tt3", "wp-classic")
LANGS = ("en", "de", "fr", "es", "ru", "ja")
PER_ENGINE_STRIDE = 4  # a quarter of the 64 posts per engine, a different quarter each
SHAPE_PARAS = 6  # paragraphs of a post used in a shape page


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.replace("<!--more-->", "").split("\n\n") if p.strip()]


def engine_pages(work: Path, posts: dict[int, dict]) -> dict[str, tuple[str, dict]]:
    sites = json.loads((work / "sites.json").read_text("utf8"))
    out: dict[str, tuple[str, dict]] = {}
    for n, site in enumerate(ENGINES):
        if site not in sites:
            print(f"build: {site} missing from {work}/sites.json, skipped", file=sys.stderr)
            continue
        info = sites[site]
        for pid, path in sorted(info["posts"].items(), key=lambda kv: int(kv[0])):
            if (int(pid) + n) % PER_ENGINE_STRIDE:
                continue
            file = Path(info["out"]) / path.lstrip("/")
            file = file / "index.html" if path.endswith("/") else file
            post = posts[int(pid)]
            gold = "\n\n".join(paragraphs(post["body"]))
            key = f"{site}-{int(pid):02d}-{post['lang']}"
            out[key] = (
                file.read_text("utf8"),
                {"url": info["base"].rstrip("/") + path, "articleBody": gold, "lang": post["lang"], "source": site},
            )
    return out


def shape_pages(posts: dict[int, dict]) -> dict[str, tuple[str, dict]]:
    by_lang = {
        lang: [p for p in posts.values() if p["lang"] == lang and len(paragraphs(p["body"])) >= 3] for lang in LANGS
    }
    out: dict[str, tuple[str, dict]] = {}
    for s, (name, shape) in enumerate(SHAPES.items()):
        for lang in LANGS:
            pool = by_lang[lang]
            post = pool[s % len(pool)]
            other = [q for p in pool if p is not post for q in paragraphs(p["body"])]
            ctx = Ctx(lang=lang, title=post["title"], paras=paragraphs(post["body"])[:SHAPE_PARAS], other=other)
            html, gold = shape(ctx)
            key = f"shape-{name}-{lang}"
            out[key] = (
                html,
                {
                    "url": f"http://127.0.0.1/{name}/{lang}/",
                    "articleBody": "\n\n".join(gold),
                    "lang": lang,
                    "source": f"shape-{name}",
                },
            )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--realsites", type=Path, default=Path("/tmp/realsites"), help="bench/realsites work dir (sites.json, out/)"
    )
    ap.add_argument("--out", type=Path, default=HERE / "data")
    args = ap.parse_args()
    posts = {p["id"]: p for p in json.loads(POSTS.read_text("utf8"))}
    if not (args.realsites / "sites.json").is_file():
        print(f"build: no {args.realsites}/sites.json (run bench/realsites/run.sh first)", file=sys.stderr)
        return 2
    pages = engine_pages(args.realsites, posts) | shape_pages(posts)
    (args.out / "html").mkdir(parents=True, exist_ok=True)
    truth = {}
    for key, (html, gt) in sorted(pages.items()):
        with gzip.GzipFile(args.out / "html" / f"{key}.html.gz", "wb", mtime=0) as f:
            f.write(html.encode("utf8"))
        truth[key] = gt
    (args.out / "ground-truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf8"
    )
    print(f"build: {len(truth)} pages in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
