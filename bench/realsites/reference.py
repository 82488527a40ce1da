#!/usr/bin/env python3
"""The reference crawler's traffic beside copyhound's: GNU wget mirroring a served site, first crawl and an
unchanged re-crawl (`--timestamping`: If-Modified-Since from the saved files' times), counted from the same
nginx access logs as score.py counts copyhound's.

    python reference.py --work W --site wp-tt3 [--site wp-classic]    # prints requests/bytes/statuses per crawl

wget follows every same-host link (robots.txt honoured), reads no sitemap and no feed it is not linked to,
and keeps its files under WORK/reference/<site>/; the numbers land in WORK/reference-<site>.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
# WordPress's machine endpoints and query variants wget would otherwise walk for ever (?replytocom, ?share...).
REJECT = r"(/wp-json/|/xmlrpc\.php|/wp-login\.php|\?)"


def wget(base: str, dest: Path, timeout: int = 900) -> None:
    cmd = [
        "wget", "--recursive", "--level=inf", "--no-parent", "--timestamping", "--no-verbose",
        "--execute", "robots=on", f"--reject-regex={REJECT}", "--directory-prefix", str(dest),
        "--no-host-directories", base,
    ]  # fmt: skip
    subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)  # exit 8 on any 404 is normal


def measure(work: Path, site: str) -> dict[str, dict[str, object]]:
    sys.path.insert(0, str(HERE))
    import serve

    base = json.loads((work / "sites.json").read_text())[site]["base"]
    dest = work / "reference" / site
    if dest.exists():
        shutil.rmtree(dest)
    out: dict[str, dict[str, object]] = {}
    for crawl in ("first", "recrawl"):
        m0 = serve.mark(work)
        wget(base, dest)
        got = serve.count(work, m0).get(site, {})
        out[crawl] = {k: got.get(k) for k in ("requests", "bytes", "statuses")}
    (work / f"reference-{site}.json").write_text(json.dumps(out, indent=1))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=Path("/tmp/realsites"))
    ap.add_argument("--site", action="append", required=True)
    args = ap.parse_args()
    for site in args.site:
        res = measure(args.work.resolve(), site)
        host = urlsplit(json.loads((args.work / "sites.json").read_text())[site]["base"]).netloc
        for crawl, v in res.items():
            print(f"wget {site} ({host}) {crawl}: {v}")


if __name__ == "__main__":
    main()
