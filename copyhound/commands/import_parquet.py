"""`copyhound import DIR --db PATH`: a Spark run's Parquet output into a database."""

from __future__ import annotations

import json
from pathlib import Path

from copyhound.errors import InputError
from copyhound.store import open_db
from copyhound.store.imports import import_clusters


def read_table(out_dir: Path, name: str) -> list[dict[str, object]]:
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
    clusters = read_table(src, "clusters")
    copies = read_table(src, "copies")
    meta_file = src / "job.json"
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    db = open_db(db_path)
    run_id = import_clusters(db, f"spark:{src.resolve()}", clusters, copies,
                             {"own_domains": meta.get("own_domains", []), "source": "spark"}, meta.get("stats", {}))
    return run_id, len(clusters), len(copies)
