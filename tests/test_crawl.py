"""End-to-end crawls of a fixture site served for real on loopback (never mocked responses).

The site is written into a temporary folder: windows-874 page, 404, 500, redirect chain and loop,
a crawler trap (endless calendar), an over-size file, a truncated PDF, off-site documents reached
through the proxy, and a shared-portal prefix. Each bad input must show up in the store with its
cause while the crawl goes on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from oitcheck.siteserver import SiteServer
from store import Store

DOCS = Path(__file__).parent / "fixtures" / "docs"
HOST = "www.khet-crawl.test"


def page(title: str, body: str, charset: str = "utf-8") -> str:
    return (f'<html><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}</body></html>")


def make_site(root: Path) -> None:
    h = root / "hosts" / HOST
    (h / "khet").mkdir(parents=True)
    (h / "calendar").mkdir()
    (h / "files").mkdir()
    links = "".join(f'<a href="{u}">{t}</a><br>' for u, t in [
        ("/khet/about.html", "ข้อมูลพื้นฐาน"),
        ("/khet/legacy.html", "หน้าเก่า"),
        ("/khet/missing.html", "หน้าที่หายไป"),
        ("/khet/error.html", "หน้าที่เสีย"),
        ("/khet/old-ita.php", "ITA เดิม"),
        ("/khet/loop-a", "วนลูป"),
        ("/khet/calendar.html?m=202501", "ปฏิทินกิจกรรม"),
        ("/files/big.pdf", "ไฟล์ขนาดใหญ่"),
        ("/files/broken.pdf", "แผนปฏิบัติราชการ (ไฟล์เสีย)"),
        ("/files/plan.pdf", "แผนปฏิบัติราชการ 2568"),
        ("http://drive.google.com/file/d/abc/view", "สรุปผลการจัดซื้อจัดจ้าง (Drive)"),
        ("/other-khet/index.html", "เขตอื่น"),
        ("javascript:void(0)", "รอใส่ลิงก์"),
    ])
    (h / "khet" / "index.html").write_text(page("สำนักงานเขตทดลอง", links), encoding="utf-8")
    (h / "khet" / "about.html").write_text(
        page("ข้อมูลพื้นฐาน", "<p>สำนักงานเขตทดลอง โทร. 02-000-0000</p>"), encoding="utf-8")
    legacy = page("หน้าภาษาไทยแบบเก่า", "<p>ประกาศสำนักงานเขตทดลอง เรื่อง การรับสมัคร</p>", "windows-874")
    (h / "khet" / "legacy.html").write_bytes(legacy.encode("cp874"))
    (h / "khet" / "ita2568.html").write_text(page("ITA 2568", "<p>ดัชนี</p>"), encoding="utf-8")
    for m in range(1, 200):  # an endless-looking calendar: each month links to the next
        y, mm = 2000 + m // 12, m % 12 + 1
        nxt = f"/khet/calendar.html?m={2000 + (m + 1) // 12}{(m + 1) % 12 + 1:02d}"
        (h / "khet" / f"calendar.html?m={y}{mm:02d}").write_text(
            page(f"ปฏิทิน {y}-{mm}", f'<a href="{nxt}">เดือนถัดไป</a>'), encoding="utf-8")
    archive = "".join(f'<a href="/khet/calendar.html?m={2000 + m // 12}{m % 12 + 1:02d}">{m}</a>'
                      for m in range(12, 199))  # a date archive listing every month at once
    (h / "khet" / "calendar.html?m=202501").write_text(page("ปฏิทิน", archive), encoding="utf-8")
    (h / "files" / "big.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 3_000_000)
    (h / "files" / "plan.pdf").write_bytes((DOCS / "manual.pdf").read_bytes())
    real = (DOCS / "manual.pdf").read_bytes()
    (h / "files" / "broken.pdf").write_bytes(real[: len(real) // 2])
    (h / "_routes.yaml").write_text(
        "status: {/khet/error.html: 500}\n"
        "redirects:\n"
        "  /khet/old-ita.php: [301, /khet/ita.php]\n"
        "  /khet/ita.php: [302, /khet/ita2568.html]\n"
        "  /khet/loop-a: [302, /khet/loop-b]\n"
        "  /khet/loop-b: [302, /khet/loop-a]\n"
        "content_type: {/khet/legacy.html: text/html; charset=windows-874}\n", encoding="utf-8")
    d = root / "hosts" / "drive.google.com" / "file" / "d" / "abc"
    d.mkdir(parents=True)
    (d / "view").write_text(page("สขร.pdf - Google Drive", "<p>สรุปผลการจัดซื้อจัดจ้าง</p>"), encoding="utf-8")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, int, SiteServer]:
    root = tmp_path_factory.mktemp("site")
    make_site(root)
    db = root / "run.sqlite"
    with SiteServer(root) as server:
        env = {**os.environ, "http_proxy": server.proxy}
        env.pop("no_proxy", None)
        env.pop("NO_PROXY", None)
        code = (
            "from oitcheck.audit import crawl; "
            f"crawl('http://{HOST}/khet/', {str(db)!r}, max_pages=300, progress=False, "
            "extra={'DOWNLOAD_MAXSIZE': 1_000_000, 'AUTOTHROTTLE_ENABLED': False})"
        )
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        store = Store(db)
        yield store, store.latest_run(), server


def _docs(crawled: tuple) -> dict:
    store, run, _ = crawled
    return {d.url: d for d in store.documents(run)}


def test_scope_is_the_portal_prefix(crawled: tuple) -> None:
    store, run, server = crawled
    assert store.run_info(run)["scope"] == "khet-crawl.test/khet/"
    paths = {r["path"] for r in server.requests if r["host"] == HOST}
    assert "/other-khet/index.html" in paths  # fetched once, as outside the prefix
    docs = _docs(crawled)
    assert docs[f"http://{HOST}/other-khet/index.html"].offsite


def test_bad_input_is_recorded_with_its_cause(crawled: tuple) -> None:
    docs = _docs(crawled)
    base = f"http://{HOST}/khet"
    assert docs[f"{base}/missing.html"].error == "http_404"
    assert docs[f"{base}/error.html"].error == "http_500"
    assert docs[f"{base}/loop-a"].error == "redirect_loop"
    assert docs[f"http://{HOST}/files/big.pdf"].error == "too_large"
    broken = docs[f"http://{HOST}/files/broken.pdf"]
    assert broken.ok and broken.extraction.error  # fetched, but a browser could not open it


def test_redirect_chain_records_the_final_url(crawled: tuple) -> None:
    doc = _docs(crawled)[f"http://{HOST}/khet/old-ita.php"]
    assert doc.ok and doc.final_url.endswith("/khet/ita2568.html")
    assert doc.extraction.title == "ITA 2568"


def test_windows_874_page_decodes(crawled: tuple) -> None:
    doc = _docs(crawled)[f"http://{HOST}/khet/legacy.html"]
    assert "ประกาศสำนักงานเขตทดลอง" in doc.extraction.text


def test_calendar_trap_is_cut_off(crawled: tuple) -> None:
    store, run, server = crawled
    calendar = [r for r in server.requests if r["path"].endswith("calendar.html")]
    assert len(calendar) <= 45
    assert any(reason == "trap_suspected" for _, reason, _ in store.skipped(run))


def test_offsite_document_fetched_one_hop_and_flagged(crawled: tuple) -> None:
    doc = _docs(crawled)["http://drive.google.com/file/d/abc/view"]
    assert doc.ok and doc.offsite


def test_good_pdf_extracted_and_dated(crawled: tuple) -> None:
    doc = _docs(crawled)[f"http://{HOST}/files/plan.pdf"]
    assert doc.ok and doc.extraction.kind == "pdf" and doc.extraction.text
    assert not doc.offsite  # same host, linked from the agency's own page
