"""Helpers of the Spark tests: fixture sites recorded as WARC over real HTTP,
and the in-process pipeline run over the same WARC records (the reference
the Spark job must agree with)."""

from __future__ import annotations

from pathlib import Path

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from copyhound.dedupe.match.text import text_hash
from copyhound.pipeline import own_url_predicate
from copyhound.sites import ServedSite
from copyhound.spark.records import fetch_result, page_id
from copyhound.spark.warcinput import WarcPage, read_warc
from copyhound.stages.chrome_pass import strip_site_chrome
from copyhound.stages.cluster_pass import update_clusters
from copyhound.stages.page_sink import _extract
from copyhound.store import open_db
from copyhound.store.pages import save_fetch
from copyhound.store.runs import finish_run, start_run


def site_urls(site: ServedSite) -> list[str]:
    urls = []
    for f in sorted(site.root.rglob("*")):
        if f.is_file():
            rel = f.relative_to(site.root).as_posix()
            rel = rel.removesuffix("index.html")
            urls.append(f"{site.base_url.rstrip('/')}/{rel}")
    return urls


def record_warc(urls: list[str], path: Path) -> int:
    """Fetch each URL over HTTP and write its response as a WARC record; returns records written."""
    n = 0
    with path.open("wb") as out, httpx.Client(timeout=10) as client:
        writer = WARCWriter(out, gzip=True)
        for url in urls:
            r = client.get(url)
            headers = StatusAndHeaders(f"{r.status_code} {r.reason_phrase}",
                                       [(k, v) for k, v in r.headers.items() if k.lower() != "content-encoding"],
                                       protocol="HTTP/1.1")
            from io import BytesIO
            rec = writer.create_warc_record(url, "response", payload=BytesIO(r.content), http_headers=headers)
            writer.write_record(rec)
            n += 1
    return n


def ingest_in_process(warcs: list[Path], db_path: Path, own_domains: list[str]) -> None:
    """What `copyhound ingest` does: each record stored as the crawl's page sink
    stores a fetch, then the crawl's chrome and cluster passes."""
    db = open_db(db_path)
    run = start_run(db, [str(w) for w in warcs], {"own_domains": own_domains})
    with db.atomic():
        for fi, w in enumerate(warcs):
            with w.open("rb") as stream:
                for ri, rec in enumerate(read_warc(stream, str(w))):
                    assert isinstance(rec, WarcPage), rec
                    result = fetch_result(rec)
                    parsed = _extract(result.text, result.url, dict(result.headers)) if result.text else None
                    save_fetch(db, result, parsed.extracted if parsed else None, run_id=run.id, text_hash=text_hash,
                               prepared=parsed.prepared if parsed else None)
                    _ = page_id(fi, ri)
    strip_site_chrome(db)
    update_clusters(db, run_id=run.id, is_own_url=own_url_predicate(own_domains))
    finish_run(db, run.id, {})
