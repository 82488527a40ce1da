"""Post ids and texts for the HTML compare view, read for the clusters the
page shows only: a big site's every text in memory was most of the 1.2 GB
the HTML report took."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from copyhound.store.packed_text import unpack_text

_CHUNK = 500  # SQLite caps bound parameters per statement


def _chunks(ids: Sequence[object]) -> Iterable[tuple[str, list[object]]]:
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i : i + _CHUNK])
        yield ",".join("?" * len(chunk)), chunk


def texts_for_clusters(
    db: Database, cluster_ids: Iterable[str]
) -> tuple[dict[str, int], dict[tuple[str, str], int], dict[int, str]]:
    """(cluster id → canonical post id, (cluster id, copy url) → post id, post id → text)."""
    ids = sorted(set(cluster_ids))
    canon: dict[str, int] = {}
    members: dict[tuple[str, str], int] = {}
    for marks, chunk in _chunks(ids):
        canon.update((r[0], int(r[1])) for r in db.execute(
            f"SELECT id, canonical_post_id FROM clusters WHERE id IN ({marks})", chunk))
        members.update(((r[0], r[1]), int(r[2])) for r in db.execute(
            f"SELECT cluster_id, url, post_id FROM cluster_members WHERE cluster_id IN ({marks})", chunk))
    texts: dict[int, str] = {}
    for marks, chunk in _chunks(sorted(set(canon.values()) | set(members.values()))):
        rows = db.execute(f"SELECT id, text FROM posts WHERE id IN ({marks})", chunk)
        texts.update((int(r[0]), unpack_text(r[1])) for r in rows)
    return canon, members, texts


__all__ = ["texts_for_clusters"]
