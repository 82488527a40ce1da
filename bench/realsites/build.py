#!/usr/bin/env python3
"""Publish bench/realsites/posts/posts.json with real engines; each site's output lands in WORK/out/<site>/.

    python build.py --work /tmp/realsites [--posts posts.json] [--only hugo,jekyll] [--base-ip 127.0.0.]

Sites (each on its own loopback IP, port 80 under nginx; see serve.py):
  hugo    127.0.0.11  Hugo (Debian), layouts in engines/hugo: home/authors = summaries, categories/months = full,
                      tags = titles; the posts' home site in the syndication scenario
  jekyll  127.0.0.12  Jekyll (Debian) + minima (stock, show_excerpts) + jekyll-archives/feed/sitemap/seo-tag
  pelican 127.0.0.13  Pelican (PyPI) + notmyidea (stock)
  nikola  127.0.0.14  Nikola (PyPI) + bootblog4 (stock)
  hexo    127.0.0.15  Hexo (npm) + landscape (stock)
  repub   127.0.0.22  Jekyll republisher of a subset: rel=canonical back / noindex / attribution link only
  copier  127.0.0.23  Pelican copier of a subset: no canonical / earlier datePublished
  repub-hugo    127.0.0.24  Hugo republisher of wp-classic's posts (start WordPress first: wordpress.py start)
  copier-jekyll 127.0.0.25  Jekyll copier (our layouts) of wp-classic's posts: no canonical / dated 40 days earlier
  (wp-tt3 127.0.0.16 and wp-classic 127.0.0.17: WordPress, see wordpress.py)
Engines' tools: hugo and jekyll on PATH; pelican and nikola in $RS_PYENV (a throwaway venv); hexo in $RS_HEXO.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = HERE / "engines"
SITES = {
    "hugo": 11,
    "jekyll": 12,
    "pelican": 13,
    "nikola": 14,
    "hexo": 15,
    "repub": 22,
    "copier": 23,
    "repub-hugo": 24,
    "copier-jekyll": 25,
}
PYENV = Path(os.environ.get("RS_PYENV", "/tmp/rs-engines"))
HEXO = Path(os.environ.get("RS_HEXO", "/tmp/rs-hexo"))


def base_url(site: str, port: int | None = None) -> str:
    return f"http://127.0.0.{SITES[site]}" + (f":{port}" if port else "") + "/"


def run(cmd: list[str], cwd: Path, timeout: int = 600) -> None:
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def front(meta: dict) -> str:
    """YAML front matter written as JSON (a YAML subset every engine's YAML parser reads)."""
    return "---\n" + json.dumps(meta, ensure_ascii=False) + "\n---\n\n"


def day(p: dict, shift_days: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(p["date"]) - dt.timedelta(days=shift_days)


# Each builder returns {post id: permalink path} taken from the engine's own configuration
# (checked against the files it wrote).


def _republished(p: dict, t: str, orig: str, link: str) -> tuple[dict, str]:
    """A republisher's front matter and body: rel=canonical back / noindex / only the attribution link."""
    extra = {"transform": t, "original_url": orig}
    if t == "canonical":
        extra["canonical_url"] = orig
    elif t == "noindex":
        extra["robots"] = "noindex,follow"
    return extra, p["body"] + f"\n\n*Originally published at {link}.*\n"


def build_hugo(
    posts: list[dict], work: Path, base: str, site: str = "hugo", plan: dict | None = None, home: str = ""
) -> dict[int, str]:
    src = fresh(work / "src" / site)
    shutil.copytree(ENGINES / "hugo", src, dirs_exist_ok=True)
    if plan is not None:
        cfg = src / "config.toml"
        cfg.write_text(cfg.read_text().replace('"Hugo Harbor Notes"', '"Hugo Partner Weekly (republished)"'))
    (src / "content" / "posts").mkdir(parents=True)
    for p in posts:
        d = day(p)
        extra, body = {}, p["body"]
        if plan is not None:  # goldmark drops raw HTML: the attribution is a Markdown link
            orig = home + p["home_path"]
            extra, body = _republished(p, plan[p["id"]], orig, f"[{orig}]({orig})")
        meta = {
            "title": p["title"],
            "date": p["date"],
            "slug": p["slug"],
            "categories": p["categories"],
            "tags": p["tags"],
            "authors": [p["author_name"]],
            "months": [d.strftime("%Y-%m")],
            **extra,
        }
        (src / "content" / "posts" / f"{p['slug']}.md").write_text(front(meta) + body)
    out = work / "out" / site
    run(["hugo", "--quiet", "--baseURL", base, "--destination", str(out), "--cleanDestinationDir"], src)
    return {p["id"]: f"/{day(p):%Y/%m}/{p['slug']}/" for p in posts}


def _jekyll_post(p: dict, extra: dict | None = None, body: str | None = None, shift: int = 0) -> tuple[str, str]:
    d = day(p, shift)
    meta = {
        "title": p["title"],
        "date": d.strftime("%Y-%m-%d %H:%M:%S %z"),
        "categories": p["categories"],
        "tags": p["tags"],
        "author": p["author_name"],
        **(extra or {}),
    }
    if "<!--more-->" in p["body"]:
        meta["excerpt_separator"] = "<!--more-->"
    return f"{d:%Y-%m-%d}-{p['slug']}.md", front(meta) + (body or p["body"])


def build_jekyll(
    posts: list[dict],
    work: Path,
    base: str,
    site: str = "jekyll",
    plan: dict | None = None,
    home: str = "",
    engine: str | None = None,
) -> dict[int, str]:
    """Jekyll; with a plan, our own layouts (engines/repub): a republisher (transforms canonical / noindex /
    attribution) or a copier (no-canonical: 20 days later; earlier-date: dated 40 days before the original)."""
    src = fresh(work / "src" / site)
    shutil.copytree(ENGINES / (engine or site), src, dirs_exist_ok=True)
    (src / "_posts").mkdir(exist_ok=True)
    conf = (src / "_config.yml").read_text().replace("@BASE@", base.rstrip("/"))
    if site.startswith("copier"):
        conf = conf.replace("Partner Weekly (republished)", "Mirror Weekly")
    (src / "_config.yml").write_text(conf)
    links = {}
    for p in posts:
        extra, body, shift = {}, None, 0
        if plan is not None and site.startswith("copier"):
            t = plan[p["id"]]
            extra, shift = {"transform": t}, 40 if t == "earlier-date" else -20
        elif plan is not None:
            orig = home + p["home_path"]
            extra, body = _republished(p, plan[p["id"]], orig, f'<a href="{orig}">{orig}</a>')
        name, text = _jekyll_post(p, extra, body, shift)
        (src / "_posts" / name).write_text(text)
        cat = p["categories"][0]
        links[p["id"]] = f"/{cat}/{day(p, shift):%Y/%m/%d}/{p['slug']}.html"
    out = work / "out" / site
    run(["jekyll", "build", "--quiet", "--source", str(src), "--destination", str(out)], src)
    return links


def build_pelican(
    posts: list[dict], work: Path, base: str, site: str = "pelican", plan: dict | None = None, home: str = ""
) -> dict[int, str]:
    src = fresh(work / "src" / site)
    shutil.copytree(ENGINES / site, src, dirs_exist_ok=True)
    (src / "content").mkdir(exist_ok=True)
    for p in posts:
        shift = 0
        extra = ""
        if plan is not None:  # the copy claims to be 40 days older than the original, or is 20 days newer
            shift = 40 if plan[p["id"]] == "earlier-date" else -20
        d = day(p, shift)
        if plan is not None:
            extra = f"Transform: {plan[p['id']]}\n"
        body = p["body"].replace("<!--more-->", "")
        meta = (
            f"Title: {p['title']}\nDate: {d:%Y-%m-%d %H:%M}\nSlug: {p['slug']}\nCategory: {p['categories'][0]}\n"
            f"Tags: {', '.join(p['tags'])}\nAuthor: {p['author_name']}\nLang: en\n{extra}"
        )
        (src / "content" / f"{p['slug']}.md").write_text(meta + "\n" + body)
    out = work / "out" / site
    run(
        [
            str(PYENV / "bin" / "pelican"),
            "content",
            "-s",
            "pelicanconf.py",
            "-o",
            str(out),
            "--delete-output-directory",
            "-e",
            f'SITEURL="{base.rstrip("/")}"',
        ],
        src,
    )
    return {p["id"]: f"/{p['slug']}.html" for p in posts}


def build_nikola(posts: list[dict], work: Path, base: str) -> dict[int, str]:
    src = work / "src" / "nikola"
    if src.exists():
        shutil.rmtree(src)
    src.parent.mkdir(parents=True, exist_ok=True)
    run([str(PYENV / "bin" / "nikola"), "init", "-q", str(src)], src.parent)
    conf = (src / "conf.py").read_text() + (ENGINES / "nikola" / "conf_overrides.py").read_text().replace(
        "@BASE@", base
    )
    (src / "conf.py").write_text(conf)
    (src / "posts").mkdir(exist_ok=True)
    for p in posts:
        d = day(p)
        body = p["body"].replace("<!--more-->", "<!-- TEASER_END -->")
        meta = (
            f"<!--\n.. title: {p['title']}\n.. slug: {p['slug']}\n.. date: {d:%Y-%m-%d %H:%M:%S} UTC\n"
            f".. tags: {', '.join(p['tags'])}\n.. category: {p['categories'][0]}\n.. author: {p['author_name']}\n"
            f".. type: text\n-->\n\n"
        )
        (src / "posts" / f"{p['slug']}.md").write_text(meta + body)
    out = work / "out" / "nikola"
    if out.exists():
        shutil.rmtree(out)
    run([str(PYENV / "bin" / "nikola"), "build"], src, timeout=900)
    shutil.copytree(src / "output", out)
    return {p["id"]: f"/posts/{p['slug']}/" for p in posts}


def build_hexo(posts: list[dict], work: Path, base: str) -> dict[int, str]:
    src = work / "src" / "hexo"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(ENGINES / "hexo", src)
    (src / "node_modules").symlink_to(HEXO / "node_modules")
    shutil.copy(HEXO / "package.json", src / "package.json")
    (src / "_config.yml").write_text((src / "_config.yml").read_text().replace("@BASE@", base.rstrip("/")))
    (src / "source" / "_posts").mkdir(parents=True)
    for p in posts:
        d = day(p)
        meta = {
            "title": p["title"],
            "date": d.strftime("%Y-%m-%d %H:%M:%S"),
            "categories": p["categories"],
            "tags": p["tags"],
            "author": p["author_name"],
        }
        (src / "source" / "_posts" / f"{p['slug']}.md").write_text(front(meta) + p["body"])
    run([str(HEXO / "node_modules" / ".bin" / "hexo"), "generate", "--silent"], src, timeout=900)
    out = work / "out" / "hexo"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(src / "public", out)
    return {p["id"]: f"/{day(p):%Y/%m/%d}/{p['slug']}/" for p in posts}


# Syndication partners: site -> (home site, role in syndication.json, builder, builder options). `synd`: Hugo is
# home, Jekyll republishes, Pelican copies; `synd-wp`: WordPress classic is home, Hugo republishes, Jekyll copies.
PARTNERS = {
    "repub": ("hugo", "republisher", build_jekyll, {}),
    "copier": ("hugo", "copier", build_pelican, {}),
    "repub-hugo": ("wp-classic", "republisher", build_hugo, {}),
    "copier-jekyll": ("wp-classic", "copier", build_jekyll, {"engine": "repub"}),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=Path("/tmp/realsites"))
    ap.add_argument("--posts", type=Path, default=HERE / "posts" / "posts.json")
    ap.add_argument("--plan", type=Path, default=HERE / "posts" / "syndication.json")
    ap.add_argument("--only", default="hugo,jekyll,pelican,nikola,hexo,repub,copier")
    ap.add_argument("--port", type=int, default=None, help="port in the sites' base URLs (default 80)")
    ap.add_argument("--base", help="base URL of the (single) site built, instead of its 127.0.0.N one")
    args = ap.parse_args()
    posts = json.loads(args.posts.read_text())
    plan = json.loads(args.plan.read_text())
    only = args.only.split(",")
    manifest_path = args.work / "sites.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    builders = {
        "hugo": build_hugo,
        "jekyll": build_jekyll,
        "pelican": build_pelican,
        "nikola": build_nikola,
        "hexo": build_hexo,
    }
    for site in only:
        base = args.base or base_url(site, args.port)
        if site in builders:
            links = builders[site](posts, args.work, base)
            manifest[site] = {
                "base": base,
                "out": str(args.work / "out" / site),
                "posts": {str(k): v for k, v in links.items()},
                "home": site,
                "transforms": {},
            }
        else:  # syndication partners: subsets of the posts, each post's home on another engine's site
            home_site, role, fn, extra = PARTNERS[site]
            if home_site not in manifest:
                raise SystemExit(f"{site}: build (or, for WordPress, start) its home site {home_site} first")
            home = manifest[home_site]
            which = {pid: t for t, ids in plan[role].items() for pid in ids}
            subset = [dict(p, home_path=home["posts"][str(p["id"])]) for p in posts if p["id"] in which]
            links = fn(subset, args.work, base, site=site, plan=which, home=home["base"].rstrip("/"), **extra)
            manifest[site] = {
                "base": base,
                "out": str(args.work / "out" / site),
                "posts": {str(k): v for k, v in links.items()},
                "home": home_site,
                "transforms": {str(k): v for k, v in which.items()},
            }
        out = Path(manifest[site]["out"])
        missing = [
            v
            for v in manifest[site]["posts"].values()
            if not (out / v.lstrip("/")).is_file() and not (out / v.lstrip("/") / "index.html").is_file()
        ]
        if missing:
            raise SystemExit(f"{site}: permalinks not in the output: {missing[:5]}")
        n = sum(1 for _ in out.rglob("*.html"))
        print(f"built {site:8s} {base}  {n} html files")
        manifest_path.write_text(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main()
