#!/bin/sh
# MinHash signature speed, estimator error and LSH recall of copyhound's
# `copyhound.dedupe.signatures` against datasketch (update, update_batch, bulk), rensa and
# plain numpy, in the same run, with the shared harness (../shared/bench/minhash).
#
# Peers go in a throwaway venv, never in the project's dependencies:
#   python3 -m venv /tmp/mh && /tmp/mh/bin/pip install numpy scipy datasketch rensa xxhash mmh3
#   /tmp/mh/bin/pip install -e .    # copyhound itself, imported as copyhound.dedupe
#   PY=/tmp/mh/bin/python bench/minhash.sh [extra harness options]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
harness=${HARNESS:-$here/../shared/bench/minhash/minhash_bench.py}
PY=${PY:-python3}
exec "$PY" "$harness" --contestant ours=copyhound.dedupe:signatures "$@"
