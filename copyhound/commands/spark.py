"""`copyhound spark dedupe WARC... --output DIR`: the dedupe on Apache Spark."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from copyhound.errors import InputError


def run_spark_dedupe(warcs: Sequence[str], output: str, own_domains: Sequence[str], master: str | None) -> dict:
    from copyhound.spark.job import expand, run_dedupe
    from copyhound.spark.session import get_session

    spark = get_session(master)
    files = expand(spark, warcs)
    if not files:
        raise InputError(f"no WARC file matches {' '.join(warcs)}")
    stats = run_dedupe(spark, files, output, own_domains)
    meta = {"files": files, "own_domains": list(own_domains), "stats": stats.as_dict()}
    if "://" not in output:
        Path(output, "job.json").write_text(json.dumps(meta, indent=2))
    return meta
