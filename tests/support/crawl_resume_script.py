"""A crawl in its own process, for the kill-and-resume test.

    python tests/crawl_resume_script.py DB SEED

Wires the real engine, SqliteFrontier and a simple sink that stores each
page with its frontier update in one transaction. Run it again on the same
DB after a kill and it resumes (run 1 is the only run here).
"""

from __future__ import annotations

import asyncio
import json
import sys

from crawlserver import StoreSink

from copyhound.crawler.engine import run_crawl
from copyhound.crawler.types import CrawlConfig
from copyhound.store import open_db
from copyhound.store.frontier import SqliteFrontier


def main() -> int:
    db_path, seed = sys.argv[1], sys.argv[2]
    db = open_db(db_path)
    frontier = SqliteFrontier(db, 1)
    sink = StoreSink(db, frontier)
    config = CrawlConfig(seeds=(seed,), delay_s=0.0, host_concurrency=4, total_concurrency=8,
                         timeout_s=5.0, allow_private=True)
    stats = asyncio.run(run_crawl(config, frontier, sink))
    print(json.dumps(stats.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
