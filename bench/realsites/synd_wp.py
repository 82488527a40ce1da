#!/usr/bin/env python3
"""truth.py with the second syndication scenario known: `synd-wp` = WordPress classic home (wp-classic),
Hugo republisher (repub-hugo), Jekyll copier (copier-jekyll); every other scenario as truth.py has it.

    python synd_wp.py truth --work W --scenario synd-wp
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import truth

SCENARIO = {"synd-wp": ["wp-classic", "repub-hugo", "copier-jekyll"]}

if __name__ == "__main__":
    if sys.argv[1:2] != ["truth"]:
        raise SystemExit(__doc__)
    for name, sites in SCENARIO.items():
        truth.SCENARIOS.setdefault(name, sites)
    sys.argv = [sys.argv[0], *sys.argv[2:]]
    truth.main()
