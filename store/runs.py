"""Crawl runs: one row per `copyhound crawl`, and the lock that keeps a second
crawl off a database another crawl is writing.

The lock is an `flock` on a sidecar file (`<db>.lock`): the kernel releases it
when the holder dies, even by SIGKILL, so a killed crawl never leaves the
database locked, and the next crawl resumes the interrupted run.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from sqlite_utils import Database

from copyhound.store.errors import DatabaseBusy, StoreWriteError
from copyhound.store.sql import named_rows


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    id: int
    started_at: str
    resumed: bool  # True when this continues an interrupted run


@contextmanager
def crawl_lock(db_path: str | Path) -> Iterator[None]:
    """Hold the database's crawl lock, or raise DatabaseBusy at once."""
    # Beside the file the path resolves to: the same database reached through
    # a symlink must meet the same lock, or two crawls would write it at once.
    lock_path = Path(f"{os.path.realpath(db_path)}.lock")
    try:
        fh: IO[str] = open(lock_path, "a+")  # noqa: SIM115 - held for the whole crawl
    except OSError as e:
        raise StoreWriteError(f"cannot create lock file {lock_path}: {e.strerror}") from e
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise DatabaseBusy(
                f"another copyhound crawl ({holder}) is writing {db_path}: wait for it to finish"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield
    finally:
        fh.close()


@dataclass(frozen=True, slots=True, kw_only=True)
class _LastRun:
    id: int
    started_at: str
    state: str


def start_run(db: Database, seeds: Sequence[str], options: Mapping[str, object]) -> Run:
    """Resume the last run if it never finished, else start a new one."""
    cur = db.execute("SELECT id, started_at, state FROM runs ORDER BY id DESC LIMIT 1")
    last = next(named_rows(cur, _LastRun), None)
    if last is not None and last.state != "finished":
        with db.atomic():
            db.table("runs").update(last.id, {"state": "running", "pid": os.getpid()})
        return Run(id=int(last.id), started_at=last.started_at, resumed=True)
    started = utc_now()
    with db.atomic():
        run_id = db.table("runs").insert(
            {
                "started_at": started,
                "state": "running",
                "seeds": json.dumps(list(seeds)),
                "options": json.dumps(dict(options), sort_keys=True),
                "pid": os.getpid(),
            }
        ).last_pk
    if run_id is None:  # an INTEGER PRIMARY KEY insert always has one; said plainly if not
        raise StoreWriteError("could not record the new crawl run in the database")
    return Run(id=int(run_id), started_at=started, resumed=False)


def finish_run(db: Database, run_id: int, stats: Mapping[str, object], *, state: str = "finished") -> None:
    with db.atomic():
        db.table("runs").update(
            run_id,
            {"state": state, "finished_at": utc_now() if state == "finished" else None,
             "stats": json.dumps(dict(stats), sort_keys=True)},
        )
