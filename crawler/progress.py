"""A terminal progress bar for `run_crawl` (a `ProgressReporter`).

Quiet when standard error is not a terminal or when asked to be: scheduled
crawls and pipes get the summary line only, no control characters.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn, TimeElapsedColumn

__all__ = ["RichProgress", "format_errors"]

TOP_ERROR_HOSTS = 3


def format_errors(errors_by_host: Mapping[str, int]) -> str:
    """`a.com 3, b.org 1` for the hosts with most failures."""
    top = sorted(errors_by_host.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ERROR_HOSTS]
    return ", ".join(f"{h} {n}" for h, n in top)


class RichProgress:
    """`with RichProgress() as p: await run_crawl(..., progress=p)`."""

    def __init__(self, *, console: Console | None = None, quiet: bool = False) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = not quiet and self.console.is_terminal
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._t0 = time.monotonic()
        self._done0: int | None = None

    def __enter__(self) -> RichProgress:
        if self.enabled:
            self._progress = Progress(
                TextColumn("[bold]crawl[/]"), BarColumn(), TaskProgressColumn(),
                TextColumn("{task.completed:,.0f} done · {task.fields[queued]:,} queued · {task.fields[rate]}/s"),
                TextColumn("[red]{task.fields[errors]}"), TimeElapsedColumn(),
                console=self.console, transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("crawl", total=None, queued=0, rate="0", errors="")
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, done: int, queued: int, errors_by_host: Mapping[str, int]) -> None:
        if self._progress is None or self._task is None:
            return
        if self._done0 is None:
            self._done0 = done  # a resumed run: the rate counts this process's pages only
        elapsed = max(time.monotonic() - self._t0, 1e-6)
        errors = format_errors(errors_by_host)
        self._progress.update(
            self._task, completed=done, total=done + queued, queued=queued,
            rate=f"{(done - self._done0) / elapsed:.0f}", errors=f"errors: {errors}" if errors else "",
        )
