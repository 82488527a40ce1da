"""`copyhound check`: a few given pages compared directly, no crawl, with the
verdicts a crawl would give."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import run_cli

from copyhound.cli import cli
from copyhound.errors import EXIT_FAIL_ON
from copyhound.sites import ServedSite

UPSELL = "/never-try-to-up-sell-an-unhappy-customer/"


@pytest.fixture(scope="module")
def urls(demo_sites: dict[str, ServedSite]) -> dict[str, str]:
    blog, partner, scraper = (demo_sites[n].base_url for n in ("blog", "partner", "scraper"))
    return {
        "post": blog + UPSELL,
        "partner": partner + "/republished" + UPSELL,
        "scraper": scraper + "/articles/never-try-to-up-sell-an-unhappy-customer.html",
        "unrelated": scraper + "/articles/10-easy-ways-to-save-money-on-groceries.html",
        "missing": blog + "/no-such-page/",
    }


def test_check_names_each_page_and_its_verdict(urls: dict[str, str], demo_sites: dict[str, ServedSite]) -> None:
    before = len(demo_sites["blog"].requests)
    proc = run_cli("check", urls["post"], urls["partner"], urls["scraper"], urls["unrelated"], urls["missing"])
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    blocks: dict[str, str] = {}
    url = ""
    for line in out.splitlines():  # a URL, then its indented findings
        if line.startswith(" "):
            blocks[url] += line.strip() + "\n"
        else:
            url = line
            blocks[url] = ""
    assert "your post (canonical: own-domain); 2 copies among the pages given" in blocks[urls["post"]]
    assert "status canonical-ok" in blocks[urls["partner"]]
    assert "verdict: canonical link points to your post: search engines credit your post" in blocks[urls["partner"]]
    assert "status missing-canonical" in blocks[urls["scraper"]]
    assert "asks search engines to choose between it and your post" in blocks[urls["scraper"]]
    assert "shares no post with the other pages given" in blocks[urls["unrelated"]]
    assert "could not be checked" in blocks[urls["missing"]] and "404" in blocks[urls["missing"]]
    # No crawl: on the blog only the given pages and robots.txt were requested.
    paths = {p for _, p in demo_sites["blog"].requests[before:]}
    assert paths <= {"/robots.txt", UPSELL, "/no-such-page/"}


def test_check_json_and_fail_on(urls: dict[str, str], report_schema: dict) -> None:
    import jsonschema

    proc = run_cli("check", urls["post"], urls["scraper"], "--format", "json", "--fail-on", "missing-canonical")
    assert proc.returncode == EXIT_FAIL_ON, proc.stderr
    data = json.loads(proc.stdout)
    jsonschema.validate(data, report_schema)
    (cluster,) = data["clusters"]
    assert cluster["canonical"]["url"] == urls["post"] and cluster["own_post"] is True
    assert [c["url"] for c in cluster["copies"]] == [urls["scraper"]]
    assert [c["error"] for c in data["checked"]] == [None, None]


def test_own_domain_can_name_the_original(urls: dict[str, str]) -> None:
    # Given the scraper's page first but the blog's host as own, the blog post is still the original.
    proc = run_cli("check", urls["scraper"], urls["post"], "--own-domain", "127.0.0.1", "--format", "json")
    (cluster,) = json.loads(proc.stdout)["clusters"]
    assert cluster["canonical"]["url"] == urls["post"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["http://127.0.0.1:1/"], "give at least two URLs"),
        (["ftp://x/", "http://127.0.0.1:1/"], "bad URL 'ftp://x/'"),
        (["http://127.0.0.1:1/a", "http://127.0.0.1:1/b", "--format", "xml"], "unknown --format 'xml'"),
    ],
)
def test_bad_input_is_one_line(args: list[str], message: str) -> None:
    r = CliRunner().invoke(cli, ["check", *args])
    assert r.exit_code == 1 and message in r.output and r.output.count("\n") == 1
