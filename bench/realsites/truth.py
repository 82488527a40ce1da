#!/usr/bin/env python3
"""Ground truth for a scenario, from the engines' own output (never from copyhound).

For every HTML file an engine wrote, which of our posts it shows and how much of each:
the post's text is known exactly (posts.json), so the page shows post P `full` when P's
whole body appears in the page's text, or an `excerpt`/`teaser` of the first N words when
only a prefix does (the engine's summary, first paragraph or `<!--more-->` teaser); the
comparison is on letters and digits only (markup, punctuation, whitespace and the engines'
"…" / "Read more" decorations do not matter). Which page is P's own page comes from the
engine's permalink configuration (build.py, checked against the files written). Each page's
`<link rel=canonical>` and robots meta are read from its HTML.

    python truth.py --work /tmp/realsites --scenario hugo            # one engine alone
    python truth.py --work /tmp/realsites --scenario synd            # hugo home + repub + copier
"""

from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path
from urllib.parse import urljoin

HERE = Path(__file__).resolve().parent
SCENARIOS = {
    "synd": ["hugo", "repub", "copier"],
    "synd-wp": ["wp-classic", "repub-hugo", "copier-jekyll"],  # the roles rotated: WordPress home
}
EXCERPT_MIN = 60  # words: an excerpt of fewer words is a teaser, a copy of nothing
SHORT_POST = 50  # words: shorter posts need not be found
# Languages written without spaces: letters per word. A reader takes in about 500 CJK characters a minute
# against 213-250 English words (Hugo's reading time: 501 vs 213, so 2.35), and Japanese WordPress counts
# excerpts in characters; 2 is the common convention. The generator's 3.9 ("words" are its phrase chunks
# such as 市場のそばで) is not a word count a reader or an engine would use.
CHARS_PER_WORD = {"ja": 2.0}
_TAG = re.compile(r"<[^>]+>")
_DROP = re.compile(r"<(head|script|style|noscript)\b.*?</\1\s*>", re.S | re.I)
_NORM = re.compile(r"[\W_]+")
_LINK = re.compile(r"<link\b[^>]*>", re.I)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([a-zA-Z:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_REFRESH = re.compile(r"http-equiv=[\"']?refresh", re.I)


def norm(text: str) -> str:
    return _NORM.sub("", text.lower())


def attrs(tag: str) -> dict[str, str]:
    return {k.lower(): html.unescape(v.strip("\"'")) for k, v in _ATTR.findall(tag)}


def post_units(p: dict) -> tuple[list[str], float]:
    """Cumulative normalised prefixes of the post body, and words per unit."""
    body = p["body"].replace("<!--more-->", " ").replace("\n> ", "\n")
    if p["lang"] in CHARS_PER_WORD:
        chars = norm(body)
        return [chars[:k] for k in range(len(chars) + 1)], 1 / CHARS_PER_WORD[p["lang"]]
    words = [norm(w) for w in body.split()]
    words = [w for w in words if w]
    acc, out = "", [""]
    for w in words:
        acc += w
        out.append(acc)
    return out, 1.0


def post_words(p: dict, units: tuple[list[str], float]) -> int:
    """The post's length in words: the generator's count, or letters over CHARS_PER_WORD."""
    return round((len(units[0]) - 1) * units[1]) if p["lang"] in CHARS_PER_WORD else p["words"]


def shown(units: list[str], text: str) -> int:
    """Length (in units) of the longest prefix of the post found in the text; 0 when absent."""
    anchor = min(len(units) - 1, 6 if len(units[-1]) > 60 else len(units) - 1)
    if len(units) - 1 > 200 and units[-1] in text:  # fast path: the whole post
        return len(units) - 1
    if units[anchor] not in text:
        return 0
    lo, hi = anchor, len(units) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if units[mid] in text:
            lo = mid
        else:
            hi = mid - 1
    return lo


def page_url(base: str, rel: Path) -> str:
    s = rel.as_posix()
    if s == "index.html":
        return base
    if s.endswith("/index.html"):
        return base + s[: -len("index.html")]
    return base + s


def scan_site(site: str, info: dict, posts: list[dict], units: dict[int, tuple[list[str], float]]) -> dict:
    out = Path(info["out"])
    base = info["base"]
    pages = {}
    for f in sorted(out.rglob("*.html")):
        raw = f.read_text(errors="replace")
        if _REFRESH.search(raw[:2000]) and len(raw) < 3000:
            continue  # an alias page that redirects (Hugo's /page/1/)
        url = page_url(base, f.relative_to(out))
        canon, noindex = None, False
        for t in _LINK.findall(raw):
            a = attrs(t)
            if "canonical" in a.get("rel", "").lower().split() and a.get("href"):
                canon = urljoin(url, a["href"])
                break
        for t in _META.findall(raw):
            a = attrs(t)
            if a.get("name", "").lower() in ("robots", "googlebot") and "noindex" in a.get("content", "").lower():
                noindex = True
        text = norm(html.unescape(_TAG.sub(" ", _DROP.sub(" ", raw))))
        held = {}
        for p in posts:
            u, wpu = units[p["id"]]
            k = shown(u, text)
            if k:
                n = len(u) - 1
                held[p["id"]] = {"full": k == n, "words": post_words(p, (u, wpu)) if k == n else round(k * wpu)}
        pages[url] = {"site": site, "canonical_link": canon, "noindex": noindex, "posts": held}
    return pages


def build_truth(work: Path, scenario: str, posts: list[dict]) -> dict:
    sites_info = json.loads((work / "sites.json").read_text())
    sites = SCENARIOS.get(scenario, [scenario])
    home = sites[0]
    units = {p["id"]: post_units(p) for p in posts}
    pages: dict[str, dict] = {}
    for s in sites:
        pages.update(scan_site(s, sites_info[s], posts, units))
    truth_posts = {}
    for p in posts:
        pid = str(p["id"])
        canonical = sites_info[home]["base"].rstrip("/") + sites_info[home]["posts"][pid]
        own = {
            sites_info[s]["base"].rstrip("/") + sites_info[s]["posts"][pid]: s
            for s in sites
            if pid in sites_info[s]["posts"]
        }
        members, teasers = {}, {}
        for url, pg in pages.items():
            h = pg["posts"].get(p["id"])
            if not h:
                continue
            site = pg["site"]
            if url == canonical:
                continue
            if url in own:
                kind, transform = "copy", sites_info[site]["transforms"].get(pid, "copy")
            elif h["full"]:
                kind, transform = "full", f"{site}-archive-full"
            elif h["words"] >= EXCERPT_MIN:
                kind, transform = "excerpt", f"{site}-archive-excerpt"
            else:
                teasers[url] = h["words"]
                continue
            members[url] = {"kind": kind, "words": h["words"], "site": site, "transform": transform}
        if canonical not in pages or not pages[canonical]["posts"].get(p["id"], {}).get("full"):
            raise SystemExit(f"post {pid}: its own page {canonical} does not show it in full")
        truth_posts[pid] = {
            "words": post_words(p, units[p["id"]]),
            "lang": p["lang"],
            "canonical": canonical,
            "short": post_words(p, units[p["id"]]) < SHORT_POST,
            "members": members,
            "teasers": teasers,
        }
    return {
        "scenario": scenario,
        "sites": {s: sites_info[s]["base"] for s in sites},
        "home": home,
        "own_domain": sites_info[home]["base"].split("//")[1].split("/")[0].split(":")[0],
        "posts": truth_posts,
        "pages": {
            u: {k: v for k, v in pg.items() if k != "posts"} | {"n_posts": len(pg["posts"])} for u, pg in pages.items()
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=Path("/tmp/realsites"))
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--posts", type=Path, default=HERE / "posts" / "posts.json")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    posts = json.loads(args.posts.read_text())
    t = build_truth(args.work, args.scenario, posts)
    out = args.out or args.work / f"truth-{args.scenario}.json"
    out.write_text(json.dumps(t, indent=1, ensure_ascii=False))
    kinds: dict[str, int] = {}
    for p in t["posts"].values():
        for m in p["members"].values():
            kinds[m["transform"]] = kinds.get(m["transform"], 0) + 1
        kinds["teaser"] = kinds.get("teaser", 0) + len(p["teasers"])
    print(f"truth {args.scenario}: {len(t['pages'])} pages, {len(t['posts'])} posts; {kinds}")


if __name__ == "__main__":
    main()
