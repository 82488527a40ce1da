#!/usr/bin/env python3
"""Signing speed: documents a second a core, shingling included, beside
datasketch in the same run, and a fingerprint of every signature and shingle
set (issue 17, item 6: 10,000 documents a second a core, bit-identical).

Two corpora, each of documents of a real post's length:
- `generated`: English-like posts of 200-800 words from a Zipf vocabulary,
  as `bench/dedupe_scale.py` writes them (paragraphs of 60 words);
- `multilingual`: the 64 posts of `bench/realsites/posts/posts.json`
  (English, German, Spanish, French, Japanese, Russian), each drawn many times
  with its paragraphs shuffled and a few words changed, as copies are.

Each contestant's time is CPU seconds of this process (`time.process_time`),
best of `--repeat`, so neighbours on a shared machine slow the wall clock but
not the figure. Contestants:
- `copyhound`: `signatures(texts)` (normalise, shingle, sign: the harness entry point);
- `stage`: `signature_states(texts)` (what the dedupe stage calls: unique
  shingles, signature, LSH band keys, samples);
- `datasketch-bulk`: datasketch's `MinHash.bulk` over the same texts, shingled
  in Python (words of the same normalisation, 5-grams joined and encoded,
  datasketch's default sha1 hash), its documented bulk path.

`--fingerprint` prints a sha256 of all signatures and distinct shingle sets:
run it before and after a change to prove the output is identical.

    .venv/bin/python bench/signing_bench.py
    .venv/bin/python bench/signing_bench.py --docs 5000 --repeat 5 --fingerprint
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from copyhound.dedupe.cluster.signing import signature_states
from copyhound.dedupe.match.minhash import signatures
from copyhound.dedupe.match.params import DEFAULT_PARAMS
from copyhound.dedupe.match.shingles import shingle_hashes_batch, split_unique
from copyhound.dedupe.match.text import words

HERE = Path(__file__).resolve().parent
POSTS = HERE / "realsites" / "posts" / "posts.json"


def generated(n: int, seed: int = 7) -> list[str]:
    """Posts of 200-800 Zipf words, paragraphs of 60, sentences of 12 (as dedupe_scale.py)."""
    rng = np.random.default_rng(seed)
    letters = list("abcdefghijklmnopqrstuvwxyz")
    vocab = []
    for i in range(30_000):
        stem = "".join(letters[(i // 26**k) % 26] for k in range(3))
        vocab.append(stem + "".join(rng.choice(letters, int(rng.integers(0, 5)))))
    cdf = np.cumsum(1.0 / np.arange(1, len(vocab) + 1) ** 1.07)
    cdf /= cdf[-1]
    pool = np.array(vocab, dtype=object)
    out = []
    for _ in range(n):
        ws = list(pool[np.searchsorted(cdf, rng.random(int(rng.integers(200, 800))))])
        paras = [" ".join(w + ("." if j % 12 == 11 else "") for j, w in enumerate(ws[i : i + 60]))
                 for i in range(0, len(ws), 60)]
        out.append("\n\n".join(p.capitalize() for p in paras))
    return out


def multilingual(n: int, seed: int = 11) -> list[str]:
    """Copies of the realsites posts (6 languages, Japanese among them): paragraphs shuffled, words edited."""
    bodies = [str(p["body"]).replace("<!--more-->", "") for p in json.loads(POSTS.read_text("utf-8"))]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        paras = [p for p in bodies[i % len(bodies)].split("\n\n") if p.strip()]
        rng.shuffle(paras)
        text = "\n\n".join(paras)
        for _ in range(3):  # a few edits, at character level so CJK text is edited too
            k = rng.randrange(len(text))
            text = text[:k] + rng.choice(["edited ", "編集", "ändert ", "«", "—"]) + text[k + 1 :]
        out.append(text)
    return out


def datasketch_bulk(texts: list[str]) -> np.ndarray:
    from datasketch import MinHash

    size = DEFAULT_PARAMS.shingle_size
    sets = []
    for t in texts:
        w = words(t)
        grams = [" ".join(w[i : i + size]) for i in range(max(len(w) - size + 1, 1))] if w else []
        sets.append([g.encode("utf-8") for g in grams])
    sigs = MinHash.bulk(sets, num_perm=DEFAULT_PARAMS.num_perm, seed=DEFAULT_PARAMS.seed, scheme="affine32")
    return np.stack([m.hashvalues for m in sigs])


def stage(texts: list[str]) -> object:
    return signature_states(texts, DEFAULT_PARAMS)


CONTESTANTS: dict[str, Callable[[list[str]], object]] = {
    "copyhound": signatures,
    "stage": stage,
    "datasketch-bulk": datasketch_bulk,
}


def cpu_seconds(fn: Callable[[list[str]], object], texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn(texts)
        best = min(best, time.process_time() - t)
    return best


def fingerprint(texts: list[str]) -> str:
    """sha256 over every text's signature and its sorted distinct shingle hashes."""
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(signatures(texts), dtype="<u4").tobytes())
    hashes, offsets = shingle_hashes_batch(texts, DEFAULT_PARAMS.shingle_size)
    for u in split_unique(hashes, offsets):
        h.update(len(u).to_bytes(4, "little"))
        h.update(np.asarray(u, dtype="<u4").tobytes())
    for s in signature_states(texts, DEFAULT_PARAMS):
        h.update(s.minhash)
        h.update(s.shingles.to_bytes(4, "little"))
        h.update(np.asarray(s.band_keys, dtype="<i8").tobytes())
        h.update(np.asarray(s.samples, dtype="<u4").tobytes())
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000, help="documents per corpus")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many timed runs")
    ap.add_argument("--contestants", default=",".join(CONTESTANTS))
    ap.add_argument("--fingerprint", action="store_true", help="print a hash of all signatures and shingle sets")
    args = ap.parse_args()
    corpora = {"generated": generated(args.docs), "multilingual": multilingual(args.docs)}
    names = [c for c in args.contestants.split(",") if c]
    unknown = sorted(set(names) - set(CONTESTANTS))
    if unknown:
        raise SystemExit(f"unknown contestant(s) {', '.join(unknown)}; known: {', '.join(CONTESTANTS)}")
    for corpus, texts in corpora.items():
        chars = sum(len(t) for t in texts) / len(texts)
        print(f"{corpus}: {len(texts):,} docs, {chars:,.0f} chars a doc")
        for name in names:
            # datasketch is ~100x slower: time it on a slice so the run stays short
            sample = texts[: max(len(texts) // 10, 1)] if name.startswith("datasketch") else texts
            secs = cpu_seconds(CONTESTANTS[name], sample, args.repeat if sample is texts else 1)
            print(f"  {name:16} {len(sample) / secs:10,.0f} docs/s/core   ({secs:.2f} CPU s for {len(sample):,})")
        if args.fingerprint:
            print(f"  fingerprint {fingerprint(texts)}")


if __name__ == "__main__":
    main()
