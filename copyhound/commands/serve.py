"""`copyhound serve`: open the database in Datasette, read-only.

Datasette is an optional extra (`pip install 'copyhound[serve]'`). The
database is migrated first (so an older one gains the views and search),
then served `immutable` when no crawl is writing it (Datasette then skips
change checks and can count rows once), else as a plain read-only file
so a running crawl's commits show up.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from copyhound.errors import InputError
from copyhound.serve_metadata import serve_metadata
from copyhound.store import DatabaseBusy, open_db
from copyhound.store.db import checkpoint
from copyhound.store.runs import crawl_lock
from copyhound.store.search import refresh_post_search

INSTALL_HINT = "copyhound serve needs Datasette: pip install 'copyhound[serve]' (or pip install datasette)"
HOST = "127.0.0.1"
# Written into the plugins directory Datasette is given: it registers the
# module it loads from there, so the hooks are imported into it. Not an
# import here: copyhound/serve_plugin.py imports Datasette.
PLUGIN_STUB = "from copyhound.serve_plugin import prepare_connection, render_cell  # noqa: F401\n"


def datasette_installed() -> bool:
    try:
        return importlib.util.find_spec("datasette") is not None
    except (ImportError, ValueError):  # blocked in sys.modules
        return False


def prepare(db_path: str) -> bool:
    """Migrate and checkpoint the database; True when it may be served immutable."""
    if not Path(db_path).is_file():
        raise InputError(f"no database at {db_path}: run `copyhound crawl URL --db {db_path}` first")
    try:
        with crawl_lock(db_path):
            db = open_db(db_path, create=False)
            refresh_post_search(db)  # posts an interrupted crawl stored are searchable too
            # immutable=1 ignores the WAL file: everything must be in the main file.
            checkpoint(db)
            db.conn.close()
            return True
    except DatabaseBusy:
        return False


def _check_port(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError as e:
            raise InputError(f"cannot serve on {HOST}:{port}: {e.strerror}; give another --port") from None


def datasette_argv(db_path: str, metadata: Path, *, port: int, immutable: bool, open_browser: bool) -> list[str]:
    # The plugins directory beside the metadata: copyhound's text plugin (serve_plugin.py).
    argv = [sys.executable, "-m", "datasette", "serve", "--metadata", str(metadata), "-h", HOST, "-p", str(port),
            "--plugins-dir", str(metadata.parent / "plugins"),
            "--setting", "facet_time_limit_ms", "1000", "--setting", "sql_time_limit_ms", "5000"]
    argv += ["-i", db_path] if immutable else [db_path]
    return argv + (["--open"] if open_browser else [])


def run_serve(*, db_path: str, port: int, open_browser: bool, quiet: bool = False) -> int:
    if not datasette_installed():
        raise InputError(INSTALL_HINT)
    _check_port(port)
    immutable = prepare(db_path)
    name = Path(db_path).stem
    with tempfile.TemporaryDirectory(prefix="copyhound-serve-") as tmp:
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(json.dumps(serve_metadata(name), indent=2), encoding="utf-8")
        (Path(tmp) / "plugins").mkdir()
        (Path(tmp) / "plugins" / "copyhound_texts.py").write_text(PLUGIN_STUB, encoding="utf-8")
        if not quiet:
            mode = "immutable" if immutable else "read-only, a crawl is writing it"
            print(f"Serving {db_path} ({mode}) at http://{HOST}:{port}/{name}/copies  (Ctrl-C to stop)",
                  file=sys.stderr, flush=True)
        proc = subprocess.Popen(datasette_argv(db_path, metadata, port=port, immutable=immutable,
                                               open_browser=open_browser))
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            return 0


__all__ = ["INSTALL_HINT", "datasette_argv", "prepare", "run_serve"]
