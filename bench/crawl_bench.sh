#!/usr/bin/env bash
# Crawl throughput of copyhound beside the reference httpx crawler and Scrapy,
# in the same run, with the shared harness (../shared/bench/crawl, issue 3).
#
#   bench/crawl_bench.sh                       # 3,000 pages, 3 repeats
#   PAGES=20000 REPEAT=1 bench/crawl_bench.sh  # the memory check (peak RSS at 20k vs 3k)
#   CONTESTANTS=engine,engine-recrawl,ref-httpx bench/crawl_bench.sh
#   PORT=8951 WORKDIR=/tmp/crawlbench-mine bench/crawl_bench.sh   # beside others' benchmarks
#
# Needs: nginx (apt-get install -y nginx; service nginx stop), the peers'
# throwaway venv (python3 -m venv /tmp/crawlenv && /tmp/crawlenv/bin/pip
# install scrapy httpx lxml psutil protego), and copyhound on PATH (the dev
# venv's bin is put first). `engine` / `engine-recrawl` are the crawl engine
# alone (bench/crawl_engine_bench.py: SqliteFrontier + a storing sink, no
# extraction or dedupe), to tell engine cost from pipeline cost.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
SHARED="${SHARED:-$REPO/../shared/bench/crawl}"
PEERS_PY="${PEERS_PY:-/tmp/crawlenv/bin/python}"
DEV_BIN="${DEV_BIN:-/tmp/dev/bin}"
PAGES="${PAGES:-3000}"
REPEAT="${REPEAT:-3}"
WORKDIR="${WORKDIR:-/tmp/crawlbench}"
CONTESTANTS="${CONTESTANTS:-ref-httpx,ref-httpx-recrawl,scrapy,copyhound,copyhound-recrawl,engine,engine-recrawl}"
OUT="${OUT:-$WORKDIR/results-$PAGES}"
# the generated site embeds its port: a run on another port regenerates it, so
# give each port its own WORKDIR when several benchmarks share the machine
PORT="${PORT:-8089}"

mkdir -p "$WORKDIR" "$OUT"
CFILE="$WORKDIR/contestants-copyhound.json"
"$PEERS_PY" - "$SHARED/contestants.json" "$CFILE" "$DEV_BIN/python" "$HERE/crawl_engine_bench.py" <<'PY'
import json, sys
src, dst, py, engine = sys.argv[1:]
c = json.load(open(src))
cmd = f"{py} {engine} {{url}} --db {{outdir}}/engine.db --host-concurrency 16 --delay 0"
c["engine"] = {"cmd": cmd, "notes": "crawl engine + SqliteFrontier + storing sink, no extraction"}
c["engine-recrawl"] = {"cmd": cmd, "warmup": True, "notes": "engine alone, conditional-GET re-crawl"}
json.dump(c, open(dst, "w"), indent=1)
PY
cd "$SHARED"
PATH="$DEV_BIN:$PATH" exec "$PEERS_PY" bench.py --pages "$PAGES" --site "$WORKDIR/site-$PAGES" \
    --contestants-file "$CFILE" --contestants "$CONTESTANTS" --repeat "$REPEAT" \
    --workdir "$WORKDIR" --out "$OUT" --port "$PORT"
