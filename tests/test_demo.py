"""The bundled demo site, audited end to end exactly as `make demo` does, matches its expected verdicts."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

from checks.pack import load_pack
from oitcheck.audit import check
from oitcheck.siteserver import SiteServer

SITE = Path(__file__).parent.parent / "demo" / "site"


def test_demo_site_verdicts(tmp_path: Path) -> None:
    meta = yaml.safe_load((SITE / "site.yaml").read_text(encoding="utf-8"))
    expected = yaml.safe_load((SITE / "expected.yaml").read_text(encoding="utf-8"))["items"]
    db = tmp_path / "demo.sqlite"
    with SiteServer(SITE) as server:
        env = {**os.environ, "http_proxy": server.proxy}
        env.pop("no_proxy", None)
        code = f"from oitcheck.audit import crawl; crawl({meta['start_url']!r}, {str(db)!r}, progress=False)"
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
    result = check(db, load_pack(meta["framework"]), as_of=date.fromisoformat(str(meta["as_of"])),
                   fy=int(meta["fiscal_year"]))
    wrong = []
    for item in result.items:
        want = expected[item.id]
        if item.status != want["status"] or (want["status"] == "fail" and item.reason != want["reason"]):
            wrong.append((item.id, item.status, item.reason, want["status"], want.get("reason")))
    assert not wrong, wrong
    errors = result.coverage.errors
    assert errors.get("redirect_loop") and errors.get("http_5xx") and errors.get("http_4xx")
    assert result.coverage.unparseable  # the truncated PDF is reported with its reason
