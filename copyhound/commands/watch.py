"""`copyhound watch --every 6h`: scheduled crawls for people without cron.

Each run is a `copyhound crawl` in a child process (its own session, so a
terminal's Ctrl-C reaches only us and we stop it gracefully), then the
report and the diff against the previous run are written to
`OUT/run-<id>/`, `OUT/latest` points at the newest, and one line per run
goes to `OUT/watch.log`. A failed run is logged and the next one starts on
schedule. SIGINT or SIGTERM stops cleanly: between runs at once; during a
run the crawl is asked to stop (it records where it was, and the next crawl
resumes it), and killed only if it does not stop within a grace period.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from copyhound.errors import EXIT_FAIL_ON, EXIT_INTERRUPTED, EXIT_USAGE, InputError
from copyhound.store import history, open_db

_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
MIN_INTERVAL_S = 1.0
MAX_INTERVAL_S = 366 * 86400.0
STOP_GRACE_S = 60.0  # a crawl asked to stop gets this long to record its state
POLL_S = 0.2


def parse_interval(text: str) -> float:
    """'6h', '30m', '1h30m', '90s', '1d' → seconds."""
    t = text.strip().lower().replace(" ", "")
    parts = _INTERVAL.findall(t)
    if not t or "".join(n + u for n, u in parts) != t:
        raise InputError(f"bad --every {text!r}: use a number and a unit, such as 6h, 30m, 1h30m or 1d")
    seconds = sum(float(n) * _UNIT_S[u] for n, u in parts)
    if not MIN_INTERVAL_S <= seconds <= MAX_INTERVAL_S:
        raise InputError(f"bad --every {text!r}: between 1s and 366d")
    return seconds


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchConfig:
    every_s: float
    out_dir: Path
    db_path: Path
    crawl_args: tuple[str, ...]  # seed URLs and crawl options, as `copyhound crawl` takes them
    formats: tuple[str, ...] = ("json", "html")
    max_runs: int | None = None  # None: until stopped


_EXT = {"json": "json", "csv": "csv", "html": "html", "table": "txt"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Watcher:
    def __init__(self, config: WatchConfig, *, echo: Callable[[str], None] = lambda _m: None) -> None:
        self.config = config
        self._echo = echo
        # A plain flag set by the signal handler: Event.set() inside a handler can
        # deadlock against an Event.wait() it interrupted.
        self._stopping = False
        self._stop_signal: int | None = None
        self._child: subprocess.Popen[bytes] | None = None

    # -- signals -------------------------------------------------------
    def request_stop(self, signum: int, _frame: FrameType | None = None) -> None:
        first = not self._stopping
        self._stop_signal = signum
        self._stopping = True
        child = self._child
        if child is not None and child.poll() is None:
            # First signal: ask the crawl to stop (it saves its place); a second one kills it.
            child.send_signal(signal.SIGINT if first else signal.SIGKILL)

    def _install(self) -> dict[int, object]:
        old = {}
        for sig in (signal.SIGINT, signal.SIGTERM):
            old[sig] = signal.signal(sig, self.request_stop)
        return old

    # -- the loop ------------------------------------------------------
    def run(self) -> int:
        cfg = self.config
        cfg.out_dir.mkdir(parents=True, exist_ok=True)
        old = self._install()
        runs = failures = 0
        try:
            self.log(f"watching: every {cfg.every_s:g}s, database {cfg.db_path}, output {cfg.out_dir}")
            while not self._stopping:
                started = time.monotonic()
                ok = self.run_once()
                runs += 1
                failures += 0 if ok else 1
                if cfg.max_runs is not None and runs >= cfg.max_runs:
                    break
                self._sleep_until(started + cfg.every_s)
            if self._stopping:
                self.log(f"stopped by signal {self._stop_signal} after {runs} run(s)")
        finally:
            for sig, handler in old.items():
                signal.signal(sig, handler)  # type: ignore[arg-type]
        return 1 if runs and failures == runs else 0

    def run_once(self) -> bool:
        cfg = self.config
        before = self._last_finished()
        stamp = _now().replace(":", "")
        crawl_log = cfg.out_dir / f"crawl-{stamp}.log"
        cmd = [sys.executable, "-m", "copyhound.cli", "crawl", *cfg.crawl_args, "--db", str(cfg.db_path), "--quiet"]
        with open(crawl_log, "wb") as log_fh:
            self._child = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=log_fh, stderr=subprocess.STDOUT, start_new_session=True
            )
            rc = self._wait_child(self._child)
            self._child = None
        if rc == EXIT_INTERRUPTED or (self._stopping and rc != 0):
            self.log(f"crawl stopped (exit {rc}); the next crawl resumes it; log {crawl_log.name}")
            return True
        if rc == EXIT_USAGE:
            raise InputError(f"the crawl options were refused: {_tail(crawl_log)}")
        after = self._last_finished()
        alert = ""
        if rc == EXIT_FAIL_ON:  # the crawl finished and its --fail-on matched: an alert, not a failure
            alert = f"; ALERT {_tail(crawl_log)}"
            rc = 0
        if rc != 0 or after is None or (before is not None and after == before):
            self.log(f"crawl failed (exit {rc}): {_tail(crawl_log)}; log {crawl_log.name}; next run on schedule")
            return False
        crawl_log.unlink(missing_ok=True)
        try:
            self.log(self.write_outputs(after) + alert)
        except Exception as e:  # a report that fails must not end the watch
            self.log(f"run {after}: writing the report failed: {e}")
            return False
        return True

    def _sleep_until(self, deadline: float) -> None:
        while not self._stopping and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(POLL_S, left))

    def _wait_child(self, child: subprocess.Popen[bytes]) -> int:
        asked_at: float | None = None
        while True:
            try:
                return child.wait(timeout=POLL_S)
            except subprocess.TimeoutExpired:
                pass
            if self._stopping:
                asked_at = asked_at or time.monotonic()
                if time.monotonic() - asked_at > STOP_GRACE_S:
                    child.kill()

    def _last_finished(self) -> int | None:
        if not self.config.db_path.exists():
            return None
        db = open_db(self.config.db_path, create=False)
        try:
            run = history.latest_run(db)
            return run.id if run else None
        finally:
            db.conn.close()

    # -- outputs -------------------------------------------------------
    def write_outputs(self, run_id: int) -> str:
        from copyhound.commands.diff import diff_runs
        from copyhound.commands.report import build_full_report, render
        from copyhound.render.diff import render_json, render_text
        from copyhound.report import ReportFilter

        cfg = self.config
        folder = cfg.out_dir / f"run-{run_id:04d}"
        folder.mkdir(exist_ok=True)
        db = open_db(cfg.db_path, create=False)
        try:
            report = build_full_report(db, ReportFilter())
            for fmt in cfg.formats:
                text = render(db, report, fmt, terminal=False)
                _atomic_write(folder / f"report.{_EXT[fmt]}", ("\ufeff" if fmt == "csv" else "") + text)
            d = diff_runs(db, None, str(run_id))
            _atomic_write(folder / "diff.json", render_json(d))
            _atomic_write(folder / "diff.txt", render_text(d))
        finally:
            db.conn.close()
        latest = cfg.out_dir / "latest"
        tmp_link = cfg.out_dir / ".latest.tmp"
        tmp_link.unlink(missing_ok=True)
        tmp_link.symlink_to(folder.name)
        os.replace(tmp_link, latest)
        copies = sum(len(cl["copies"]) for cl in report["clusters"])
        return (
            f"run {run_id}: {len(report['clusters'])} clusters, {copies} copies; since the previous run "
            f"{len(d.new_copies)} new, {len(d.gone_copies)} gone, {len(d.changed)} changed -> {folder.name}/"
        )

    def log(self, message: str) -> None:
        line = f"{_now()} {message}"
        with open(self.config.out_dir / "watch.log", "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        self._echo(line)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)


def _tail(path: Path) -> str:
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
    except OSError:
        return "no output"
    return lines[-1][:300] if lines else "no output"


__all__ = ["WatchConfig", "Watcher", "parse_interval"]
