"""Long fuzz campaigns of the extractor and the URL normaliser (issue 7).

    /tmp/dev/bin/python bench/fuzz_campaign.py [EXAMPLES] [urls|extract|all]

Runs the hypothesis properties of tests/unit/test_fuzz_urls.py and
tests/unit/test_fuzz_extract.py with EXAMPLES examples each (default 50,000),
randomised (a new seed each run), and prints hypothesis' minimal failing
input when one is found. Inputs it finds are added to those test files as
explicit regression examples; the suite itself runs a short derandomised pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"urls": "tests/unit/test_fuzz_urls.py", "extract": "tests/unit/test_fuzz_extract.py"}


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    which = sys.argv[2] if len(sys.argv) > 2 else "all"
    files = list(TARGETS.values()) if which == "all" else [TARGETS[which]]
    env = {**os.environ, "COPYHOUND_FUZZ_EXAMPLES": str(examples)}
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--hypothesis-show-statistics", *files], cwd=ROOT, env=env, check=False)
    print(f"fuzz campaign: {examples} examples per property, {time.monotonic() - t0:.0f} s, exit {proc.returncode}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
