"""`copyhound spark dedupe|hunt WARC... --output DIR`: the dedupe and the hunt on Apache Spark."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from copyhound.errors import InputError


def _files(spark: Any, warcs: Sequence[str]) -> list[str]:
    from copyhound.spark.input import expand

    files = expand(spark, warcs)
    if not files:
        raise InputError(f"no WARC file matches {' '.join(warcs)}")
    return files


def _save_meta(output: str, meta: dict[str, Any]) -> None:
    if "://" not in output:
        Path(output, "job.json").write_text(json.dumps(meta, indent=2))


def run_spark_dedupe(warcs: Sequence[str], output: str, own_domains: Sequence[str], master: str | None,
                     warn: Callable[[str], None]) -> dict[str, Any]:
    from copyhound.spark.job import run_dedupe
    from copyhound.spark.session import get_session

    spark = get_session(master)
    files = _files(spark, warcs)
    stats = run_dedupe(spark, files, output, own_domains)
    for line in stats.problem_lines:
        warn(f"copyhound: {line}")
    meta = {"kind": "dedupe", "files": files, "own_domains": list(own_domains), "stats": stats.as_dict()}
    _save_meta(output, meta)
    return meta


def run_spark_hunt(warcs: Sequence[str], db_path: str, output: str, own_domains: Sequence[str],
                   master: str | None, warn: Callable[[str], None]) -> dict[str, Any]:
    from copyhound.spark.hunt import load_hunt_index, run_hunt
    from copyhound.spark.session import get_session

    index, own = load_hunt_index(db_path, tuple(own_domains))
    spark = get_session(master)
    files = _files(spark, warcs)
    stats = run_hunt(spark, files, output, index)
    for line in stats.problem_lines:
        warn(f"copyhound: {line}")
    meta = {"kind": "hunt", "files": files, "own_domains": list(own), "stats": stats.as_dict()}
    _save_meta(output, meta)
    return meta
