#!/bin/sh
# Main-text extraction quality (the Scrapinghub benchmark's own metric: F1 over
# 4-word shingles, empty pages counted against) and speed (pages per CPU-second)
# of copyhound's `copyhound.dedupe.main_text` beside trafilatura, in the same run, with
# the shared harness (../shared/bench/extraction/score.py, 181 real pages).
#
# Peers go in a throwaway venv, never in the project's dependencies:
#   python3 -m venv /tmp/peers
#   /tmp/peers/bin/pip install trafilatura==2.3.1 lxml_html_clean lxml charset-normalizer
#   /tmp/peers/bin/pip install -e .    # copyhound itself, imported as copyhound.dedupe
#   PY=/tmp/peers/bin/python bench/extraction_bench.sh [--repeat 3] [--worst 10] [...]
# Targets (issue 4): F1 >= 0.965 with no empty page; >= 3x trafilatura's pages/CPU-s.
# The machine is shared and noisy: compare the two rows of one run, not absolute times.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
score=${SCORE:-$here/../shared/bench/extraction/score.py}
PY=${PY:-/tmp/peers/bin/python}
[ -x "$PY" ] || { echo "extraction_bench: no Python at $PY (set PY=, see the header of $0)" >&2; exit 2; }
[ -f "$score" ] || { echo "extraction_bench: no harness at $score (set SCORE=)" >&2; exit 2; }
# copyhound.dedupe:main_text first (the installed package: the checkout's
# own copyhound/ folder would shadow it, so no --sys-path); ratio printed from the JSON the harness writes.
out=$(mktemp "${TMPDIR:-/tmp}/extraction_bench.XXXXXX.json")
trap 'rm -f "$out"' EXIT
"$PY" "$score" copyhound.dedupe:main_text adapters:trafilatura_default --json-out "$out" "$@"
"$PY" - "$out" <<'EOF'
import json, sys
rows = {r["name"]: r for r in json.load(open(sys.argv[1]))["results"]}
ours, peer = rows["main_text"], rows["trafilatura_default"]
speed = ours["timing"]["cpu_pages_per_s"] / peer["timing"]["cpu_pages_per_s"]
print(f"\nF1 {ours['f1']:.3f} vs trafilatura {peer['f1']:.3f} (target >= 0.965), empty pages: {ours['empty']}")
print(f"speed {speed:.1f}x trafilatura's pages per CPU-second (target >= 3x)")
ok = ours["f1"] >= 0.965 and ours["empty"] == 0 and speed >= 3
print("targets met" if ok else "TARGETS NOT MET")
sys.exit(0 if ok else 1)
EOF
