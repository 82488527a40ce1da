"""SIGKILL the real CLI crawl at random points, several times in a row on one
database, and resume each time: the database stays intact, no page is stored
twice or lost, and the final report equals an uninterrupted crawl's."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from conftest import copyhound_argv, run_cli
from support.faultserver import build_crash_sites

from copyhound.sites import serve_sites

KILLS = 3
SEED = 20261123  # fixed: the "random" kill points are the same on every run of the suite
FLAGS = ("--allow-private", "--delay", "0", "--timeout", "5", "--quiet")


def _ro(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)


def _stored(db: Path) -> dict[str, str]:
    """URL → body hash of every page stored with content."""
    if not db.exists():
        return {}
    try:
        con = _ro(db)
        try:
            return dict(con.execute("SELECT url, body_hash FROM pages WHERE body_hash IS NOT NULL").fetchall())
        finally:
            con.close()
    except sqlite3.OperationalError:
        return {}  # the schema is being created


def _report(db: Path) -> dict:
    data = json.loads(run_cli("report", "--db", str(db), "--format", "json", check=True).stdout)
    data.pop("generated_at")
    return data


def _start(db: Path, args: list[str]) -> subprocess.Popen[bytes]:
    # Its own session, so the kill takes its extraction workers too (as a power cut would).
    return subprocess.Popen([*copyhound_argv(), "crawl", *args, "--db", str(db)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill_when(proc: subprocess.Popen[bytes], db: Path, at_pages: int, extra_s: float) -> bool:
    """SIGKILL once `at_pages` pages are stored (then `extra_s` more); False if it finished first."""
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if len(_stored(db)) >= at_pages:
            time.sleep(extra_s)
            break
        time.sleep(0.01)
    if proc.poll() is not None:
        return False
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    return True


def test_sigkill_at_random_points_then_resume_equals_uninterrupted_crawl(tmp_path: Path) -> None:
    root = build_crash_sites(tmp_path / "sites", posts=60)
    rng = random.Random(SEED)
    with serve_sites(root) as sites:
        args = [sites["blog"].base_url + "/", "--scope", sites["partner"].base_url, *FLAGS]
        run_cli("crawl", *args, "--db", str(tmp_path / "ref.db"), check=True)
        reference = _report(tmp_path / "ref.db")
        ref_pages = _stored(tmp_path / "ref.db")

        db = tmp_path / "killed.db"
        log = sites["blog"].requests
        log.clear()
        kills: list[tuple[dict[str, str], int]] = []  # (stored at the kill, requests served by then)
        n = len(ref_pages)
        for k in range(KILLS):
            # A random point in the k-th third of the crawl, a random few ms after a commit.
            at = rng.randrange(max(1, k * n // KILLS), (k + 1) * n // KILLS - 5)
            proc = _start(db, args)
            assert _kill_when(proc, db, at, rng.uniform(0, 0.05)), "the crawl finished before the kill"
            kills.append((_stored(db), len(log)))
        assert run_cli("crawl", *args, "--db", str(db)).returncode == 0
        paths = [p for _, p in log]

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) - count(DISTINCT url) FROM pages").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM (SELECT page_id, ordinal FROM posts GROUP BY 1, 2 HAVING count(*) > 1)"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT id, state FROM runs").fetchall() == [(1, "finished")]  # one run, resumed
    final = _stored(db)
    base = sites["blog"].base_url
    for stored_then, served_then in kills:
        assert stored_then.items() <= final.items()  # nothing stored was lost or changed
        # nothing stored before a kill was requested again after it
        again = {base + p for p in paths[served_then:]} & stored_then.keys()
        assert not again, again
    assert final == ref_pages
    assert _report(db) == reference


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(p.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie holds no files: it is gone for our purpose


def test_sigkill_of_the_crawl_process_alone_leaves_no_worker_holding_the_database(tmp_path: Path) -> None:
    """As the OOM killer or `kill -9 PID` does: only the main process dies.
    Its extraction workers (forked, so holding the crawl lock's file) must
    not outlive it, or no crawl could ever resume on the database."""
    root = build_crash_sites(tmp_path / "sites", posts=12)
    db = tmp_path / "k.db"
    workers: list[int] = []
    with serve_sites(root) as sites:
        args = [sites["blog"].base_url + "/", "--scope", sites["partner"].base_url, "--allow-private",
                "--delay", "0.02", "--timeout", "5", "--quiet"]
        proc = subprocess.Popen([*copyhound_argv(), "crawl", *args, "--db", str(db)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while len(_stored(db)) < 5 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.02)
            workers = _children(proc.pid)
            assert workers, "the crawl runs no extraction worker: nothing to check"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            deadline = time.monotonic() + 5
            while any(_alive(w) for w in workers) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not [w for w in workers if _alive(w)], "extraction workers outlived the killed crawl"
            resumed = run_cli("crawl", *args, "--db", str(db))
            assert resumed.returncode == 0, resumed.stderr
        finally:
            for w in workers:  # our own processes, if the assertion above failed
                if _alive(w):
                    os.kill(w, signal.SIGKILL)


def test_a_killed_extraction_worker_neither_stops_nor_spoils_the_crawl(tmp_path: Path) -> None:
    """The OOM killer takes one extraction worker: the crawl goes on (the
    rest is extracted in-process) to the same report as an undisturbed crawl,
    and does not mistake the pool's clean-up for the user's Ctrl-C."""
    root = build_crash_sites(tmp_path / "sites", posts=12)
    db = tmp_path / "w.db"
    workers: list[int] = []
    with serve_sites(root) as sites:
        args = [sites["blog"].base_url + "/", "--scope", sites["partner"].base_url, "--allow-private",
                "--delay", "0.02", "--timeout", "5"]
        run_cli("crawl", *args, "--quiet", "--db", str(tmp_path / "ref.db"), check=True)
        proc = subprocess.Popen([*copyhound_argv(), "crawl", *args, "--db", str(db)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 30
            while len(_stored(db)) < 3 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.02)
            workers = _children(proc.pid)
            assert workers, "the crawl runs no extraction worker: nothing to check"
            os.kill(workers[0], signal.SIGKILL)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            for w in workers:
                if _alive(w):
                    os.kill(w, signal.SIGKILL)
    assert proc.returncode == 0, err
    assert "stopped" not in err, err
    assert _report(db) == _report(tmp_path / "ref.db")
