"""`copyhound serve` against the real Datasette: the CLI crawls the fixture
sites on loopback, serves the database, and the test reads the JSON API of
each view and canned query, checking a facet count against the JSON report."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copyhound_argv, report_json, run_cli

from copyhound.commands.serve import INSTALL_HINT, datasette_installed
from copyhound.sites import serve_sites
from copyhound.store.views import CANNED_QUERIES

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not datasette_installed(), reason="needs the serve extra: pip install -e '.[serve]'"),
]
STARTUP_S = 30


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "site.db"
    from conftest import FIXTURE_SITES

    with serve_sites(FIXTURE_SITES) as sites:
        seeds = [s.base_url + "/" for s in sites.values()]
        run_cli("crawl", *seeds, "--db", str(db), "--own-domain", "127.0.0.1", "--delay", "0",
                "--quiet", check=True)
    return db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def served(crawled: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen([*copyhound_argv(), "serve", "--db", str(crawled), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}/site"
    deadline = time.monotonic() + STARTUP_S
    try:
        while True:
            try:
                _get(base + ".json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not start: {proc.communicate(timeout=5)}") from None
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)


def test_copies_view_lists_every_reported_copy_with_facets(served: str, crawled: Path) -> None:
    report = report_json(crawled)
    want = Counter(c["status"] for cl in report["clusters"] for c in cl["copies"])
    assert sum(want.values()) > 0
    data = _get(served + "/copies.json?_facet=status&_size=max")
    assert len(data["rows"]) == sum(want.values())
    facet = {r["value"]: r["count"] for r in data["facet_results"]["status"]["results"]}
    assert facet == dict(want)
    hosts = {r["value"] for r in _get(served + "/copies.json?_facet=host")["facet_results"]["host"]["results"]}
    assert hosts == {c["url"].split("/")[2].split(":")[0] for cl in report["clusters"] for c in cl["copies"]}


def test_cluster_summary_counts_copies_per_post(served: str, crawled: Path) -> None:
    report = report_json(crawled)
    rows = _get(served + "/cluster_summary.json?_shape=array&_size=max")
    assert {r["canonical_url"]: r["copies"] for r in rows} == {
        cl["canonical"]["url"]: len(cl["copies"]) for cl in report["clusters"]}


def test_every_canned_query_answers(served: str, crawled: Path) -> None:
    report = report_json(crawled)
    copies = [c for cl in report["clusters"] for c in cl["copies"]]
    for name in CANNED_QUERIES:
        data = _get(f"{served}/{name}.json?_shape=objects")
        assert "rows" in data, (name, data)
    competing = _get(served + "/competing_copies.json?_shape=array")
    assert sorted(r["copy_url"] for r in competing) == sorted(
        c["url"] for c in copies if c["status"] in ("self-canonical", "missing-canonical"))
    # One crawl only: every copy is new since "the previous run" (none).
    new = _get(served + "/new_since_previous_run.json?_shape=array")
    assert len(new) == len(copies)
    hosts = _get(served + "/hosts_by_copies.json?_shape=array")
    assert sum(h["copies"] for h in hosts) == len(copies)
    top = _get(served + "/posts_copied_most.json?_shape=array")
    assert top[0]["copies"] == max(len(cl["copies"]) for cl in report["clusters"])


def test_internal_tables_are_hidden_and_posts_searchable(served: str) -> None:
    db = _get(served + ".json")
    visible = {t["name"] for t in db["tables"] if not t["hidden"]}
    assert {"bands", "samples", "cluster_inputs"}.isdisjoint(visible)
    assert {"copies", "cluster_summary"} <= {v["name"] for v in db["views"]}
    hits = _get(served + "/posts.json?_search=customer&_shape=array")
    assert hits, "full-text search found no post"
    assert all(isinstance(h["text"], dict) for h in hits)  # stored compressed: JSON gives the bytes as base64


def test_post_texts_read_as_text_in_pages_and_sql(served: str) -> None:
    sql = urllib.parse.quote("SELECT id, copyhound_text(text) AS t FROM posts WHERE t LIKE '%customer%'")
    rows = _get(served + f".json?sql={sql}&_shape=array")
    assert rows and all("customer" in r["t"] for r in rows)
    with urllib.request.urlopen(served + f"/posts/{rows[0]['id']}", timeout=10) as resp:
        page = resp.read().decode("utf-8")
    assert "customer" in page and "Binary:" not in page
    with urllib.request.urlopen(served + "/posts?_search=customer", timeout=10) as resp:
        assert "customer" in resp.read().decode("utf-8")


def test_serve_without_datasette_says_how_to_install(crawled: Path) -> None:
    # The real CLI in a Python where `import datasette` fails, as without the extra.
    code = ("import sys; sys.modules['datasette'] = None; from copyhound.cli import main; "
            f"main(['serve', '--db', {str(crawled)!r}])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "Error: " + INSTALL_HINT or proc.stderr.strip().endswith(INSTALL_HINT)
    assert "Traceback" not in proc.stderr


def test_serve_a_missing_database_is_one_line(tmp_path: Path) -> None:
    proc = run_cli("serve", "--db", str(tmp_path / "nope.db"))
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "no database" in proc.stderr
