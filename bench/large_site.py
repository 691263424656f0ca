"""Benchmark: audit a large generated district site through a loopback proxy.

    python bench/large_site.py [--pages 5000] [--pdfs 500] [--keep DIR]

Generates the site with ../shared/corpus/make_large_site.py (the shared generator; the benchmark
is skipped with a message when ../shared is absent), serves it with oitcheck's loopback server as
an HTTP proxy, runs ``oitcheck audit`` in a child process and reports pages/s, documents/s, CPU
seconds and peak memory of that process, plus agreement with the site's labels.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "corpus" / "make_large_site.py"
sys.path.insert(0, str(REPO))

from oitcheck.siteserver import SiteServer  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--pdfs", type=int, default=500)
    ap.add_argument("--max-pages", type=int, default=8000)
    ap.add_argument("--keep", type=Path, help="generate into / reuse this folder")
    args = ap.parse_args()
    if not GENERATOR.exists():
        print(f"skipped: {GENERATOR} not found (the benchmark needs ../shared)")
        return 0
    corpus = args.keep or Path(tempfile.mkdtemp(prefix="oitcheck-bench-"))
    sites = list(corpus.glob("bma-large-s*"))
    if not sites:
        subprocess.run([sys.executable, str(GENERATOR), str(corpus), "--pages", str(args.pages),
                        "--pdfs", str(args.pdfs)], check=True)
        sites = list(corpus.glob("bma-large-s*"))
    site = sites[0]
    labels = yaml.safe_load((site / "labels.yaml").read_text(encoding="utf-8"))
    out = corpus / "result.json"
    db = corpus / "bench.sqlite"
    if db.exists():
        db.unlink()
    with SiteServer(site) as server:
        env = {**os.environ, "http_proxy": server.proxy}
        env.pop("no_proxy", None)
        cmd = [sys.executable, "-m", "oitcheck.cli", "audit", labels["start_url"], "--framework",
               labels["framework"], "--as-of", str(labels["as_of"]), "--format", "json", "--output", str(out),
               "--db", str(db), "--max-pages", str(args.max_pages), "--max-depth", "30", "-q"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        requests = len(server.requests)
    if proc.returncode != 0:
        print(proc.stderr[-3000:])
        return 1
    result = json.loads(out.read_text(encoding="utf-8"))
    cov = result["coverage"]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    agree = sum(1 for i in result["items"] if labels["items"][i["id"]]["status"] == i["status"])
    figures = {
        "site_pages": args.pages, "site_pdfs": args.pdfs, "requests": requests,
        "pages_fetched": cov["pages"], "documents_fetched": cov["documents"],
        "wall_s": round(wall, 1), "pages_per_s": round(cov["pages"] / wall, 1),
        "documents_per_s": round(cov["documents"] / wall, 1), "cpu_s": round(cpu, 1),
        "cpu_ms_per_fetch": round(1000 * cpu / max(1, cov["pages"] + cov["documents"]), 1),
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1), "finish_reason": cov["finish_reason"],
        "item_agreement": f"{agree}/{len(result['items'])}",
    }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
