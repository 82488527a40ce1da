#!/usr/bin/env python3
"""Crawl one scenario with the real `copyhound` CLI, re-crawl it unchanged, and score the report against the truth.

    python score.py --work /tmp/realsites --scenario hugo [--json]

The copyhound command is $COPYHOUND, else `copyhound` on PATH. Scores (truth from truth.py):
- pair precision / recall: URL pairs sharing a cluster (a page holding three posts is in three clusters),
  predicted vs. true; URLs are compared after folding `/index.html`, trailing slashes and `utm_*` params;
  feeds (.xml) are left out, and pairs only a post under 50 words supports are neither required nor wrong;
- canonical: per post of 50+ words shown in full or as an excerpt on another page, the predicted cluster
  sharing most URLs with the true one has the post's own page on its home site as canonical;
- status: per true copy, its status in that cluster equals the one the page's own HTML calls for;
- excerpt recall (excerpts of 60+ words), full recall (posts of 50+ words shown in full), teaser false
  positives (a page showing under 60 words of a post in that post's cluster), duplicate-URL clusters
  (clusters holding one page under two URLs, or made of one page only);
- requests / bytes of the first crawl and of the unchanged re-crawl, from the nginx access logs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from itertools import combinations
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
STATUS_ORDER = ("canonical-ok", "noindex", "self-canonical", "canonical-elsewhere", "missing-canonical")


def fold(url: str) -> str:
    """One page, one key: drop utm_* params, fragment, `index.html` and the trailing slash."""
    u = urlsplit(url)
    path = u.path
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    path = path.rstrip("/") or "/"
    q = urlencode([(k, v) for k, v in parse_qsl(u.query) if not k.startswith("utm_")])
    return urlunsplit((u.scheme, (u.hostname or "") + (f":{u.port}" if u.port else ""), path, q, ""))


def is_feed(url: str) -> bool:
    p = urlsplit(url).path
    return p.endswith((".xml", ".atom", ".rss", "/feed", "/feed/", ".json"))


def want_status(page: dict, url: str, canonical: str) -> str:
    link = page.get("canonical_link")
    if link and fold(link) == fold(canonical):
        return "canonical-ok"
    if page.get("noindex"):
        return "noindex"
    if link and fold(link) == fold(url):
        return "self-canonical"
    if link:
        return "canonical-elsewhere"
    return "missing-canonical"


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def score(report: dict, truth: dict, group_of=None) -> dict:
    """Scores overall and per group (group_of(member) -> name; default: the member's transform)."""
    group_of = group_of or (lambda m: m["transform"])
    pages = {fold(u): p for u, p in truth["pages"].items()}
    pred = []
    feeds = 0
    for c in report["clusters"]:
        urls = [c["canonical"]["url"], *[x["url"] for x in c["copies"]]]
        feeds += sum(1 for u in urls if is_feed(u))
        keep = [u for u in urls if not is_feed(u)]
        folded = [fold(u) for u in keep]
        copies = {fold(x["url"]): x for x in c["copies"] if not is_feed(x["url"])}
        pred.append(
            {
                "canonical": fold(c["canonical"]["url"]),
                "reason": c["canonical"]["reason"],
                "urls": set(folded),
                "copies": copies,
                "raw": keep,
                "dupes": len(folded) - len(set(folded)),
            }
        )
    true_pairs, dontcare = set(), set()
    tclusters = {}
    for pid, t in truth["posts"].items():
        urls = {fold(t["canonical"])} | {fold(u) for u in t["members"]}
        tclusters[pid] = urls
        (dontcare if t["short"] else true_pairs).update(combinations(sorted(urls), 2))
    dontcare -= true_pairs
    pred_pairs = set()
    for c in pred:
        pred_pairs.update(combinations(sorted(c["urls"]), 2))
    pred_pairs -= dontcare
    hit = true_pairs & pred_pairs
    groups: dict[str, dict[str, int]] = {}

    def g(name: str) -> dict[str, int]:
        return groups.setdefault(name, {"copies": 0, "found": 0, "status_ok": 0, "posts": 0, "canonical_ok": 0})

    problems = []
    canon_ok = n_posts = status_ok = n_copies = 0
    exc_found = exc_n = full_found = full_n = teaser_fp = teaser_n = 0
    short_found = short_n = 0
    for pid, t in truth["posts"].items():
        urls = tclusters[pid]
        tc = fold(t["canonical"])
        cands = [c for c in pred if tc in c["urls"]]
        own_missing = not cands
        # The post's own page in no cluster: judge the cluster sharing most of its copies (2+ of them),
        # e.g. one made of the post's excerpts on several listings.
        best = max(cands or pred, key=lambda c: len(urls & c["urls"]), default=None)
        if best is not None and len(urls & best["urls"]) < (2 if own_missing else 1):
            best = None
        if t["short"]:
            short_n += 1
            short_found += bool(best and tc in best["urls"])
            continue
        # A post shown nowhere else (only teasers) is in no cluster, rightly: no canonical to judge.
        judged = bool(t["members"])
        n_posts += judged
        post_groups = {group_of(m) for m in t["members"].values()}
        ok = best is not None and best["canonical"] == tc
        canon_ok += judged and ok
        for name in post_groups:
            g(name)["posts"] += 1
            g(name)["canonical_ok"] += ok
        if judged and not ok:
            why = "own page in no cluster; " if own_missing else ""
            problems.append(
                f"canonical of post {pid} ({t['lang']}, {t['words']}w): want {t['canonical']}, got "
                f"{why}{best and best['canonical']} ({best and best['reason']})"
            )
        for u, m in t["members"].items():
            fu = fold(u)
            gg = g(group_of(m))
            gg["copies"] += 1
            n_copies += 1
            found = best is not None and fu in best["urls"]
            gg["found"] += found
            if m["kind"] == "excerpt":
                exc_n += 1
                exc_found += found
            elif m["kind"] == "full":
                full_n += 1
                full_found += found
            want = want_status(pages[fu], u, t["canonical"])
            got = best["copies"].get(fu, {}).get("status") if best else None
            if found and best["canonical"] == fu:
                got = "(canonical)"
            if got == want:
                status_ok += 1
                gg["status_ok"] += 1
            else:
                problems.append(f"status of post {pid} on {u} ({m['kind']}, {m['words']}w): want {want}, got {got}")
            if not found:
                problems.append(f"missed: post {pid} ({t['words']}w) on {u} ({m['kind']}, {m['words']}w)")
        for u, w in t["teasers"].items():
            teaser_n += 1
            if best is not None and fold(u) in best["urls"]:
                teaser_fp += 1
                problems.append(f"teaser false positive: post {pid} on {u} ({w}w)")
    dup_clusters = [c for c in pred if c["dupes"] or len(c["urls"]) < 2]
    for c in dup_clusters:
        groups_of: dict[str, list[str]] = {}
        for u in c["raw"]:
            groups_of.setdefault(fold(u), []).append(u)
        same = [sorted(v) for v in groups_of.values() if len(v) > 1]
        problems.append(f"duplicate-URL cluster (canonical {c['canonical']}): one page as {same or sorted(c['raw'])}")
    for a, b in sorted(pred_pairs - true_pairs)[:40]:
        problems.append(f"extra pair {a} ~ {b}")
    res = {
        "pair_precision": _ratio(len(hit), len(pred_pairs)),
        "pair_recall": _ratio(len(hit), len(true_pairs)),
        "canonical": _ratio(canon_ok, n_posts),
        "status": _ratio(status_ok, n_copies),
        "excerpt_recall": _ratio(exc_found, exc_n),
        "full_recall": _ratio(full_found, full_n),
        "teaser_fp": teaser_fp,
        "teasers": teaser_n,
        "dup_url_clusters": len(dup_clusters),
        "short_posts_found": f"{short_found}/{short_n}",
        "true_pairs": len(true_pairs),
        "pred_pairs": len(pred_pairs),
        "clusters": len(pred),
        "feed_members": feeds,
        "groups": {
            k: {
                "copies": v["copies"],
                "recall": _ratio(v["found"], v["copies"]),
                "status": _ratio(v["status_ok"], v["copies"]),
                "canonical": _ratio(v["canonical_ok"], v["posts"]),
            }
            for k, v in sorted(groups.items())
        },
        "problems": problems,
    }
    return res


def copyhound_cmd() -> list[str]:
    env = os.environ.get("COPYHOUND")
    if env:
        return env.split()
    exe = shutil.which("copyhound")
    if not exe:
        raise SystemExit("copyhound not found: set $COPYHOUND or put it on PATH")
    return [exe]


def seeds_for(truth: dict, work: Path) -> list[str]:
    """Each site's home page, plus the same pages under other URLs (index.html, utm params, no slash)."""
    sites = json.loads((work / "sites.json").read_text())
    out = []
    for s, base in truth["sites"].items():
        out.append(base)
        first = base.rstrip("/") + sorted(sites[s]["posts"].values())[0]
        out += [base + "index.html", base + "?utm_source=bench&utm_medium=seed", first + "?utm_campaign=x"]
        out.append(first + "index.html" if first.endswith("/") else first.rsplit(".", 1)[0] + ".html?utm_term=y")
        if first.endswith("/"):
            out.append(first.rstrip("/"))
    return out


def crawl(cmd: list[str], seeds: list[str], db: Path, own: str, timeout: int = 900) -> float:
    import time

    t0 = time.monotonic()
    r = subprocess.run(
        [
            *cmd,
            "crawl",
            *seeds,
            "--db",
            str(db),
            "--own-domain",
            own,
            "--host-concurrency",
            "8",
            "--delay",
            "0",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if r.returncode != 0:
        raise SystemExit(f"crawl failed ({r.returncode}): {r.stderr.strip()[-2000:]}")
    return round(time.monotonic() - t0, 1)


def main() -> int:
    sys.path.insert(0, str(HERE))
    import serve

    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=Path("/tmp/realsites"))
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    truth = json.loads((args.work / f"truth-{args.scenario}.json").read_text())
    db = args.work / f"{args.scenario}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    cmd = copyhound_cmd()
    seeds = seeds_for(truth, args.work)
    m0 = serve.mark(args.work)
    t1 = crawl(cmd, seeds, db, truth["own_domain"])
    m1 = serve.mark(args.work)
    rep = subprocess.run(
        [*cmd, "report", "--db", str(db), "--format", "json"], capture_output=True, text=True, timeout=300, check=True
    )
    report = json.loads(rep.stdout)
    (args.work / f"report-{args.scenario}.json").write_text(rep.stdout)
    t2 = crawl(cmd, seeds, db, truth["own_domain"])
    first, second = serve.count(args.work, m0, m1), serve.count(args.work, m1)
    res = score(report, truth)
    res["crawl_seconds"] = [t1, t2]
    sites = list(truth["sites"])
    res["traffic"] = {
        s: {
            "first": {k: first.get(s, {}).get(k) for k in ("requests", "bytes", "statuses")},
            "recrawl": {k: second.get(s, {}).get(k) for k in ("requests", "bytes", "statuses")},
            "recrawl_full_downloads": second.get(s, {}).get("full_downloads", [])[:300],
        }
        for s in sites
    }
    (args.work / f"score-{args.scenario}.json").write_text(json.dumps(res, indent=1))
    if args.json:
        print(json.dumps(res, indent=1))
    else:
        for k, v in res.items():
            if k not in ("problems", "groups", "traffic"):
                print(f"{k:18s} {v}")
        for k, v in res["groups"].items():
            print(f"  {k:28s} {v}")
        for s, v in res["traffic"].items():
            print(f"  traffic {s}: first {v['first']}  recrawl {v['recrawl']}")
        for p in res["problems"][:60]:
            print("  -", p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
