"""Benchmark: crawl a site whose documents are scans, with OCR in the crawl process or in workers,
then re-audit it unchanged with the extraction cache.

    python bench/scanned_site.py [--docs 24] [--pages 60]

Generates a loopback site: ``--pages`` HTML pages (a news list and posts) and ``--docs`` distinct
scanned PDFs (the two-page 300 dpi announcement of tests/fixtures/docs, each copy made distinct by an
appended comment so no two share a hash), serves it with oitcheck's site server as an HTTP proxy and
crawls it three times in child processes:

1. ``workers=0``: extraction (and OCR) in the crawl's own process, as before;
2. ``workers=<cores>``: documents extracted in the worker pool, cache off;
3. the same again with the cache filled by run 2: the re-audit of an unchanged site.

Reports wall seconds (child process start included), HTML pages fetched per second, CPU seconds (crawl
process plus workers), documents read by OCR and the cache hits of each run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "tests" / "fixtures" / "docs"
HOST = "www.scans-bench.test"
sys.path.insert(0, str(REPO))

from oitcheck.siteserver import SiteServer  # noqa: E402


def make_site(root: Path, docs: int, pages: int) -> None:
    h = root / "hosts" / HOST
    (h / "news").mkdir(parents=True)
    (h / "files").mkdir()
    scan = (DOCS / "scan-300dpi.pdf").read_bytes()
    files = []
    for i in range(docs):
        name = f"announcement-{i:03d}.pdf"
        (h / "files" / name).write_bytes(scan + f"\n% copy {i}\n".encode())
        files.append(name)
    posts = []
    for i in range(pages):
        doc = files[i % docs] if i < docs else None
        link = f'<p><a href="/files/{doc}">ประกาศ (ไฟล์สแกน)</a></p>' if doc else ""
        (h / "news" / f"{i}.html").write_text(
            f"<html><head><meta charset='utf-8'><title>ข่าว {i}</title></head><body><h1>ข่าวประชาสัมพันธ์ {i}</h1>"
            f"<p>{'เนื้อหาข่าว ' * 40}</p>{link}</body></html>", encoding="utf-8")
        posts.append(f'<li><a href="/news/{i}.html">ข่าว {i}</a></li>')
    (h / "index.html").write_text(
        "<html><head><meta charset='utf-8'><title>หน่วยงานทดสอบ</title></head><body><ul>"
        + "".join(posts) + "</ul></body></html>", encoding="utf-8")


def run(server: SiteServer, db: Path, workers: int, cache: str) -> dict:
    env = {**os.environ, "http_proxy": server.proxy, "OITCHECK_EXTRACT_WORKERS": str(workers)}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    code = ("from oitcheck.audit import crawl; import sys; "
            f"crawl('http://{HOST}/', {str(db)!r}, progress=False, max_pages=5000, "
            f"extra={{'AUTOTHROTTLE_ENABLED': False, 'OITCHECK_CACHE': {cache!r}}})")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    con = sqlite3.connect(db)
    stats = json.loads(con.execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    ocr = con.execute("SELECT count(*) FROM contents WHERE source='ocr'").fetchone()[0]
    con.close()
    # Workers are forked by multiprocessing's fork server, not reaped by the crawl process: they
    # report their own CPU (worker_cpu_ms), added to the crawl process's.
    crawl_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall_s": round(wall, 2), "pages": stats.get("pages", 0), "documents": stats.get("documents", 0),
            "ocr_documents": ocr, "pages_per_s": round(stats.get("pages", 0) / wall, 2),
            "cpu_s": round(crawl_cpu + stats.get("worker_cpu_ms", 0) / 1000, 2),
            "cache_hits": stats.get("cache_hits", 0)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=24)
    ap.add_argument("--pages", type=int, default=60)
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="oitcheck-scans-") as tmp:
        root = Path(tmp)
        make_site(root / "site", args.docs, args.pages)
        with SiteServer(root / "site") as server:
            results = {
                "in_process": run(server, root / "a.sqlite", 0, "off"),
                f"workers_{cores}": run(server, root / "b.sqlite", cores, str(root / "cache.sqlite")),
                "re_audit_cached": run(server, root / "c.sqlite", cores, str(root / "cache.sqlite")),
            }
    for name, r in results.items():
        print(f"{name:18} {json.dumps(r)}")
    first, pool, cached = results["in_process"], results[f"workers_{cores}"], results["re_audit_cached"]
    print(json.dumps({"cores": cores, "docs": args.docs, "speedup_workers": round(first["wall_s"] / pool["wall_s"], 2),
                      "speedup_cached_reaudit": round(pool["wall_s"] / cached["wall_s"], 2),
                      "cpu_ratio_cached": round(cached["cpu_s"] / max(pool["cpu_s"], 0.01), 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
