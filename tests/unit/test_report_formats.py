"""Every report format, checked for content, on hand-filled databases;
filters apply to every format; verdicts are added without breaking the schema."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from support.report_data import BLOG, MALICIOUS_TITLE, PARTNER, SCRAPER, hostile_db, two_run_db

from copyhound.cli import cli
from copyhound.render.csv import COLUMNS, neutralise
from copyhound.render.html_assets import CONTENT_SECURITY_POLICY


def report(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["report", "--db", str(db), *args])


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    two_run_db(tmp_path / "x.db")
    return tmp_path / "x.db"


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_json_validates_and_carries_verdicts(db: Path, report_schema: dict) -> None:
    r = report(db, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    jsonschema.validate(data, report_schema)
    assert data["own_domains"] == ["127.0.0.1"]
    partner = next(c for cl in data["clusters"] for c in cl["copies"] if c["url"].startswith(PARTNER))
    assert partner["verdict"].startswith("indexable copy with no canonical link: asks search engines to choose")
    assert "links back" in partner["verdict"] and "ask them for a canonical link to your post" in partner["verdict"]
    archive = next(c for cl in data["clusters"] for c in cl["copies"] if c["url"] == f"{BLOG}/tag/seo")
    assert "on your site" in archive["verdict"]  # the owner's own tag archive: the fix is theirs


def test_csv_one_row_per_copy_parses_back(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    r = report(db, "--format", "csv", "--output", str(out))
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs then read UTF-8
    assert b"\r\n" in raw and raw.count(b"\r\n") == raw.count(b"\n")  # RFC 4180 line ends
    rows = _csv_rows(raw.decode("utf-8-sig"))
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == 4
    mirror = next(r for r in rows if r["copy_url"] == "http://127.0.0.4:8004/mirror")
    assert mirror == {**mirror, "cluster_id": "c1", "canonical_url": f"{BLOG}/posts/syndication",
                      "relation": "exact", "similarity": "1.0000", "canonical_link": "http://127.0.0.4:8004/mirror",
                      "robots_noindex": "false", "links_to_canonical": "false", "status": "self-canonical"}
    noindex = next(r for r in rows if r["copy_url"] == f"{SCRAPER}/copy-2")
    assert noindex["robots_noindex"] == "true" and noindex["status"] == "noindex"


def test_csv_to_stdout_has_no_bom_and_quotes_commas(db: Path) -> None:
    r = report(db, "--format", "csv")
    assert r.exit_code == 0
    assert not r.output.startswith("\ufeff")
    rows = _csv_rows(r.output)
    assert all("," in row["verdict"] for row in rows)  # quoted, so still one cell each


def test_csv_neutralises_formulas(tmp_path: Path) -> None:
    assert neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [neutralise(v) for v in ("+1", "-1", "@SUM(A1)", "\t=1", "ok", None)] == [
        "'+1", "'-1", "'@SUM(A1)", "'\t=1", "ok", ""]
    db = hostile_db(tmp_path / "h.db")
    db["clusters"].update("evil", {"title": "=cmd|' /C calc'!A0"})
    r = report(tmp_path / "h.db", "--format", "csv")
    rows = _csv_rows(r.output)
    assert {row["canonical_title"] for row in rows} == {"'=cmd|' /C calc'!A0"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_and_escapes_crawled_strings(tmp_path: Path) -> None:
    hostile_db(tmp_path / "h.db")
    r = report(tmp_path / "h.db", "--format", "html")
    assert r.exit_code == 0, r.output
    html = r.output
    parser = _Tags()
    parser.feed(html)
    tags = parser.tags
    assert [t for t, _ in tags].count("script") == 2
    assert not any(t == "img" for t, _ in tags)
    assert not any(k.startswith("on") for _, attrs in tags for k in attrs)  # no event handler attributes
    csp = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == [CONTENT_SECURITY_POLICY] and "default-src 'none'" in csp[0]
    # Nothing fetched from anywhere: no src or stylesheet link to a URL.
    assert not [a for t, a in tags if a.get("src") or (t == "link" and a.get("rel") == "stylesheet")]
    assert MALICIOUS_TITLE not in html and "&lt;script&gt;window.__pwned=1" in html
    assert "</script><script>window.__pwned=4" not in html  # the post text cannot close the data block
    assert not any(t == "a" and (a.get("href") or "").startswith("javascript:") for t, a in tags)


def test_html_summary_orders_action_first(db: Path) -> None:
    html = report(db, "--format", "html").output
    statuses = [a["data-status"] for t, a in _parsed(html) if t == "li" and "data-status" in a]
    assert statuses[:3] == ["missing-canonical", "self-canonical", "canonical-elsewhere"]
    assert 'id="own-audit"' in html and "2 of your posts appear on 4 other pages" in html


def _parsed(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = _Tags()
    p.feed(html)
    return p.tags


@pytest.mark.parametrize("fmt", ["json", "csv", "table", "html"])
def test_filters_apply_to_every_format(db: Path, fmt: str) -> None:
    r = report(db, "--format", fmt, "--status", "missing-canonical,self-canonical", "--host", "127.0.0.2",
               "--host", "127.0.0.4")
    assert r.exit_code == 0, r.output
    out = r.output
    assert f"{PARTNER}/syndication" in out and "127.0.0.4:8004/mirror" in out
    assert f"{SCRAPER}/copy-2" not in out and f"{BLOG}/tag/seo" not in out
    r = report(db, "--format", fmt, "--relation", "contains")
    assert f"{BLOG}/tag/seo" in r.output and f"{PARTNER}/syndication" not in r.output
    r = report(db, "--format", fmt, "--min-similarity", "0.5", "--relation", "contains")
    assert f"{BLOG}/tag/seo" not in r.output


def test_table_shows_verdicts_for_own_posts(db: Path) -> None:
    out = report(db, "--format", "table").output
    assert "Your posts: 2 appear on 4 other pages; 3 of those copies need action; 1 link back." in out
    assert "declares itself the original (self-canonical)" in out
    assert "\x1b[" not in out  # plain text when not a terminal


def test_own_domain_option_overrides_the_crawl(db: Path) -> None:
    data = json.loads(report(db, "--format", "json", "--own-domain", "127.0.0.9").output)
    assert data["own_domains"] == ["127.0.0.9"]
    # reason own-domain still marks them as the owner's posts
    assert all(cl["own_post"] for cl in data["clusters"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "unknown --format 'pdf'"),
        (["--status", "broken"], "unknown --status 'broken'"),
        (["--relation", "twin"], "unknown --relation 'twin'"),
        (["--fail-on", "nope"], "unknown --fail-on status 'nope'"),
        (["--since", "last tuesday"], "bad run or date 'last tuesday'"),
        (["--since", "99"], "no run 99: runs in this database: 1, 2"),
        (["--output", "/nonexistent-dir/r.html"], "folder /nonexistent-dir does not exist"),
        (["--output", "/proc/r.csv", "--format", "csv"], "cannot write --output /proc/r.csv"),  # even as root
    ],
)
def test_bad_input_is_one_line(db: Path, args: list[str], message: str) -> None:
    r = report(db, *args)
    assert r.exit_code == 1
    assert message in r.output and r.output.count("\n") == 1 and "Traceback" not in r.output


def test_table_neutralises_terminal_escapes(tmp_path: Path) -> None:
    db = hostile_db(tmp_path / "h.db")
    db["clusters"].update("evil", {"title": "Clear\x1b[2J\x1b]0;pwned\x07 [bold]title[/]"})
    out = report(tmp_path / "h.db", "--format", "table").output
    assert "\x1b" not in out and "\x07" not in out
    assert "Clear\ufffd[2J\ufffd]0;pwned\ufffd [bold]title[/]" in out  # rich markup printed literally too
