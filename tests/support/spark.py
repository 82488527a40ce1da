"""Helpers of the Spark tests: WARC recorded by `copyhound crawl --warc` over
real HTTP, the in-process reference (`copyhound ingest` of the same files),
and the answers the two must agree on."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from conftest import FIXTURE_SITES, ROOT, report_json, run_cli

from copyhound.sites import serve_sites

CRAWL_FLAGS = ("--allow-private", "--delay", "0", "--quiet")


def answers(report: dict) -> list[tuple]:
    """What must agree: clusters, canonicals, reasons, and each copy's relation and status."""
    return sorted(
        (c["canonical"]["url"], c["canonical"]["reason"],
         tuple(sorted((cp["url"], cp["relation"], cp["status"]) for cp in c["copies"])))
        for c in report["clusters"]
    )


def crawl_fixture_sites(warc_dir: Path, db: Path, own_db: Path, recrawl_dir: Path) -> list[str]:
    """The fixture sites crawled into `db` and recorded as WARC, then crawled
    again into `recrawl_dir` (unchanged pages answer 304: revisit records whose
    originals are in the first crawl's files), the blog alone into `own_db` (a
    hunt's site.db); returns the own domains."""
    with serve_sites(FIXTURE_SITES) as sites:
        seeds = [s.base_url + "/" for s in sites.values()]
        for folder in (warc_dir, recrawl_dir):
            run_cli("crawl", *seeds, "--db", str(db), "--own-domain", "127.0.0.1", *CRAWL_FLAGS,
                    "--warc", str(folder), check=True)
        run_cli("crawl", seeds[0], "--db", str(own_db), "--own-domain", "127.0.0.1", *CRAWL_FLAGS, check=True)
    return ["127.0.0.1"]


def crawl_realsites_small(warc_dir: Path, db: Path) -> list[str]:
    """Hugo's real output (bench/realsites/small: listings with summaries and
    teasers, Japanese posts, one page under several URLs) crawled with --warc."""
    import json

    from support.realsites import PLACEHOLDER, SMALL, serve_small_site, small_site_seeds

    with serve_small_site() as srv:
        truth = json.loads((SMALL / "truth.json").read_text().replace(PLACEHOLDER, srv.base))
        seeds = small_site_seeds(srv.base, truth["posts"]["13"]["canonical"])
        run_cli("crawl", *seeds, "--db", str(db), "--own-domain", "127.0.0.1", *CRAWL_FLAGS,
                "--warc", str(warc_dir), check=True)
    return ["127.0.0.1"]


def _syndication_server() -> ModuleType:
    spec = importlib.util.spec_from_file_location("syndication_score", ROOT / "bench" / "syndication_score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def crawl_syndication(warc_dir: Path, db: Path) -> list[str]:
    """fixtures/syndication served on its loopback hosts (headers included), crawled with --warc."""
    import json

    corpus = ROOT / "fixtures" / "syndication"
    truth = json.loads((corpus / "truth.json").read_text())
    with _syndication_server().serve(corpus / "sites", truth["sites"]) as bases:
        own = [urlsplit(bases[truth["own_domain"]]).hostname or ""]
        run_cli("crawl", *[bases[n] + "/" for n in truth["sites"]], "--db", str(db), "--own-domain", *own,
                *CRAWL_FLAGS, "--warc", str(warc_dir), check=True)
    return own


def ingest_answers(warcs: list[Path], db: Path, own: list[str]) -> list[tuple]:
    """The in-process pipeline's answers on these WARC files (`copyhound ingest`)."""
    run_cli("ingest", *map(str, warcs), "--db", str(db), "--own-domain", *own, "--quiet", check=True)
    return answers(report_json(db))


def whole_report(db: Path) -> dict:
    """The JSON report bar the time it was made: totals, clusters and every field of every copy."""
    report = report_json(db)
    report.pop("generated_at")
    return report


def _article(title: str, words: int, seed: int) -> bytes:
    import random

    rng = random.Random(seed)
    vocab = [f"{a}{b}{c}" for a in "klmnoprst" for b in "aeiou" for c in "bdgrstvz"]
    text = " ".join(rng.choice(vocab) for _ in range(words))
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1><p>{text}</p></article></body></html>").encode()


def write_digest_revisit_pair(folder: Path, host: str = "mirror.example") -> tuple[str, str]:
    """Two WARC files: a response for /a, then, in the second file, an
    identical-payload-digest revisit of another URL (/b) naming it only by
    digest (as Common Crawl and Heritrix write them); returns both URLs."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    body = _article("A post stored twice", 260, 13)
    head = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
    a, b = f"http://{host}/a", f"http://{host}/b"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "digest-1-original.warc.gz").open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        rec = writer.create_warc_record(a, "response", payload=io.BytesIO(body),
                                        http_headers=StatusAndHeaders("200 OK", head, protocol="HTTP/1.1"))
        writer.write_record(rec)
        digest = rec.rec_headers.get_header("WARC-Payload-Digest")
    with (folder / "digest-2-revisit.warc.gz").open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warc_record(
            b, "revisit", http_headers=StatusAndHeaders("200 OK", head[:1], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Profile": WARCWriter.REVISIT_PROFILE_1_1, "WARC-Payload-Digest": digest}))
    return a, b
