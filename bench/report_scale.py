"""Report formats at scale: seconds to the first byte, seconds in all and
peak RSS of `copyhound report` for each format on a generated database.

    .venv/bin/python bench/report_scale.py --copies 1000000 --formats jsonl,csv
    .venv/bin/python bench/report_scale.py --copies 45000 --formats json,csv,jsonl,html,table

The database is generated once per size under /tmp (clusters of 10 copies,
statuses and hosts mixed as a real site's are) and reused. Each report runs
in its own process writing to a pipe (stdout, as `report ... | head` does): the
first byte read from it is when the report started writing; peak RSS is that
child's ru_maxrss (os.wait4). Issue 17: jsonl and csv start in < 5 s at 10^6.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from copyhound.store import open_db

STATUSES = ("missing-canonical", "self-canonical", "canonical-ok", "noindex", "canonical-elsewhere")
RELATIONS = ("exact", "near", "contains", "excerpt")
COPIES_PER_CLUSTER = 10


VOCAB_SEED = 16
WORDS_PER_PARAGRAPH = 60
PARAGRAPHS_PER_POST = 5  # 300 words a post, about 2 KB of text


def _paragraphs(rng: random.Random, n: int) -> list[str]:
    """A pool of English-like paragraphs (Zipf-ish word frequencies), so texts compress as real ones do."""
    syll = ["ka", "lo", "mi", "ne", "ro", "su", "ta", "vi", "de", "po", "ra", "sin", "tor", "mel", "and", "the"]
    vocab = ["".join(rng.choice(syll) for _ in range(rng.randint(1, 4))) for _ in range(6000)]
    weights = [1 / (r + 1) for r in range(len(vocab))]
    out = []
    for _ in range(n):
        words = rng.choices(vocab, weights, k=WORDS_PER_PARAGRAPH)
        out.append(" ".join(words).capitalize() + ".")
    return out


def _post_text(rng: random.Random, pool: list[str]) -> str:
    return "\n\n".join(rng.choice(pool) for _ in range(PARAGRAPHS_PER_POST))


def _copy_text(rng: random.Random, canonical: str, relation: str) -> str:
    """What a copy holds: the same text (exact), a lightly edited one (near), a part (excerpt, contains)."""
    if relation == "exact":
        return canonical
    if relation == "excerpt":
        return canonical.split("\n\n")[0]
    words = canonical.split(" ")
    if relation == "near":
        for _ in range(8):
            words[rng.randrange(len(words))] = "edited"
        return " ".join(words)
    return "Reposted from the original blog.\n\n" + canonical + "\n\nShare this post."


def generate(path: Path, copies: int, posts: int) -> None:
    """`posts` posts of a few hundred words; clusters of 10 copies, copies sharing their canonical's text."""
    rng = random.Random(VOCAB_SEED)
    pool = _paragraphs(rng, 3000)
    db = open_db(path)
    clusters = copies // COPIES_PER_CLUSTER
    n_copies = clusters * COPIES_PER_CLUSTER
    canon_text: dict[int, str] = {}
    members: list[dict[str, object]] = []
    for i in range(n_copies):
        relation = rng.choice(RELATIONS)
        members.append({"cluster_id": f"c{i // COPIES_PER_CLUSTER:08d}", "post_id": clusters + i + 1,
                        "page_id": clusters + i + 1, "url": f"https://host{i % 97}.example/tag/t{i % 13}/{i}/",
                        "relation": relation, "similarity": round(rng.random(), 4),
                        "containment": round(rng.random(), 4), "canonical_link": None, "robots_noindex": 0,
                        "links_to_canonical": rng.random() < 0.3, "status": rng.choice(STATUSES)})

    def pages_and_posts() -> Iterator[tuple[dict[str, object], dict[str, object]]]:
        for pid in range(1, max(posts, clusters + n_copies) + 1):
            if pid <= clusters:
                url = f"https://blog.example/{pid - 1}/"
                text = canon_text.setdefault(pid, _post_text(rng, pool))
            elif pid <= clusters + n_copies:
                m = members[pid - clusters - 1]
                url = str(m["url"])
                cluster = (pid - clusters - 1) // COPIES_PER_CLUSTER + 1
                text = _copy_text(rng, canon_text[cluster], str(m["relation"]))
            else:
                url, text = f"https://blog.example/other/{pid}/", _post_text(rng, pool)
            host = url.split("/")[2]
            yield ({"id": pid, "url": url, "host": host, "first_seen": "2024-01-01T00:00:00Z"},
                   {"id": pid, "page_id": pid, "ordinal": 0, "title": f"Post number {pid}", "text": text,
                    "text_hash": f"h{hash(text) & 0xFFFFFFFFFFFF:x}", "words": text.count(" ") + 1})

    with db.atomic():
        batch: list[tuple[dict[str, object], dict[str, object]]] = []
        for row in pages_and_posts():
            batch.append(row)
            if len(batch) == 5_000:
                db["pages"].insert_all([p for p, _ in batch])
                db["posts"].insert_all([q for _, q in batch])
                batch = []
        db["pages"].insert_all([p for p, _ in batch])
        db["posts"].insert_all([q for _, q in batch])
        db["clusters"].insert_all(
            ({"id": f"c{i:08d}", "canonical_post_id": i + 1, "canonical_page_id": i + 1,
              "canonical_url": f"https://blog.example/{i}/", "title": f"Post number {i + 1}",
              "published": "2024-01-01", "reason": "own-domain"} for i in range(clusters)),
            batch_size=5_000,
        )
        db["cluster_members"].insert_all(members, batch_size=5_000)
    db.conn.close()


def measure(db: Path, fmt: str) -> tuple[float, float, float, int]:
    """(seconds to the first byte on stdout, seconds in all, peak RSS MB, bytes) of one report."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "copyhound.cli", "report", "--db", str(db), "--format", fmt],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(1)
    ttfb = time.perf_counter() - t
    size = len(first)
    while chunk := proc.stdout.read(1 << 20):
        size += len(chunk)
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"report --format {fmt} failed: {err.strip()}")
    return ttfb, secs, usage.ru_maxrss / 1024, size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=1_000_000)
    ap.add_argument("--posts", type=int, default=0, help="posts with texts (default: one per copy and canonical)")
    ap.add_argument("--formats", default="jsonl,csv")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    db = Path(f"/tmp/copyhound-report-scale-{args.copies}-{args.posts}-texts.db")
    if args.one:
        ttfb, secs, rss, size = measure(db, args.one)
        print(f"{args.one:6} {args.copies:>9,} copies  first byte {ttfb:6.1f} s  all {secs:6.1f} s  "
              f"peak RSS {rss:7.0f} MB  output {size / 1e6:7.1f} MB", flush=True)
        return
    if not db.exists():
        t = time.perf_counter()
        generate(db, args.copies, args.posts)
        print(f"generated {db} ({args.copies:,} copies) in {time.perf_counter() - t:.0f} s", flush=True)
    for fmt in args.formats.split(","):
        subprocess.run([sys.executable, __file__, "--copies", str(args.copies), "--posts", str(args.posts),
                        "--one", fmt], check=True)


if __name__ == "__main__":
    main()
