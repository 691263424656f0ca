"""Extraction in worker processes and the extraction cache.

Documents are read in a pebble pool (a deadline per document, a replaced worker after a timeout);
a second crawl of an unchanged site takes every document from the cache instead of reading it again.
Crawls are real: a loopback site server, a Scrapy process.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cache import ExtractionCache, variant
from crawler.documents import Extraction, Link
from crawler.extract import extract
from crawler.workers import ExtractionPool
from oitcheck.siteserver import SiteServer
from store import Store

DOCS = Path(__file__).parent / "fixtures" / "docs"
HOST = "www.cache-crawl.test"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


def _run(coro):  # noqa: ANN001, ANN202 - a tiny helper for async pool calls
    return asyncio.run(coro)


def test_a_worker_reads_a_document_as_the_crawl_process_would() -> None:
    body = (DOCS / "manual.pdf").read_bytes()
    pool = ExtractionPool(1, timeout=60)
    try:
        got, cpu = _run(pool.extract(body, "http://x.test/manual.pdf", "application/pdf"))
    finally:
        pool.close()
    here = extract(body, "http://x.test/manual.pdf", "application/pdf")
    assert got.error is None and got.kind == "pdf" and cpu > 0
    assert (got.text, got.title, got.pages, got.source) == (here.text, here.title, here.pages, here.source)


@needs_tesseract
def test_a_document_that_outlasts_its_deadline_is_reported_and_the_pool_goes_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OITCHECK_OCR", raising=False)
    scan = (DOCS / "scan-300dpi.pdf").read_bytes()  # two pages of OCR: seconds of work
    text_pdf = (DOCS / "manual.pdf").read_bytes()
    pool = ExtractionPool(1, timeout=0.5)
    try:
        slow, _ = _run(pool.extract(scan, "http://x.test/scan.pdf", "application/pdf"))
        after, _ = _run(pool.extract(text_pdf, "http://x.test/manual.pdf", "application/pdf"))
    finally:
        pool.close()
    assert slow.error == "timeout: extraction took longer than 0.5 s"
    assert after.error is None and after.text  # the killed worker was replaced


def test_cache_round_trip_and_what_it_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ExtractionCache(tmp_path / "c.sqlite")
    ex = Extraction(kind="pdf", title="ประกาศ", text="ข้อความ ๒๕๖๙", pages=2, method="pdftotext", source="text",
                    links=[Link(url="http://x.test/a", text="ลิงก์")], notes=[])
    cache.put("a" * 64, ex)
    assert cache.get("a" * 64) == ex
    assert cache.get("b" * 64) is None
    cache.put("c" * 64, Extraction(kind="pdf", error="timeout: pdftotext"))  # transient: retried next run
    cache.put("d" * 64, Extraction(kind="pdf", text="x", notes=["OCR: time budget: 3 of 5 pages not read"]))
    cache.put("e" * 64, Extraction(kind="html", text="page"))  # pages are parsed each time
    assert [cache.get(k * 64) for k in "cde"] == [None, None, None]
    assert (cache.hits, cache.misses) == (1, 4)
    before = cache.variant
    cache.close()
    monkeypatch.setenv("OITCHECK_OCR_PAGES", "3")  # other OCR settings read documents differently
    other = ExtractionCache(tmp_path / "c.sqlite")
    assert other.variant == variant() != before
    assert other.get("a" * 64) is None
    other.close()


def _site(root: Path) -> None:
    h = root / "hosts" / HOST
    (h / "files").mkdir(parents=True)
    links = "".join(f'<a href="/files/{name}">{name}</a><br>' for name in ("plan.pdf", "form.docx", "list.xlsx"))
    (h / "index.html").write_text(f"<html><head><meta charset='utf-8'><title>หน่วยงานทดลอง</title></head>"
                                  f"<body>{links}</body></html>", encoding="utf-8")
    for name, src in (("plan.pdf", "manual.pdf"), ("form.docx", "manual.docx"), ("list.xlsx", "procurement.xlsx")):
        (h / "files" / name).write_bytes((DOCS / src).read_bytes())


def _crawl(server: SiteServer, db: Path) -> None:
    env = {**os.environ, "http_proxy": server.proxy, "OITCHECK_EXTRACT_WORKERS": "2"}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    code = ("from oitcheck.audit import crawl; "
            f"crawl('http://{HOST}/', {str(db)!r}, progress=False, extra={{'AUTOTHROTTLE_ENABLED': False}})")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_a_second_crawl_of_an_unchanged_site_reads_no_document_again(tmp_path: Path) -> None:
    root = tmp_path / "site"
    _site(root)
    with SiteServer(root) as server:
        _crawl(server, tmp_path / "first.sqlite")
        _crawl(server, tmp_path / "second.sqlite")
    assert (tmp_path / "extractions.sqlite").exists()  # beside the evidence stores
    runs = []
    for name in ("first", "second"):
        store = Store(tmp_path / f"{name}.sqlite")
        run = store.latest_run()
        runs.append((store.run_info(run)["stats"], {d.url: d.extraction for d in store.documents(run)}))
    (first_stats, first), (second_stats, second) = runs
    assert first_stats.get("cache_hits", 0) == 0
    assert first_stats["documents"] == 3 and second_stats["cache_hits"] == 3
    assert first == second  # the same extractions, read once
    assert all(ex.error is None and ex.text for url, ex in first.items() if "/files/" in url)
