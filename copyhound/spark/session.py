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
    # under spark-submit the JVM (and its --master) already exists: keep its master
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ or SparkSession.getActiveSession() is not None
    if master is not None or not submitted:
        builder = builder.master(master or LOCAL_MASTER)
        # locally a shuffle gets one partition a core (Spark's RDD default); every
        # partition is a Python worker round trip
        builder = builder.config("spark.sql.shuffle.partitions", "2")
        # a local JVM runs short jobs: the quick JIT tier and a serial GC leave the cores to the
        # Python workers (JIT threads compete with them on a small machine; not measured apart)
        builder = builder.config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    # tasks that die (an executor killed) are retried: four attempts, Spark's cluster default
    builder = (builder.config("spark.task.maxFailures", "4")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false"))
    return builder.getOrCreate()


__all__ = ["LOCAL_MASTER", "SparkMissing", "get_session"]
