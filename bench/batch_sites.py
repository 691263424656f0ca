"""Benchmark: a batch of generated district sites through the loopback proxy, audited, then re-audited.

    python bench/batch_sites.py [--sites 20] [--pages 150] [--pdfs 15] [--concurrency 4] [--keep DIR]

Generates ``--sites`` sites with ../shared/corpus/make_large_site.py (skipped with a message when
../shared is absent), each under its own host name, serves them all with oitcheck's loopback
server as an HTTP proxy, and runs ``oitcheck batch`` in a child process three times on one store:

1. first audit (empty store and extraction cache);
2. re-audit of the unchanged batch, server answering conditional requests (ETag → 304);
3. re-audit, server sending no validators (only the extraction cache helps), as many PHP sites do.

Reports wall time, sites/hour, pages fetched, CPU seconds (the batch process and its extraction
workers) per fetched page and the re-audit speed-ups. CPU count: the machine's (2 here).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "corpus" / "make_large_site.py"
sys.path.insert(0, str(REPO))

from oitcheck.siteserver import SiteServer  # noqa: E402

BASE_HOST = "large-district.bangkok-demo.go.th"
BINARY = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".docx", ".xlsx", ".zip"}


def generate(root: Path, n: int, pages: int, pdfs: int) -> list[tuple[str, str]]:
    """``n`` sites under root/hosts/<host>/, each its own host; returns (name, url) per site."""
    hosts = root / "hosts"
    sites = []
    for seed in range(1, n + 1):
        host = f"khet{seed:02d}.bangkok-demo.go.th"
        sites.append((f"สำนักงานเขตทดสอบ {seed:02d}", f"http://{host}/"))
        if (hosts / host).exists():
            continue
        tmp = root / f"gen-{seed}"
        subprocess.run([sys.executable, str(GENERATOR), str(tmp), "--pages", str(pages), "--pdfs", str(pdfs),
                        "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
        [site] = list(tmp.glob("bma-large-s*"))
        shutil.move(str(site / "hosts" / BASE_HOST), str(hosts / host))
        for f in (hosts / host).rglob("*"):
            if f.is_file() and f.suffix.lower() not in BINARY:
                data = f.read_bytes()
                if BASE_HOST.encode() in data:
                    f.write_bytes(data.replace(BASE_HOST.encode(), host.encode()))
        shutil.rmtree(tmp)
    return sites


def run_batch(csv_path: Path, db: Path, proxy: str, concurrency: int, report: Path) -> dict:
    env = {**os.environ, "http_proxy": proxy}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "oitcheck.cli", "batch", str(csv_path), "--db", str(db),
                           "--as-of", "2025-05-20", "-j", str(concurrency), "--report-dir", str(report), "-q",
                           "--max-pages", "3000"], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch failed ({proc.returncode}): {proc.stderr[-2000:]}")
    con = sqlite3.connect(db)
    batch = con.execute("SELECT max(id) FROM batches").fetchone()[0]
    runs = [r[0] for r in con.execute("SELECT run_id FROM batch_sites WHERE batch_id=? AND state='done'",
                                      (batch,))]
    marks = ",".join("?" * len(runs))
    fetched, revalidated = con.execute(f"SELECT count(*), coalesce(sum(revalidated), 0) FROM documents WHERE "
                                       f"run_id IN ({marks}) AND error IS NULL", runs).fetchone()
    scores = [r[0] for r in con.execute(f"SELECT oit FROM audits WHERE run_id IN ({marks})", runs)]
    con.close()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 1), "sites_done": len(runs), "sites_per_hour": round(len(runs) / wall * 3600),
            "fetched": fetched, "revalidated_304": revalidated, "cpu_s": round(cpu, 1),
            "cpu_ms_per_page": round(cpu / max(fetched, 1) * 1000, 1),
            "oit_scores": sorted(set(round(s, 2) for s in scores))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", type=int, default=20)
    ap.add_argument("--pages", type=int, default=150)
    ap.add_argument("--pdfs", type=int, default=15)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--keep", type=Path, help="generate into / reuse this folder")
    args = ap.parse_args()
    if not GENERATOR.exists():
        print(f"skipped: {GENERATOR} not found (the benchmark needs ../shared)")
        return 0
    root = args.keep or Path(tempfile.mkdtemp(prefix="oitcheck-batch-bench-"))
    (root / "hosts").mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    sites = generate(root, args.sites, args.pages, args.pdfs)
    print(f"{len(sites)} sites ready in {time.perf_counter() - t:.0f} s under {root}", file=sys.stderr)
    csv_path = root / "sites.csv"
    csv_path.write_text("name,url,framework,group\n" + "".join(
        f"{name},{url},bma-district-2568,กลุ่ม{i % 3 + 1}\n" for i, (name, url) in enumerate(sites)), encoding="utf-8")
    db = root / "bench.sqlite"
    for f in root.glob("bench.sqlite*"):
        f.unlink()
    for f in root.glob("extractions.sqlite*"):
        f.unlink()
    results = {"cpus": os.cpu_count(), "sites": len(sites), "concurrency": args.concurrency}
    with SiteServer(root) as server:
        results["first"] = run_batch(csv_path, db, server.proxy, args.concurrency, root / "r1")
        results["reaudit_304"] = run_batch(csv_path, db, server.proxy, args.concurrency, root / "r2")
    with SiteServer(root, conditional=False) as server:
        results["reaudit_cache_only"] = run_batch(csv_path, db, server.proxy, args.concurrency, root / "r3")
    first = results["first"]["wall_s"]
    results["speedup_304"] = round(first / results["reaudit_304"]["wall_s"], 2)
    results["speedup_cache_only"] = round(first / results["reaudit_cache_only"]["wall_s"], 2)
    results["cpu_ratio_304"] = round(results["first"]["cpu_s"] / max(results["reaudit_304"]["cpu_s"], 0.1), 2)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
