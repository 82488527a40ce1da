"""`copyhound import DIR --db PATH`: a Spark run's Parquet output into a database.

A dedupe's clusters replace the database's as one run; a hunt's matching
records are stored into the site's database through the crawl's sink and
clustered with its own posts, exactly as `copyhound hunt` stores them: the
first matching capture of a URL (in the hunt's order: file, then offset)
stored, each later capture counted an own capture (`spark.hunt.first_captures`).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from copyhound.errors import InputError
from copyhound.store import open_db
from copyhound.store.imports import cluster_counts, import_clusters


def read_table(out_dir: Path, name: str) -> list[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow: pip install 'copyhound[spark]'") from None
    path = out_dir / name
    if not path.is_dir():
        raise InputError(f"{out_dir} is not a copyhound Spark output: no {name}/ table in it")
    try:
        return list(pq.read_table(path).to_pylist())
    except Exception as e:  # pyarrow's own error types: one line, not a traceback
        raise InputError(f"cannot read {path}: {e}") from None


def run_import(out_dir: str, db_path: str) -> tuple[int, int, int]:
    """(run id, clusters, copies) imported."""
    src = Path(out_dir)
    meta_file = src / "job.json"
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    if meta.get("kind") == "hunt" or (src / "matches").is_dir():
        return _import_hunt(src, db_path, meta)
    tables = {name: read_table(src, name) for name in ("pages", "posts", "clusters", "copies")}
    db = open_db(db_path)
    run_id = import_clusters(db, f"spark:{src.resolve()}", tables,
                             {"own_domains": meta.get("own_domains", []), "source": "spark"}, meta.get("stats", {}))
    return run_id, len(tables["clusters"]), len(tables["copies"])


def _import_hunt(src: Path, db_path: str, meta: dict[str, Any]) -> tuple[int, int, int]:
    from copyhound.commands.ingest import store_record
    from copyhound.crawler.warc import WarcPage
    from copyhound.pipeline import after_pages
    from copyhound.spark.hunt import first_captures
    from copyhound.stages.page_sink import StoreSink
    from copyhound.store import warc as warc_store
    from copyhound.store.frontier import SqliteFrontier
    from copyhound.store.runs import crawl_lock, finish_run, start_run

    rows = read_table(src, "matches")
    pages, again = first_captures([
        WarcPage(source=r["source"], offset=r["offset"], record_id=r["record_id"], url=r["url"],
                 warc_date=r["warc_date"], status=r["status"], headers=json.loads(r["headers"]), body=r["body"],
                 content_type=r["content_type"]) for r in rows], meta.get("files", []), _captures(src))
    own = tuple(meta.get("own_domains", []))
    db = open_db(db_path, create=False)
    with crawl_lock(db_path):
        warc_store.prepare(db)  # the table of stored record keys, as `copyhound hunt` prepares it
        run = start_run(db, [f"hunt:{f}" for f in meta.get("files", [])], {"own_domains": list(own), "hunt": "spark"})
        sink = StoreSink(db, SqliteFrontier(db, run.id), run.id)

        async def store_all() -> int:
            return sum([await store_record(db, sink, run.id, page) == "stored" for page in pages])

        stored = asyncio.run(store_all())
        sink.flush()
        stats: dict[str, Any] = {"hunt": _hunt_counts(meta.get("stats", {}), stored, again)}
        stats.update(after_pages(db, run.id, own).as_dict())
        finish_run(db, run.id, stats)
    clusters, copies = cluster_counts(db)
    return run.id, clusters, copies


def _captures(src: Path) -> list[tuple[str, int, str]]:
    """The hunt's other extracted records; none in an output written before the job wrote them."""
    if not (src / "captures").is_dir():
        return []
    return [(r["source"], r["offset"], r["url"]) for r in read_table(src, "captures")]


def _hunt_counts(job: dict[str, Any], stored: int, again: int) -> dict[str, Any]:
    """The job's counts as `copyhound hunt` counts: the `again` later captures
    of a stored URL were extracted in their tasks; the in-process hunt calls
    each an own capture instead."""
    counts = {**job, "stored": stored}
    if again and "own_captures" in job:
        counts.update(own_captures=job["own_captures"] + again, extracted=job["extracted"] - again)
    return counts
