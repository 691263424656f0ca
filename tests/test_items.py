"""Every item of every shipped pack has passing and failing fixture sites; each must get its verdict.

Cases live in ``tests/fixtures/items/<pack>/<item>/<case>/`` (``case.yaml`` + ``hosts/``). All cases
are served for real on loopback (one server each) and crawled concurrently in one Scrapy process;
each case is then checked for its own item only, so a regression names the item and the case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest
import yaml

from checks.pack import builtin_packs, load_pack
from oitcheck.audit import judge_items
from oitcheck.siteserver import SiteServer

ROOT = Path(__file__).parent / "fixtures" / "items"
# OITCHECK_CASES="nacc-2564/O3*" runs a subset (a glob on <pack>/<item>/<case>) while writing fixtures.
CASES = sorted(p.parent for p in ROOT.glob(os.environ.get("OITCHECK_CASES", "*/*/*") + "/case.yaml"))


PHOTO_ALBUM = ("a labelled photo album with only a date carries one of the two elements; a labelled link that opens"
               " onto a page with only some elements is dropped as another kind (criteria §5), so absent, not"
               " incomplete")
# Cases the engine still gets wrong, each with the reason; strict, so a fix shows up as XPASS.
KNOWN_GAPS = {
    "bma-district-2568/O14/fail-incomplete": "a subsidy total without named communities is not told apart from a"
    " list: the element matches the word ชุมชน itself (false pass)",
    "nacc-2562/O2/fail-incomplete": "a deputy shown in the structure chart but missing from the executives page is"
    " not detected: the executives page is not compared with the chart (false pass)",
    "nacc-2562/O3/fail-incomplete": "a link to the whole statute is not told from a description of the duties: the"
    " statute is dropped as another kind of page (absent, not incomplete)",
    "nacc-2564/O3/fail-incomplete": "the whole statute carries enough duty verbs (มีหน้าที่, ส่งเสริม …) to pass as a"
    " description: no whole-law test yet (false pass)",
    "nacc-2566/O3/fail-incomplete": "a link to the whole statute is not told from a description of the duties: the"
    " statute is dropped as another kind of page (absent, not incomplete)",
    "nacc-2562/O33/fail-incomplete": PHOTO_ALBUM,
    "nacc-2564/O33/fail-incomplete": PHOTO_ALBUM,
    "nacc-2566/O30/fail-incomplete": PHOTO_ALBUM,
    "bma-district-2568/O22/fail-stale": "the six-month report's cover names the measures, so it is judged an"
    " incomplete measures document that outranks the stale one (wrong reason)",
}


def case_id(path: Path) -> str:
    return "/".join(path.relative_to(ROOT).parts)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    out = tmp_path_factory.mktemp("items")
    dbs: dict[Path, Path] = {}
    jobs = []
    with ExitStack() as stack:
        for i, case in enumerate(CASES):
            meta = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
            server = stack.enter_context(SiteServer(case))
            dbs[case] = out / f"case{i}.sqlite"
            jobs.append({"url": meta["start_url"], "db": str(dbs[case]), "proxy": server.proxy, "max_pages": 200})
        code = ("import json, sys; from oitcheck.audit import crawl_many; crawl_many(json.loads(sys.argv[1]),"
                " extra={'AUTOTHROTTLE_ENABLED': False, 'LOG_LEVEL': 'ERROR'})")
        # One Scrapy process per core: extraction runs in the crawl process, so one process is CPU-bound.
        n = max(1, min(os.cpu_count() or 1, 4))
        procs = [subprocess.Popen([sys.executable, "-c", code, json.dumps(jobs[k::n])], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for k in range(n)]
        for proc in procs:
            _, err = proc.communicate(timeout=1200)
            assert proc.returncode == 0, err[-3000:]
    return dbs


def test_every_item_has_a_pass_and_a_fail_case() -> None:
    for pack_id in builtin_packs():
        pack, pack_dir = load_pack(pack_id), ROOT / pack_id
        for item in pack.items:
            cases = [c.name for c in (pack_dir / item.id).iterdir()] if (pack_dir / item.id).exists() else []
            assert "pass" in cases, f"{pack.id} {item.id}: no passing fixture"
            assert any(c.startswith("fail") for c in cases), f"{pack.id} {item.id}: no failing fixture"


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN_GAPS[case_id(c)], strict=True))
    if case_id(c) in KNOWN_GAPS else c for c in CASES
], ids=case_id)
def test_item_verdict(case: Path, crawled: dict[Path, Path]) -> None:
    meta = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    pack = load_pack(case.parent.parent.name)
    [verdict] = judge_items(crawled[case], pack, [meta["item"]], as_of=date.fromisoformat(str(meta["as_of"])),
                            fy=int(meta.get("fiscal_year") or 0) or None)
    want = meta["expect"]
    got = (verdict.status, verdict.reason)
    detail = [(c.id, c.status, c.reason, c.detail, c.missing) for c in verdict.components]
    assert verdict.status == want["status"], f"{got} != {want}; components: {detail}"
    if want["status"] == "fail":
        assert verdict.reason == want["reason"], f"{got} != {want}; components: {detail}"
    else:
        assert verdict.evidence, "a pass must carry evidence"
