"""Off-site evidence, each kind served from its own fake host on loopback (Drive, Sheets, Forms, Facebook,
YouTube, e-GP, another agency): documents kept off the main website fail as ``offsite`` with where
they are and whether they even open; live channels linked from the site (a Google Form for
complaints, a Facebook page) are accepted."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from checks.offsite import offsite_kind
from checks.pack import load_pack
from oitcheck.audit import judge_items
from oitcheck.siteserver import SiteServer
from store import Store

HOST = "www.tambon-offsite.test"
PLAN = ("<p>แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๔</p><table><tr><td>โครงการ</td><td>งบประมาณ (บาท)</td>"
        "<td>ระยะเวลาดำเนินการ</td></tr><tr><td>โครงการซ่อมถนน</td><td>150,000</td><td>ต.ค. 63 – ก.ย. 64</td></tr>"
        "</table>")


def page(title: str, body: str) -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"


def write(root: Path, host: str, path: str, html: str) -> None:
    target = root / "hosts" / host / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


ROWS = {
    "O9": ("Social Network", "http://www.facebook.com/tambon.offsite"),
    "O10": ("แผนดำเนินงานประจำปี", "http://drive.google.com/file/d/1PLANdriveFile01/view"),
    "O11": ("รายงานการกำกับติดตามการดำเนินงาน รอบ 6 เดือน", "http://drive.google.com/file/d/2PRIVATEdrive002/view"),
    "O21": ("แผนการจัดซื้อจัดจ้าง", "http://docs.google.com/spreadsheets/d/3SHEETgoogle003/edit"),
    "O22": ("ประกาศต่างๆ เกี่ยวกับการจัดซื้อจัดจ้าง", "http://process3.gprocurement.go.th/egp2procmainWeb/jsp/announce.jsp"),
    "O30": ("ช่องทางแจ้งเรื่องร้องเรียนการทุจริต", "http://docs.google.com/forms/d/e/4FORM/viewform"),
    "O35": ("การมีส่วนร่วมของผู้บริหาร", "http://www.youtube.com/watch?v=5VIDEO"),
    "O12": ("รายงานผลการดำเนินงานประจำปี", "http://www.province-office.go.th/files/report-2563.html"),
    "O8": ("Q&A ถาม-ตอบ", "http://line.me/R/ti/p/@tambon.offsite"),
    "O31": ("ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริต", "http://onedrive.live.com/view.aspx?resid=ABC123&cid=42"),
    "O36": ("การประเมินความเสี่ยงการทุจริตประจำปี", "http://docs.google.com/document/d/6RISKgoogleDoc06/edit"),
}


def make_site(root: Path) -> None:
    rows = "".join(f"<tr><td>{i}</td><td>{title}</td><td><a href='{url}'>คลิก</a></td></tr>"
                   for i, (title, url) in ROWS.items())
    write(root, HOST, "index.html", page("องค์การบริหารส่วนตำบลทดสอบ", "<a href='/ita.html'>ITA 2564</a>"))
    write(root, HOST, "ita.html", page("การเปิดเผยข้อมูลสาธารณะ (OIT) ประจำปี 2564", f"<table>{rows}</table>"))
    write(root, "drive.google.com", "file/d/1PLANdriveFile01/view", page("แผนดำเนินงาน 2564.pdf - Google Drive", PLAN))
    # the public viewer page's file itself (Drive serves it at uc?export=download&id=…)
    pdf = root / "hosts" / "drive.google.com" / "uc?export=download&id=1PLANdriveFile01"
    pdf.write_bytes((Path(__file__).parent / "fixtures" / "docs" / "manual.pdf").read_bytes())
    write(root, "drive.google.com", "file/d/2PRIVATEdrive002/view", page(
        "Google Drive - You need access", "<p>You need access</p><p>Request access, or switch to an account with"
        " access.</p>"))
    write(root, "docs.google.com", "spreadsheets/d/3SHEETgoogle003/edit", page(
        "แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ 2564 - Google Sheets",
        "<table><tr><td>รายการ</td><td>งบประมาณ</td><td>ช่วงเวลาที่คาดว่าจะจัดซื้อจัดจ้าง</td></tr></table>"))
    write(root, "docs.google.com", "forms/d/e/4FORM/viewform", page(
        "แบบฟอร์มแจ้งเรื่องร้องเรียนการทุจริต อบต.ทดสอบ",
        "<form action='formResponse' method='post'><label>ชื่อผู้ร้องเรียน</label><input name='entry.1'>"
        "<label>รายละเอียดเรื่องร้องเรียน</label><textarea name='entry.2'></textarea><button>ส่ง</button></form>"))
    write(root, "www.facebook.com", "tambon.offsite", page("อบต.ทดสอบ | Facebook", "<p>องค์การบริหารส่วนตำบลทดสอบ</p>"))
    write(root, "www.youtube.com", "watch?v=5VIDEO", page(
        "นายก อบต.ทดสอบ ร่วมกิจกรรมต่อต้านการทุจริต - YouTube",
        "<p>นายกองค์การบริหารส่วนตำบลทดสอบ ร่วมกิจกรรมรณรงค์ต่อต้านการทุจริต 9 ธันวาคม 2563</p>"))
    write(root, "process3.gprocurement.go.th", "egp2procmainWeb/jsp/announce.jsp", page(
        "ประกาศจัดซื้อจัดจ้าง - ระบบการจัดซื้อจัดจ้างภาครัฐ",
        "<p>ประกาศองค์การบริหารส่วนตำบลทดสอบ เรื่อง ประกวดราคาจ้างก่อสร้างถนน ประกาศ ณ วันที่ 5 มกราคม 2564</p>"))
    write(root, "line.me", "R/ti/p/@tambon.offsite", page("อบต.ทดสอบ | LINE Official Account",
                                                          "<p>เพิ่มเพื่อน อบต.ทดสอบ สอบถามข้อมูลได้ทาง LINE</p>"))
    write(root, "onedrive.live.com", "view.aspx?resid=ABC123&cid=42", page(
        "สถิติเรื่องร้องเรียน 2564.xlsx - Microsoft OneDrive", "<p>Sign in to continue to OneDrive</p>"))
    write(root, "docs.google.com", "document/d/6RISKgoogleDoc06/edit", page(
        "การประเมินความเสี่ยงการทุจริต ประจำปี 2564 - Google Docs",
        "<p>การประเมินความเสี่ยงการทุจริต ประจำปีงบประมาณ พ.ศ. 2564 เหตุการณ์ความเสี่ยง ระดับความเสี่ยง มาตรการ</p>"))
    write(root, "www.province-office.go.th", "files/report-2563.html", page(
        "รายงานผลการดำเนินงานประจำปี 2563", "<p>ผลการดำเนินงาน ผลการใช้จ่ายงบประมาณ ปัญหา อุปสรรค ข้อเสนอแนะ</p>"))


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("offsite")
    make_site(root)
    db = root / "run.sqlite"
    with SiteServer(root) as server:
        env = {**os.environ, "http_proxy": server.proxy}
        env.pop("no_proxy", None)
        env.pop("NO_PROXY", None)
        code = ("from oitcheck.audit import crawl; "
                f"crawl('http://{HOST}/', {str(db)!r}, progress=False, extra={{'AUTOTHROTTLE_ENABLED': False}})")
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
    store = Store(db)
    fetched = {d.url: d.status for d in store.documents(store.latest_run())}
    # every host really answered (the document export behind the Google Doc is not served: a 404)
    assert all(fetched.get(url) == 200 for _, url in ROWS.values()), fetched
    items = judge_items(db, load_pack("nacc-2564"), list(ROWS), as_of=date(2021, 5, 20))
    return {v.id: v for v in items}


@pytest.mark.parametrize(("item", "where"), [
    ("O10", "Google Drive"), ("O21", "Google Sheets"), ("O22", "ระบบ e-GP ของกรมบัญชีกลาง"),
    ("O35", "YouTube"), ("O12", "เว็บไซต์ของหน่วยงานอื่น"), ("O36", "Google Docs"), ("O31", "OneDrive/SharePoint"),
])
def test_documents_kept_off_the_site_fail_as_offsite_and_say_where(verdicts: dict, item: str, where: str) -> None:
    v = verdicts[item]
    assert (v.status, v.reason) == ("fail", "offsite"), (item, v.components[0].detail)
    assert f"อยู่นอกเว็บไซต์หลัก บน {where}" in v.components[0].detail
    assert any(f"(ขณะนี้อยู่บน {where})" in m for m in v.missing)


def test_the_file_behind_a_public_drive_viewer_is_fetched_and_shown(verdicts: dict) -> None:
    urls = {e.url for c in verdicts["O10"].components for e in c.evidence}
    assert "http://drive.google.com/uc?export=download&id=1PLANdriveFile01" in urls
    assert verdicts["O10"].reason == "offsite"


def test_a_drive_file_shared_only_inside_the_agency_says_it_cannot_be_opened(verdicts: dict) -> None:
    for item in ("O11", "O31"):  # Drive "Request access", OneDrive "Sign in to continue"
        v = verdicts[item]
        assert (v.status, v.reason) == ("fail", "offsite")
        assert "ต้องขอสิทธิ์หรือเข้าสู่ระบบก่อน" in v.components[0].detail
    assert "ต้องขอสิทธิ์" not in verdicts["O10"].components[0].detail  # a public file opens


@pytest.mark.parametrize("item", ["O8", "O9", "O30"])
def test_live_channels_linked_from_the_site_are_accepted(verdicts: dict, item: str) -> None:
    v = verdicts[item]
    assert (v.status, v.reason) == ("pass", "ok"), [c.detail for c in v.components]


def test_kinds() -> None:
    assert offsite_kind("https://forms.gle/x") == "Google Forms"
    assert offsite_kind("http://docs.google.com/document/d/x/edit") == "Google Docs"
    assert offsite_kind("https://m.me/tambon", "en") == "Messenger"
    assert offsite_kind("https://example.com/a.pdf", "en") == "another website"
