"""`copyhound diff`, `report --since/--new-only` and `--fail-on` on a hand-filled
two-run database: run 2 lost the partner's canonical link, dropped the
scraper's copy, and gained a mirror copy and a new cluster."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.report_data import BLOG, PARTNER, SCRAPER, copy, finish_run, set_clusters, two_run_db

from copyhound.cli import cli
from copyhound.commands.diff import compare, parse_when
from copyhound.errors import EXIT_FAIL_ON
from copyhound.store import open_db
from copyhound.store.history import CopySnapshot

MIRROR = "http://127.0.0.4:8004/mirror"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    two_run_db(tmp_path / "x.db")
    return tmp_path / "x.db"


def test_diff_json_names_every_change(db: Path) -> None:
    r = invoke("diff", "--db", str(db), "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert (d["from_run"]["id"], d["to_run"]["id"]) == (1, 2)
    assert d["new_clusters"] == [f"{BLOG}/posts/second"]
    assert d["gone_clusters"] == []
    assert [c["url"] for c in d["new_copies"]] == [f"{SCRAPER}/copy-2", MIRROR]  # by canonical, then copy
    assert [c["url"] for c in d["gone_copies"]] == [f"{SCRAPER}/copy-1"]
    (changed,) = d["changed_copies"]
    assert changed["url"] == f"{PARTNER}/syndication"
    assert changed["changed"] == ["status", "canonical_link"]
    assert changed["before"] == {"status": "canonical-ok", "canonical_link": f"{BLOG}/posts/syndication"}
    assert changed["status"] == "missing-canonical"


def test_diff_table_and_csv(db: Path) -> None:
    text = invoke("diff", "--db", str(db)).output
    assert "1 new clusters, 0 gone; 2 new copies, 1 gone, 1 changed" in text
    change = "status canonical-ok -> missing-canonical"
    assert f"{PARTNER}/syndication  (copy of {BLOG}/posts/syndication): {change}" in text
    rows = list(csv.DictReader(io.StringIO(invoke("diff", "--db", str(db), "--format", "csv").output)))
    assert sorted((r["change"], r["copy_url"]) for r in rows) == [
        ("changed", f"{PARTNER}/syndication"), ("gone", f"{SCRAPER}/copy-1"),
        ("new", f"{SCRAPER}/copy-2"), ("new", MIRROR)]


def test_diff_by_date_and_reverse(db: Path) -> None:
    # --from a date before any run: everything in run 2 is new.
    d = json.loads(invoke("diff", "--db", str(db), "--from", "2025-12-31", "--format", "json").output)
    assert d["from_run"] is None and len(d["new_copies"]) == 4
    # --from run 2 --to the date of run 1: the reverse diff.
    d = json.loads(invoke("diff", "--db", str(db), "--from", "2", "--to", "2026-01-10T07:00:00+01:00",
                          "--format", "json").output)
    assert d["to_run"]["id"] == 1 and [c["url"] for c in d["new_copies"]] == [f"{SCRAPER}/copy-1"]


def test_diff_without_runs_is_one_line(tmp_path: Path) -> None:
    open_db(tmp_path / "empty.db")
    r = invoke("diff", "--db", str(tmp_path / "empty.db"))
    assert r.exit_code == 1 and "no finished crawl run in this database yet" in r.output


def test_diff_fail_on_counts_only_new_or_changed(db: Path) -> None:
    r = invoke("diff", "--db", str(db), "--fail-on", "missing-canonical")
    assert r.exit_code == EXIT_FAIL_ON
    assert f"1 new or changed copy with status missing-canonical (first: {PARTNER}/syndication)" in r.output
    assert invoke("diff", "--db", str(db), "--fail-on", "canonical-elsewhere").exit_code == 0


def test_report_since_shows_new_and_changed_and_gone(db: Path, report_schema: dict) -> None:
    import jsonschema

    r = invoke("report", "--db", str(db), "--format", "json", "--since", "1")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    jsonschema.validate(data, report_schema)
    copies = {c["url"]: c for cl in data["clusters"] for c in cl["copies"]}
    assert set(copies) == {f"{PARTNER}/syndication", MIRROR, f"{SCRAPER}/copy-2"}  # the archive did not change
    assert copies[f"{PARTNER}/syndication"]["change"] == "status-changed"
    assert copies[f"{PARTNER}/syndication"]["previous_status"] == "canonical-ok"
    assert copies[MIRROR]["change"] == "new"
    assert [g["url"] for g in data["since"]["gone"]] == [f"{SCRAPER}/copy-1"]
    assert data["since"]["run"] == 1
    # --new-only means "since the finished run before the last": the same here.
    same = json.loads(invoke("report", "--db", str(db), "--format", "json", "--new-only").output)
    assert same["clusters"] == data["clusters"]
    by_date = json.loads(invoke("report", "--db", str(db), "--format", "json", "--since", "2026-01-10T12:00").output)
    assert by_date["clusters"] == data["clusters"]


def test_report_fail_on_exit_codes(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    r = invoke("report", "--db", str(db), "--format", "json", "--output", str(out), "--fail-on", "self-canonical")
    assert r.exit_code == EXIT_FAIL_ON
    assert r.output.strip() == f"copyhound: --fail-on: 1 copy with status self-canonical (first: {MIRROR})"
    assert json.loads(out.read_text())["clusters"]  # the report is written all the same
    assert invoke("report", "--db", str(db), "--fail-on", "canonical-elsewhere").exit_code == 0
    assert invoke("report", "--db", str(db), "--fail-on", "canonical-ok").exit_code == 0  # none left in run 2
    # Filters narrow what --fail-on sees.
    assert invoke("report", "--db", str(db), "--fail-on", "missing-canonical", "--host", "127.0.0.3").exit_code == 0
    # --new-only: the tag archive's missing-canonical is old, the partner's is new.
    r = invoke("report", "--db", str(db), "--fail-on", "missing-canonical", "--new-only")
    assert r.exit_code == EXIT_FAIL_ON and "(first: http://127.0.0.2:8002/syndication)" in r.output


def test_new_only_with_an_unchanged_run_passes(tmp_path: Path) -> None:
    db = two_run_db(tmp_path / "x.db")
    finish_run(db, 3, "2026-01-12T06:00:00Z")  # same clusters as run 2
    assert invoke("report", "--db", str(tmp_path / "x.db"), "--fail-on", "missing-canonical").exit_code == 3
    r = invoke("report", "--db", str(tmp_path / "x.db"), "--fail-on", "missing-canonical", "--new-only")
    assert r.exit_code == 0, r.output
    d = json.loads(invoke("diff", "--db", str(tmp_path / "x.db"), "--format", "json").output)
    assert (d["new_copies"], d["gone_copies"], d["changed_copies"]) == ([], [], [])


def test_copies_keyed_by_canonical_url_not_cluster_id(tmp_path: Path) -> None:
    db = open_db(tmp_path / "x.db")
    set_clusters(db, [{"id": "old-id", "url": f"{BLOG}/p", "copies": [copy(f"{PARTNER}/p")]}])
    finish_run(db, 1, "2026-01-10T06:00:00Z")
    # The original was edited: new text hash, new cluster id; nothing else changed.
    set_clusters(db, [{"id": "new-id", "url": f"{BLOG}/p", "copies": [copy(f"{PARTNER}/p")]}])
    finish_run(db, 2, "2026-01-11T06:00:00Z")
    d = json.loads(invoke("diff", "--db", str(tmp_path / "x.db"), "--format", "json").output)
    assert (d["new_copies"], d["gone_copies"], d["new_clusters"]) == ([], [], [])


def test_compare_is_pure() -> None:
    def snap(url: str, status: str) -> CopySnapshot:
        return CopySnapshot(cluster_id="c", canonical_url="u", url=url, relation="exact", status=status,
                            similarity=1.0, canonical_link=None)

    d = compare([snap("a", "noindex"), snap("b", "canonical-ok")], [snap("b", "self-canonical"), snap("c", "noindex")])
    assert [c.url for c in d.new_copies] == ["c"] and [c.url for c in d.gone_copies] == ["a"]
    assert [(c.before.status, c.after.status) for c in d.changed] == [("canonical-ok", "self-canonical")]
    assert not d.empty and compare([], []).empty


def test_parse_when() -> None:
    assert parse_when("2026-01-10") == "2026-01-10T00:00:00Z"
    assert parse_when("2026-01-10T07:00:00+01:00") == "2026-01-10T06:00:00Z"


def test_runs_command_lists_runs(db: Path) -> None:
    r = invoke("runs", "--db", str(db))
    lines = r.output.splitlines()
    assert lines[0].split("\t")[:2] == ["1", "finished"] and lines[1].endswith("4 copies")


def test_unfinished_runs_are_refused_as_baselines(tmp_path: Path) -> None:
    db = two_run_db(tmp_path / "x.db")
    db["runs"].insert({"id": 3, "started_at": "2026-01-12T06:00:00Z", "state": "interrupted", "seeds": "[]"})
    r = invoke("report", "--db", str(tmp_path / "x.db"), "--since", "3")
    assert r.exit_code == 1 and "run 3 did not finish (interrupted)" in r.output
    # The default diff ignores it: the last *finished* run against the one before.
    d = json.loads(invoke("diff", "--db", str(tmp_path / "x.db"), "--format", "json").output)
    assert (d["from_run"]["id"], d["to_run"]["id"]) == (1, 2)


def test_html_and_table_mark_changes(db: Path) -> None:
    html = invoke("report", "--db", str(db), "--format", "html", "--since", "1").output
    assert '<span class="badge change">status-changed (was canonical-ok)</span>' in html
    assert '<span class="badge change">new</span>' in html and "1 gone" in html
    table = invoke("report", "--db", str(db), "--since", "1").output
    assert "missing-canonical (was canonical-ok)" in table and "self-canonical (new)" in table
    assert f"gone: {SCRAPER}/copy-1  (was missing-canonical" in table


def test_crawl_new_only_needs_fail_on(tmp_path: Path) -> None:
    r = invoke("crawl", "http://127.0.0.1:1/", "--db", str(tmp_path / "c.db"), "--new-only")
    assert r.exit_code == 2 and "--new-only needs --fail-on" in r.output
    assert not (tmp_path / "c.db").exists()
