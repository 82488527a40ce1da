"""The Spark session: local mode by default, a cluster with `--master URL`
(or whatever `spark-submit` set up). PySpark is the optional extra
`copyhound[spark]`; without it, `SparkMissing` says how to get it."""

from __future__ import annotations

import os
import sys
from typing import Any

from copyhound.errors import InputError

LOCAL_MASTER = "local[2,4]"  # two cores; a failed task is tried up to four times


class SparkMissing(InputError):
    pass


def get_session(master: str | None = None, app: str = "copyhound") -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkMissing("PySpark is not installed: pip install 'copyhound[spark]' (and a Java 17 runtime)") from None
    # executors run this interpreter (the one copyhound is installed in), not whatever `python3` is first on PATH
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    active = SparkSession.getActiveSession()
    if master is not None or active is None:
        builder = builder.master(master or LOCAL_MASTER)
    # tasks that die (an executor killed) are retried: four attempts, Spark's cluster default, locally too
    builder = (builder.config("spark.task.maxFailures", "4")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               # small shuffles locally: every partition is a Python worker round trip
               .config("spark.default.parallelism", "4")
               .config("spark.sql.shuffle.partitions", "4"))
    return builder.getOrCreate()


__all__ = ["LOCAL_MASTER", "SparkMissing", "get_session"]
