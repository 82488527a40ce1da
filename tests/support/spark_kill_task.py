"""`copyhound` with one Spark task killed, for the fault test (issue 13).

    python tests/support/spark_kill_task.py ARM_FILE spark dedupe WARC... --output DIR

Runs the real CLI after wrapping the job's per-file reader
(`copyhound.spark.input.read_file`): while ARM_FILE exists, the first task
to remove it kills its own Python worker (`os._exit(137)`, as a killed
executor dies, before reading its file), and Spark must run the task again.
The wrapper is defined here, in `__main__`, so Spark ships it to the workers
by value: the product carries no fault switch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any


def killing_once(arm: str, read: Callable[[tuple[int, str]], Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def read_file(item: tuple[int, str]) -> Iterator[Any]:
        try:
            os.unlink(arm)  # only one task of one attempt wins the file
        except OSError:
            pass
        else:
            os._exit(137)
        yield from read(item)

    return read_file


def main() -> None:
    from copyhound import cli
    from copyhound.spark import input as spark_input

    arm, args = sys.argv[1], sys.argv[2:]
    spark_input.read_file = killing_once(arm, spark_input.read_file)  # type: ignore[assignment]
    cli.main(args)


if __name__ == "__main__":
    main()
