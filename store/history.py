"""Reads beyond the contract report: the run history (`runs`, `run_copies`)
that `diff`, `report --since` and `--fail-on --new-only` compare, and the
post texts the HTML report shows side by side.

Read-only: nothing here writes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from copyhound.store import posts
from copyhound.store.sql import named_rows


@dataclass(frozen=True, slots=True, kw_only=True)
class RunInfo:
    id: int
    started_at: str
    finished_at: str | None
    state: str  # running | finished | interrupted
    options: Mapping[str, object]  # the crawl options recorded, as JSON gave them back
    own_domains: tuple[str, ...] = ()  # the run's --own-domain hosts


@dataclass(frozen=True, slots=True, kw_only=True)
class CopySnapshot:
    """One copy as a run reported it (a `run_copies` row)."""

    cluster_id: str
    canonical_url: str
    url: str
    relation: str
    status: str
    similarity: float
    canonical_link: str | None

    @property
    def key(self) -> tuple[str, str]:
        # Cluster ids derive from the canonical's text hash, so an edit to the
        # original would make every copy look new if keyed by id: the
        # canonical URL and the copy URL identify a copy across runs.
        return (self.canonical_url, self.url)


def _run(id: int, started_at: str, finished_at: str | None, state: str, options: str | None) -> RunInfo:
    """A runs row (columns by name: `named_rows(cur, _run)`)."""
    try:
        recorded = json.loads(options or "{}")
    except ValueError:
        recorded = {}
    if not isinstance(recorded, dict):
        recorded = {}
    own = recorded.get("own_domains")
    own_domains = tuple(str(h) for h in own) if isinstance(own, list) else ()
    return RunInfo(id=int(id), started_at=started_at, finished_at=finished_at, state=state, options=recorded,
                   own_domains=own_domains)


_RUN_COLUMNS = "id, started_at, finished_at, state, options"


def _first_run(db: Database, sql: str, params: Sequence[object] = ()) -> RunInfo | None:
    return next(named_rows(db.execute(sql, list(params)), _run), None)


def list_runs(db: Database) -> list[RunInfo]:
    return list(named_rows(db.execute(f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY id"), _run))


def get_run(db: Database, run_id: int) -> RunInfo | None:
    return _first_run(db, f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", [run_id])


def latest_run(db: Database, *, finished: bool = True) -> RunInfo | None:
    where = "WHERE state = 'finished'" if finished else ""
    return _first_run(db, f"SELECT {_RUN_COLUMNS} FROM runs {where} ORDER BY id DESC LIMIT 1")


def finished_run_before(db: Database, run_id: int) -> RunInfo | None:
    return _first_run(
        db, f"SELECT {_RUN_COLUMNS} FROM runs WHERE state = 'finished' AND id < ? ORDER BY id DESC LIMIT 1", [run_id]
    )


def last_finished_at_or_before(db: Database, when: str) -> RunInfo | None:
    """The last run finished at or before `when` (ISO 8601 UTC, compared as text)."""
    return _first_run(
        db, f"SELECT {_RUN_COLUMNS} FROM runs WHERE state = 'finished' AND finished_at <= ? ORDER BY id DESC LIMIT 1",
        [when],
    )


def run_has_snapshot(db: Database, run_id: int) -> bool:
    return db.execute("SELECT 1 FROM run_copies WHERE run_id = ? LIMIT 1", [run_id]).fetchone() is not None


def copy_counts(db: Database) -> dict[int, int]:
    """run id → copies in its snapshot (runs without one are absent)."""
    return {int(r): int(n) for r, n in db.execute("SELECT run_id, count(*) FROM run_copies GROUP BY run_id")}


def run_copies(db: Database, run_id: int) -> list[CopySnapshot]:
    cur = db.execute(
        "SELECT cluster_id, canonical_url, url, relation, status, similarity, canonical_link "
        "FROM run_copies WHERE run_id = ? ORDER BY canonical_url, url",
        [run_id],
    )
    return list(named_rows(cur, CopySnapshot))


def cluster_texts(db: Database) -> tuple[dict[str, int], dict[tuple[str, str], int], dict[int, str]]:
    """Post ids and texts for the HTML comparison view.

    Returns (cluster id → canonical post id, (cluster id, copy url) → copy
    post id, post id → text). Each text appears once however many clusters
    show it (a tag archive's block is one post).
    """
    canon = {r[0]: int(r[1]) for r in db.execute("SELECT id, canonical_post_id FROM clusters")}
    members = {
        (r[0], r[1]): int(r[2]) for r in db.execute("SELECT cluster_id, url, post_id FROM cluster_members")
    }
    wanted = set(canon.values()) | set(members.values())
    return canon, members, posts.texts(db, sorted(wanted))


def page_outcomes(db: Database, urls: Sequence[str]) -> dict[str, tuple[str, str]]:
    """For each URL: (why it gave no content, or "" when it did; the URL it
    ended at after redirects, which is the one reports name)."""
    out: dict[str, tuple[str, str]] = {}
    for url in urls:
        cur = db.execute(
            "SELECT status, error_kind, error, body_hash, coalesce(final_url, url) AS final_url "
            "FROM pages WHERE url = ?", [url],
        )
        row = next(named_rows(cur, _Outcome), None)
        out[url] = row.problem_and_final() if row is not None else (
            "not fetched (robots.txt or the page limit may have kept it out)", url)
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class _Outcome:
    status: int | None
    error_kind: str | None
    error: str | None
    body_hash: str | None
    final_url: str

    def problem_and_final(self) -> tuple[str, str]:
        if self.error_kind or self.error:
            return (f"{self.error_kind or 'error'}: {self.error or ''}".rstrip(": "), self.final_url)
        if self.body_hash is None:
            return (f"HTTP {self.status}" if self.status else "no content", self.final_url)
        return ("", self.final_url)


__all__ = [
    "CopySnapshot",
    "RunInfo",
    "cluster_texts",
    "copy_counts",
    "finished_run_before",
    "get_run",
    "last_finished_at_or_before",
    "latest_run",
    "list_runs",
    "page_outcomes",
    "run_copies",
    "run_has_snapshot",
]
