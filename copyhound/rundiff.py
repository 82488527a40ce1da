"""What changed between two crawl runs, as values: new and gone clusters,
new and gone copies, and copies whose audit changed (a partner that removed
its canonical link goes from `canonical-ok` to `missing-canonical`).

Pure: `compare` takes two runs' `run_copies` snapshots. A copy is identified
by (canonical URL, copy URL), not by cluster id, which changes when the
original's text is edited. Reading the runs is `copyhound/commands/diff.py`;
rendering is `copyhound/render/diff.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from copyhound.store.history import CopySnapshot, RunInfo

# What a changed copy may differ in, in the order shown.
CHANGE_FIELDS = ("status", "relation", "canonical_link")


@dataclass(frozen=True, slots=True, kw_only=True)
class CopyChange:
    before: CopySnapshot
    after: CopySnapshot
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RunDiff:
    from_run: RunInfo | None  # None: compared with an empty database
    to_run: RunInfo | None  # None: the current clusters
    new_clusters: tuple[str, ...]  # canonical URLs
    gone_clusters: tuple[str, ...]
    new_copies: tuple[CopySnapshot, ...]
    gone_copies: tuple[CopySnapshot, ...]
    changed: tuple[CopyChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.new_clusters or self.gone_clusters or self.new_copies or self.gone_copies
                    or self.changed)


def compare(
    before: Sequence[CopySnapshot], after: Sequence[CopySnapshot], *,
    from_run: RunInfo | None = None, to_run: RunInfo | None = None,
) -> RunDiff:
    old = {c.key: c for c in before}
    new = {c.key: c for c in after}
    old_canon = {c.canonical_url for c in before}
    new_canon = {c.canonical_url for c in after}
    changed = []
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        fields = tuple(f for f in CHANGE_FIELDS if getattr(a, f) != getattr(b, f))
        if fields:
            changed.append(CopyChange(before=a, after=b, fields=fields))
    return RunDiff(
        from_run=from_run,
        to_run=to_run,
        new_clusters=tuple(sorted(new_canon - old_canon)),
        gone_clusters=tuple(sorted(old_canon - new_canon)),
        new_copies=tuple(new[k] for k in sorted(new.keys() - old.keys())),
        gone_copies=tuple(old[k] for k in sorted(old.keys() - new.keys())),
        changed=tuple(changed),
    )


__all__ = ["CHANGE_FIELDS", "CopyChange", "RunDiff", "compare"]
