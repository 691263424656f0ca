"""Reports: JSON round trip and schema, self-contained HTML, aligned terminal table."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from checks.results import (
    JSON_SCHEMA,
    AuditResult,
    ComponentVerdict,
    Coverage,
    Evidence,
    GroupScore,
    ItemVerdict,
    Score,
)
from reports import render
from reports.html_report import highlight, render_html
from reports.i18n import cause_label, fmt_num, t
from reports.json_report import SCHEMA_PATH, load_json, render_json
from reports.table import display_width, render_table

SITE = "https://webportal.bangkok.go.th/prawet/"


def sample_result() -> AuditResult:
    """Three items covering each status: a pass with a snippet, a fail with what to publish, a review."""
    o1 = ItemVerdict(
        id="O1", title="ข้อมูลพื้นฐานของสำนักงานเขต", title_en="District office basic information",
        subindicator="9.1", status="pass", reason="ok", confidence="I", weight=3.98, score=100,
        components=[ComponentVerdict(
            id="structure", name="โครงสร้างหน่วยงาน", status="pass", reason="ok", recency="EV",
            detail="พบแผนผังโครงสร้างพร้อมฝ่ายต่าง ๆ", candidates=3,
            evidence=[Evidence(
                url=SITE + "page/structure", title="โครงสร้างสำนักงานเขตประเวศ", component="structure",
                snippet="แผนผังแสดงโครงสร้างสำนักงานเขตประเวศ ประกอบด้วย ฝ่ายปกครอง ฝ่ายทะเบียน",
                matched=["แผนผังแสดงโครงสร้าง", "ฝ่ายทะเบียน"], dates=["1 ตุลาคม 2567"], method="html",
            )],
        )],
    )
    o15 = ItemVerdict(
        id="O15", title="ประกาศต่างๆ เกี่ยวกับการจัดซื้อจัดจ้าง และ สรุปผลการจัดซื้อจัดจ้างรายเดือน",
        title_en="Procurement announcements and monthly procurement summaries",
        subindicator="9.3", status="fail", reason="incomplete", confidence="S", weight=3.75, score=0,
        missing=["สรุปผลการจัดซื้อจัดจ้างประจำเดือนมกราคม 2568 (แบบ สขร.1)"],
        components=[
            ComponentVerdict(id="announcements", name="ประกาศจัดซื้อจัดจ้าง", status="pass", reason="ok",
                             recency="CFY",
                             evidence=[Evidence(url=SITE + "procurement", title="ประกาศจัดซื้อจัดจ้าง",
                                                component="announcements")]),
            ComponentVerdict(id="monthly", name="สรุปผลรายเดือน", status="fail", reason="incomplete",
                             recency="MONTHLY", missing=["สรุปผลการจัดซื้อจัดจ้างประจำเดือนมกราคม 2568 (แบบ สขร.1)"],
                             detail="ขาดเดือนมกราคม 2568 ระหว่างเดือนที่มีข้อมูล", candidates=5),
        ],
        placeholders=["สรุปผลจัดซื้อจัดจ้าง ม.ค. 68"],
    )
    o17 = ItemVerdict(
        id="O17", title="ช่องทางการร้องเรียนการทุจริตและข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตประจำปี",
        title_en="Corruption-complaint channel and complaint statistics",
        subindicator="9.5", status="review", reason="unverified", confidence="I", weight=15.94, score=0,
        evidence=[Evidence(url=SITE + "files/complaint-stats.pdf", title="สถิติเรื่องร้องเรียน",
                           snippet="", method="tesseract", source="ocr", ocr_confidence=58.4)],
    )
    subs = [GroupScore("9.1", "ข้อมูลพื้นฐาน", 100, 0.2125, ["O1"]),
            GroupScore("9.3", "การบริหารเงินงบประมาณ", 0, 0.15, ["O15"]),
            GroupScore("9.5", "การส่งเสริมความโปร่งใส", 0, 0.2125, ["O17"])]
    inds = [GroupScore("9", "การเปิดเผยข้อมูล", 21.25, 0.75, ["9.1", "9.3", "9.5"]),
            GroupScore("10", "การป้องกันการทุจริต", 100, 0.25, [])]
    bands = [("ผ่านดีเยี่ยม", 95.0), ("ผ่านดี", 85.0), ("ผ่าน", 85.0), ("ต้องปรับปรุง", 70.0),
             ("ต้องปรับปรุงโดยด่วน", 0.0)]
    return AuditResult(
        framework="bma-district-2568", framework_title="สำนักงานเขต กรุงเทพมหานคร ปีงบประมาณ 2568",
        site=SITE, scope="webportal.bangkok.go.th/prawet/", fiscal_year=2568, as_of="2025-06-15",
        run_id=7, db="out/prawet.sqlite", items=[o1, o15, o17],
        score=Score(oit=40.94, indicators=inds, subindicators=subs, complete=False,
                    band="ต้องปรับปรุงโดยด่วน", bands=bands),
        coverage=Coverage(pages=120, documents=45, offsite=3,
                          skipped={"depth_budget": 12, "trap_suspected": 4},
                          errors={"timeout": 3, "http_404": 2},
                          error_urls=[(SITE + "old/page", "http_404"), (SITE + "slow.pdf", "timeout")],
                          unparseable=[(SITE + "files/scan.pdf", "encrypted")], finish_reason="finished",
                          text_sources={"text": 40, "ocr": 4, "none": 1}, ocr_pages=9,
                          cut_off=[(SITE + "files/big-scan.pdf", "OCR: page cap: only the first 20 of 45 pages read")]),
        agency="สำนักงานเขตประเวศ", generated="2025-06-15T10:30:00+07:00",
    )


# -- JSON ------------------------------------------------------------------------------------------

def test_json_round_trips() -> None:
    r = sample_result()
    out = render_json(r)
    data = json.loads(out)
    assert data["version"] == 1 and data["$schema"] == JSON_SCHEMA
    assert "ข้อมูลพื้นฐานของสำนักงานเขต" in out  # Thai kept as text, not \u escapes
    assert load_json(out) == r


def test_json_reader_ignores_additive_fields_and_rejects_other_versions() -> None:
    data = json.loads(render_json(sample_result()))
    data["new_top_level"] = 1
    data["items"][0]["new_field"] = "x"
    assert load_json(json.dumps(data)).items[0].id == "O1"
    data["version"] = 2
    with pytest.raises(ValueError):
        load_json(json.dumps(data))


def test_schema_document_matches_results() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == JSON_SCHEMA
    assert set(schema["$defs"]["item"]["properties"]["status"]["enum"]) == {"pass", "fail", "review"}
    assert (Path(SCHEMA_PATH).parent / "SCHEMA.md").exists()


@pytest.mark.skipif(importlib.util.find_spec("jsonschema") is None, reason="jsonschema not installed")
def test_json_validates_against_schema() -> None:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    data = json.loads(render_json(sample_result()))
    validator.validate(data)
    data["items"][1]["reason"] = "ok"  # a fail must carry a failure reason
    assert not validator.is_valid(data)


# -- HTML ------------------------------------------------------------------------------------------

def test_html_thai_by_default() -> None:
    html = render_html(sample_result())
    assert '<html lang="th">' in html
    for label in ("ผ่าน", "ไม่ผ่าน", "ต้องตรวจสอบโดยเจ้าหน้าที่", "ข้อมูลไม่ครบถ้วน", "อนุมาน",
                  "สิ่งที่ต้องเผยแพร่เพิ่มเติม", "หมดเวลารอการตอบสนอง"):
        assert label in html, label
    assert "สรุปผลการจัดซื้อจัดจ้างประจำเดือนมกราคม 2568 (แบบ สขร.1)" in html
    assert "คะแนนยังไม่สมบูรณ์" in html  # O17 is in review
    assert "40.94" in html and "15 มิ.ย. 2568" in html


def test_html_says_how_each_evidence_text_was_obtained() -> None:
    th, en = render_html(sample_result()), render_html(sample_result(), "en")
    assert "อ่านจากภาพด้วย OCR · ความมั่นใจของ OCR 58%" in th
    assert "read from images by OCR · OCR confidence 58%" in en
    assert "ที่มาของข้อความในเอกสาร" in th and "หน้าที่อ่านด้วย OCR: 9" in th
    assert "only the first 20 of 45 pages read" in th and "big-scan.pdf" in th
    table = render(sample_result(), "table", "th")
    assert "หน้าที่อ่านด้วย OCR 9" in table


def test_html_english() -> None:
    html = render(sample_result(), "html", "en")
    assert '<html lang="en">' in html
    for label in ("Pass", "Fail", "Needs review by an officer", "Incomplete", "Inferred", "What to publish"):
        assert label in html, label
    assert "ต้องตรวจสอบโดยเจ้าหน้าที่" not in html
    assert "District office basic information" in html


def test_html_escapes_snippets_and_marks_phrases() -> None:
    r = sample_result()
    ev = r.items[0].components[0].evidence[0]
    ev.snippet = 'ฝ่ายทะเบียน <script>alert("x")</script> & แผนผังแสดงโครงสร้าง'
    html = render_html(r)
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>ฝ่ายทะเบียน</mark>" in html and "<mark>แผนผังแสดงโครงสร้าง</mark>" in html


def test_highlight() -> None:
    assert str(highlight("a & b <i>", ["b"])) == "a &amp; <mark>b</mark> &lt;i&gt;"
    assert str(highlight("x amp y", ["amp"])) == "x <mark>amp</mark> y"  # not inside &amp;
    # A spaced phrase still finds unspaced Thai text; the longer phrase wins.
    assert str(highlight("แผนปฏิบัติราชการประจำปี", ["แผนปฏิบัติราชการ ประจำปี", "แผน"])) == (
        "<mark>แผนปฏิบัติราชการประจำปี</mark>")


def test_html_is_self_contained() -> None:
    r = sample_result()
    html = render_html(r)
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|\bsrc=", html, re.I)
    # Remove every URL that comes from the result: nothing else may point at the web.
    urls = {r.site} | {u for u, _ in r.coverage.error_urls} | {u for u, _ in r.coverage.unparseable}
    for item in r.items:
        for e in [*item.evidence, *(e for c in item.components for e in c.evidence)]:
            urls |= {e.url, e.final_url}
    rest = html
    for u in sorted(filter(None, urls), key=len, reverse=True):
        rest = rest.replace(u, "")
    assert not re.search(r"https?://", rest)


def test_html_placeholder_href_not_clickable() -> None:
    r = sample_result()
    r.items[1].components[0].evidence[0].url = "javascript:void(0)"
    html = render_html(r)
    assert 'href="javascript' not in html


# -- table -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("color", [False, True])
def test_table_lines_up(lang: str, color: bool) -> None:
    out = render_table(sample_result(), lang, color=color)
    rows = [ln for ln in out.splitlines() if re.match(r"(\x1b\[[0-9;]*m)?O\d+ ", ln)]
    assert len(rows) == 3
    header = out.splitlines()[4]
    assert {display_width(ln) for ln in [header, *rows]} == {display_width(rows[0])}
    assert ("\x1b[" in out) is color


def test_table_content() -> None:
    out = render_table(sample_result())
    assert "ต้องตรวจสอบ" in out and "คะแนนยังไม่สมบูรณ์" in out
    assert SITE + "page/structure" in out  # first evidence URL of the pass
    assert "- สรุปผลการจัดซื้อจัดจ้าง" in out  # first missing entry of the fail
    assert "40.94" in out and "หน้าเว็บ 120" in out


def test_display_width_ignores_thai_marks() -> None:
    assert display_width("ผู้") == 1
    assert display_width("ที่ตั้ง") == 3  # three base letters, four marks
    assert display_width("\x1b[31mab\x1b[0m") == 2


# -- helpers and dispatch ----------------------------------------------------------------------------

def test_labels() -> None:
    assert t("status.pass") == "ผ่าน" and t("status.pass", "en") == "Pass"
    assert t("reason.stale") == "ข้อมูลไม่เป็นปัจจุบัน/ไม่ตรงปีงบประมาณ"
    assert t("conf.Q") == "อ้างอิงจากเอกสารต้นทาง"
    assert t("no.such.key") == "no.such.key"
    assert "404" in cause_label("http_404", "en") and "4xx" in cause_label("http_404", "en")
    assert cause_label("something_new") == "something_new"
    assert fmt_num(2.675) == "2.68" and fmt_num(96.25) == "96.25"  # half up, not banker's/float


def test_render_dispatch() -> None:
    r = sample_result()
    assert render(r, "json", "th") == render_json(r)
    assert render(r, "table", "en").startswith("Website:")
    with pytest.raises(ValueError):
        render(r, "pdf", "th")
    with pytest.raises(ValueError):
        render(r, "html", "fr")


# -- ITAS submission sheet -------------------------------------------------------------------------

def test_itas_csv_has_one_row_per_item_with_urls_and_where_the_evidence_is() -> None:
    import csv
    import io

    text = render(sample_result(), "itas", "th")
    assert text.startswith("\ufeff")  # Excel reads the Thai only with a BOM
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["ข้อ", "รายการ", "ตัวชี้วัดย่อย", "ผลตรวจ"]
    assert [r[0] for r in rows[1:]] == ["O1", "O15", "O17"]
    o1, o15, o17 = rows[1:]
    assert o1[3] == "ผ่าน" and o1[4] == SITE + "page/structure"
    assert o1[5] == "หน้าเว็บ «โครงสร้างสำนักงานเขตประเวศ»; ระบุ 1 ตุลาคม 2567; มีหัวข้อ แผนผังแสดงโครงสร้าง, ฝ่ายทะเบียน"
    assert o1[6] == ""
    # a failing item: the candidate it found and what to publish before submitting
    assert o15[3] == "ไม่ผ่าน (ข้อมูลไม่ครบถ้วน)" and o15[4] == SITE + "procurement"
    assert o15[6] == "สรุปผลการจัดซื้อจัดจ้างประจำเดือนมกราคม 2568 (แบบ สขร.1)"
    assert "ไฟล์ PDF «สถิติเรื่องร้องเรียน» (ไฟล์สแกน)" in o17[5]


def test_itas_xlsx_holds_the_same_rows(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from reports.itas import itas_rows, write_itas_xlsx

    path = tmp_path / "itas.xlsx"
    write_itas_xlsx(sample_result(), path, "en")
    sheet = load_workbook(path).active
    values = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Item" and values[0][4] == "URL(s) to submit"
    assert values[1:] == [list(r.values()) for r in itas_rows(sample_result(), "en")]
    assert values[2][3] == "Fail (Incomplete)" and values[2][1].startswith("Procurement announcements")


def test_the_itas_sheet_reads_back_as_a_submission_for_verify(tmp_path: Path) -> None:
    from checks.pack import load_pack
    from oitcheck.submission import load_submission

    path = tmp_path / "itas.csv"
    path.write_text(render(sample_result(), "itas", "th"), encoding="utf-8")
    sub = load_submission(path, load_pack("bma-district-2568"))
    assert sub.urls == {"O1": [SITE + "page/structure"], "O15": [SITE + "procurement"],
                        "O17": [SITE + "files/complaint-stats.pdf"]}
    assert sub.explanations["O1"].startswith("หน้าเว็บ «โครงสร้างสำนักงานเขตประเวศ»")
