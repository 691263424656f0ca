"""The site's own OIT index, in the shapes Thai sites really use, read from a real loopback crawl:
tables of "คลิก" links, accordions per sub-indicator, split rows (the text on ``href="#!"``, the file on an
icon), one page per item, and per-year pages (the assessed year's, not last year's). Item labels are
read as written: ``O15``, ``o15``, ``O๑๕``, ``ข้อ 15``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from checks.pack import load_pack
from checks.site import SiteView
from crawler.scope import Scope
from oitcheck.siteserver import SiteServer
from store import Store

HOST = "www.index-shapes.test"
SITE = f"http://{HOST}"


def page(title: str, body: str) -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"


def write(root: Path, path: str, text: str) -> None:
    target = root / "hosts" / HOST / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def make_site(root: Path) -> None:
    # 2564 index: a table with generic links (O1–O4), an accordion (9.2: o10, O๑๑), split rows (ข้อ 12, 13),
    # a per-item page (O14).
    table = "".join(f"<tr><td>O{i}</td><td>{name}</td><td><a href='/page/o{i}.html'>คลิก</a></td></tr>"
                    for i, name in ((1, "โครงสร้าง"), (2, "ข้อมูลผู้บริหาร"), (3, "อำนาจหน้าที่"), (4, "แผนพัฒนา")))
    accordion = ("<div class='accordion'><h3>9.2 การบริหารงาน</h3><div class='panel'><ul>"
                 "<li>o10 แผนดำเนินงานประจำปี <a href='/files/plan-2564.pdf'>รายละเอียด</a></li>"
                 "<li>O๑๑ รายงานการกำกับติดตาม รอบ 6 เดือน <a href='/files/report-6m-2564.pdf'>ดาวน์โหลด</a></li>"
                 "</ul></div></div>")
    split = ("<table><tr><td><a href='#!'>ข้อ 12 รายงานผลการดำเนินงานประจำปี</a></td>"
             "<td><a href='/files/annual-2563.pdf'><img src='/img/pdf.png'></a></td></tr>"
             "<tr><td><a href='#!'>ข้อ 13 คู่มือการปฏิบัติงาน</a></td>"
             "<td><a href='/files/manual.pdf'><img src='/img/pdf.png' alt=''></a></td></tr></table>")
    per_item = "<p><a href='/ita/2564/o14.html'>O14 คู่มือการให้บริการ</a></p>"
    body = f"<table>{table}</table>{accordion}{split}{per_item}"
    write(root, "ita/2564.html", page("ITA 2564 การเปิดเผยข้อมูลสาธารณะ", body))
    write(root, "ita/2564/o14.html", page("O14 คู่มือการให้บริการ",
                                         "<p><a href='/files/service-manual.pdf'>คู่มือการให้บริการประชาชน</a></p>"
                                         "<p><a href='/files/service-steps.pdf'>ขั้นตอนการให้บริการ</a></p>"))
    # last year's index, with other targets: must not label evidence for FY 2564
    old = "".join(f"<tr><td>O{i}</td><td><a href='/old/o{i}.html'>คลิก</a></td></tr>" for i in range(1, 16))
    write(root, "ita/2563.html", page("ITA 2563 การเปิดเผยข้อมูลสาธารณะ", f"<table>{old}</table>"))
    # one page with year tabs: the 2564 panel labels O16–O20, the 2563 panel other targets
    def rows(year: int) -> str:
        return "".join(f"<tr><td>O{i}</td><td><a href='/tabs/{year}/o{i}.html'>คลิก</a></td></tr>"
                       for i in range(16, 21))
    tabs = ("<ul class='nav nav-tabs'><li><a href='#y2564' data-bs-toggle='tab'>ปีงบประมาณ 2564</a></li>"
            "<li><a href='#y2563' data-bs-toggle='tab'>ปีงบประมาณ 2563</a></li></ul><div class='tab-content'>"
            f"<div class='tab-pane active' id='y2564'><table>{rows(2564)}</table></div>"
            f"<div class='tab-pane' id='y2563'><table>{rows(2563)}</table></div></div>")
    write(root, "ita/tabs.html", page("ITA การเปิดเผยข้อมูลสาธารณะ", tabs))
    for year in (2563, 2564):
        for i in range(16, 21):
            write(root, f"/tabs/{year}/o{i}.html", page(f"O{i} {year}", "<p>เนื้อหา</p>"))
    write(root, "index.html", page("องค์การบริหารส่วนตำบลทดสอบ",
                                   "<a href='/ita/2564.html'>ITA 2564</a> <a href='/ita/2563.html'>ITA 2563</a>"
                                   " <a href='/ita/tabs.html'>ITA</a>"))
    for path in [f"/page/o{i}.html" for i in range(1, 5)] + [f"/old/o{i}.html" for i in range(1, 16)]:
        write(root, path, page(path, "<p>เนื้อหา</p>"))
    pdf = (Path(__file__).parent / "fixtures" / "docs" / "manual.pdf").read_bytes()
    for name in ("plan-2564", "report-6m-2564", "annual-2563", "manual", "service-manual", "service-steps"):
        target = root / "hosts" / HOST / "files" / f"{name}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)


@pytest.fixture(scope="module")
def labels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    root = tmp_path_factory.mktemp("index")
    make_site(root)
    db = root / "run.sqlite"
    with SiteServer(root) as server:
        env = {**os.environ, "http_proxy": server.proxy}
        env.pop("no_proxy", None)
        env.pop("NO_PROXY", None)
        code = ("from oitcheck.audit import crawl; "
                f"crawl('{SITE}/', {str(db)!r}, progress=False, extra={{'AUTOTHROTTLE_ENABLED': False}})")
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
    store = Store(db)
    docs = list(store.documents(store.latest_run()))
    view = SiteView(docs, Scope.from_start(f"{SITE}/"), load_pack("nacc-2564"), 2564)
    assert f"{SITE}/ita/2564.html" in view.index_pages and f"{SITE}/ita/2563.html" in view.index_pages
    return {item: [inb.link.url for inb in links if inb.link.url] for item, links in view.index_labels.items()}


def test_table_rows_with_generic_links(labels: dict) -> None:
    for i in range(1, 5):
        assert labels[f"O{i}"] == [f"{SITE}/page/o{i}.html"], i


def test_accordion_rows_lowercase_and_thai_digit_labels(labels: dict) -> None:
    assert labels["O10"] == [f"{SITE}/files/plan-2564.pdf"]
    assert labels["O11"] == [f"{SITE}/files/report-6m-2564.pdf"]


def test_split_rows_give_the_file_on_the_icon(labels: dict) -> None:
    assert labels["O12"] == [f"{SITE}/files/annual-2563.pdf"]
    assert labels["O13"] == [f"{SITE}/files/manual.pdf"]


def test_a_page_per_item_lends_its_files(labels: dict) -> None:
    assert labels["O14"] == [f"{SITE}/ita/2564/o14.html", f"{SITE}/files/service-manual.pdf",
                             f"{SITE}/files/service-steps.pdf"]


def test_last_years_index_labels_nothing(labels: dict) -> None:
    assert not any("/old/" in url for urls in labels.values() for url in urls)
    assert "O15" not in labels


def test_year_tabs_label_only_the_assessed_years_panel(labels: dict) -> None:
    for i in range(16, 21):
        assert labels[f"O{i}"] == [f"{SITE}/tabs/2564/o{i}.html"], i
