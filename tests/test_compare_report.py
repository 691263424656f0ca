"""The batch comparison report: sites × items heat map, group roll-ups, CSV and XLSX."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from markupsafe import escape

from checks.results import AuditResult, Coverage, GroupScore, ItemVerdict, Score
from reports.compare import SiteOutcome, compare_rows, render_compare_html, write_compare_csv, write_compare_xlsx
from reports.i18n import fmt_num

BMA, NACC = "bma-district-2568", "nacc-2566"
EAST, CENTRAL = "กรุงเทพตะวันออก", "กรุงเทพกลาง"
TITLES = {"O1": ("ข้อมูลพื้นฐาน", "Basic information"), "O2": ("ข่าวประชาสัมพันธ์", "News"),
          "O3": ("แผนปฏิบัติราชการ", "Action plan"), "O5": ("ช่องทางติดต่อ", "Contact channels"),
          "O9": ("รายงานผลการจัดซื้อจัดจ้าง", "Procurement report")}


def make_result(framework: str, site: str, agency: str, verdicts: dict[str, tuple[str, str]], oit: float,
                ind9: float, ind10: float, band: str, pages: int, documents: int) -> AuditResult:
    """An AuditResult by hand, the way tests/test_reports.py builds one; only what the comparison reads."""
    items = [ItemVerdict(id=iid, title=TITLES[iid][0], title_en=TITLES[iid][1], subindicator="9.1", status=status,
                         reason=reason, confidence="I", weight=10.0, score=100 if status == "pass" else 0)
             for iid, (status, reason) in verdicts.items()]
    inds = [GroupScore("9", "การเปิดเผยข้อมูล", ind9, 0.75, ["9.1"]), GroupScore("10", "การป้องกันการทุจริต", ind10, 0.25)]
    return AuditResult(
        framework=framework, framework_title=f"title of {framework}", site=site, scope=site, fiscal_year=2568,
        as_of="2025-06-15", run_id=1, db="", items=items,
        score=Score(oit=oit, indicators=inds, subindicators=[], complete=True, band=band,
                    bands=[("ผ่าน", 85.0), ("ไม่ผ่าน", 0.0)]),
        coverage=Coverage(pages=pages, documents=documents), agency=agency,
    )


A_URL = "https://webportal.bangkok.go.th/prawet/"
B_URL = "https://webportal.bangkok.go.th/bangkapi/"
C_URL = "https://webportal.bangkok.go.th/bangrak/"
D_URL = "http://nongbua.go.th/"
E_URL = "https://www.samrong.go.th/"
A_NAME = 'สำนักงานเขตประเวศ <b>"&'  # hostile characters from the batch CSV
C_ERROR = "DNS lookup failed <script>alert(1)</script>"


def sample_sites() -> list[SiteOutcome]:
    """Two frameworks, groups east / central / none, one site that could not be audited."""
    a = make_result(BMA, A_URL, "ประเวศ", {"O1": ("pass", "ok"), "O2": ("fail", "incomplete"),
                                            "O3": ("review", "unverified")}, 40.5, 30.0, 72.0, "ไม่ผ่าน", 120, 45)
    b = make_result(BMA, B_URL, "บางกะปิ", {"O1": ("pass", "not_yet_due"), "O2": ("fail", "stale"),
                                             "O3": ("fail", "absent")}, 80.25, 75.0, 95.0, "ไม่ผ่าน", 300, 12)
    d = make_result(NACC, D_URL, "หนองบัว", {"O1": ("fail", "stale"), "O5": ("pass", "ok"), "O9": ("pass", "ok")},
                    66.67, 55.56, 100.0, "ไม่ผ่าน", 10, 2)
    e = make_result(NACC, E_URL, "สำโรง", {"O1": ("pass", "ok"), "O5": ("fail", "broken"),
                                          "O9": ("review", "unverified")}, 33.33, 44.44, 0.0, "ไม่ผ่าน", 50, 5)
    return [
        SiteOutcome(A_NAME, A_URL, EAST, BMA, a, report="sites/prawet.html"),
        SiteOutcome("สำนักงานเขตบางกะปิ", B_URL, EAST, BMA, b, report="javascript:alert(1)"),
        SiteOutcome("สำนักงานเขตบางรัก", C_URL, CENTRAL, BMA, None, error=C_ERROR),
        SiteOutcome("องค์การบริหารส่วนตำบลหนองบัว", D_URL, "", NACC, d, report="sites/nongbua.html"),
        SiteOutcome("องค์การบริหารส่วนตำบลสำโรง", E_URL, CENTRAL, NACC, e),
    ]


def mean(values: list[float]) -> str:
    return fmt_num(sum(values) / len(values))


def heat_table(doc, framework: str):
    (table,) = doc.xpath(f'//table[contains(@class, "heat")][@data-framework="{framework}"]')
    return table


def row_of(table, name: str):
    (row,) = [tr for tr in table.xpath("./tbody/tr") if tr.xpath("./th")[0].get("data-v") == name]
    return row


def rollup_rows(section) -> dict[str, list[str]]:
    """Group label -> the text of its cells, for the roll-up table in ``section``."""
    (table,) = section.xpath('.//table[contains(@class, "rollup")]')
    return {tr.xpath("./th")[0].text_content().strip(): [td.text_content().strip() for td in tr.xpath("./td")]
            for tr in table.xpath("./tbody/tr | ./tfoot/tr")}


# -- HTML ------------------------------------------------------------------------------------------

def test_html_is_self_contained_and_escapes_everything_from_the_sites() -> None:
    sites = sample_sites()
    sites[0].result.items[1].title = 'ข่าว "><i>ประชาสัมพันธ์'
    html = render_compare_html(sites, generated="2025-06-16T09:00:00+07:00")
    assert '<html lang="th">' in html
    assert not re.search(r"<link|<img|<iframe|<object|<embed|@import|url\(|\bsrc=", html, re.I)
    assert html.count("<script") == 1  # the inline sorter, nothing loaded
    # Only the site URLs and report links may point anywhere.
    rest = html
    for u in sorted({s.url for s in sites} | {s.report for s in sites if s.report}, key=len, reverse=True):
        rest = rest.replace(u, "")
    assert not re.search(r"https?://", rest)
    assert "<i>" not in html and 'title="O2 ข่าว &#34;&gt;&lt;i&gt;ประชาสัมพันธ์ — ไม่ผ่าน' in html
    assert "<b>" not in html and "สำนักงานเขตประเวศ &lt;b&gt;&#34;&amp;" in html
    assert "<script>alert" not in html and "DNS lookup failed &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html  # a report href that is not a path or web link is not a link
    assert 'href="sites/prawet.html"' in html and 'href="sites/nongbua.html"' in html
    assert "16 มิ.ย. 2568 09:00" in html
    for s in sites:
        assert str(escape(s.name)) in html
    doc = lxml_html.fromstring(html)
    assert [th.get("data-v") for th in doc.xpath('//th[@scope="row"][@class="name"]')] == [s.name for s in sites]


def test_heat_map_has_one_table_per_framework_with_cells_by_status() -> None:
    doc = lxml_html.fromstring(render_compare_html(sample_sites()))
    bma, nacc = heat_table(doc, BMA), heat_table(doc, NACC)
    assert [th.text_content() for th in bma.xpath("./thead/tr/th[contains(@class, 'it')]")] == ["O1", "O2", "O3"]
    assert [th.text_content() for th in nacc.xpath("./thead/tr/th[contains(@class, 'it')]")] == ["O1", "O5", "O9"]

    a = row_of(bma, A_NAME)
    cells = a.xpath("./td[contains(@class, 'c ')]")
    assert [c.get("class") for c in cells] == ["c c-pass", "c c-fail", "c c-review"]
    assert [c.text_content() for c in cells] == ["✓", "✗", "?"]  # readable in black-and-white print
    assert "ข้อมูลไม่ครบถ้วน" in cells[1].get("title") and cells[1].get("title").startswith("O2 ข่าวประชาสัมพันธ์")
    assert "ระบบอ่านเนื้อหาไม่ได้" in cells[2].get("title")
    tds = [td.text_content().strip() for td in a.xpath("./td")]
    assert tds[:7] == [EAST, "40.50", "30.00", "72.00", "ไม่ผ่าน", "165", "เปิด"]  # pages = 120 + 45
    assert a.xpath("./td")[1].get("data-v") == "40.5"  # numeric sort key

    b = row_of(bma, "สำนักงานเขตบางกะปิ")
    assert [c.get("class") for c in b.xpath("./td[contains(@class, 'c ')]")] == ["c c-pass", "c c-fail", "c c-fail"]
    assert "ยังไม่ถึงกำหนด" in b.xpath("./td[contains(@class, 'c ')]")[0].get("title")

    c = row_of(bma, "สำนักงานเขตบางรัก")  # could not be audited: the error instead of cells
    assert not c.xpath("./td[contains(@class, 'c ')]")
    (err,) = c.xpath("./td[@class='err']")
    assert err.get("colspan") == "3" and C_ERROR in err.text_content()
    assert c.xpath("./td")[1].text_content().strip() == "—"

    e = row_of(nacc, "องค์การบริหารส่วนตำบลสำโรง")
    assert [x.get("class") for x in e.xpath("./td[contains(@class, 'c ')]")] == ["c c-pass", "c c-fail", "c c-review"]
    assert len(doc.xpath("//td[contains(@class, 'c-fail')]")) == 5  # A O2, B O2 O3, D O1, E O5 (no legend td)


def test_a_site_missing_an_item_of_its_pack_shows_a_grey_cell() -> None:
    sites = sample_sites()
    sites[1].result.items = [i for i in sites[1].result.items if i.id != "O3"]
    doc = lxml_html.fromstring(render_compare_html(sites))
    b = row_of(heat_table(doc, BMA), "สำนักงานเขตบางกะปิ")
    assert [c.get("class") for c in b.xpath("./td[contains(@class, 'c ')]")] == ["c c-pass", "c c-fail", "c c-na"]


def test_roll_up_by_group_with_means_and_pass_rates() -> None:
    doc = lxml_html.fromstring(render_compare_html(sample_sites()))
    bma_sec = heat_table(doc, BMA).getparent().getparent()
    rows = rollup_rows(bma_sec)
    # group: sites, audited, mean, min, max, then pass rate of O1 O2 O3
    assert rows[EAST] == ["2", "2", mean([40.5, 80.25]), "40.50", "80.25", "100%", "0%", "0%"]
    assert rows[EAST][2] == "60.38"  # 60.375 rounds half up
    assert rows[CENTRAL] == ["1", "0", "—", "—", "—", "—", "—", "—"]
    assert rows["รวมทั้งหมด"] == ["3", "2", mean([40.5, 80.25]), "40.50", "80.25", "100%", "0%", "0%"]
    assert list(rows)[-1] == "รวมทั้งหมด"  # the overall row is the footer

    nacc_rows = rollup_rows(heat_table(doc, NACC).getparent().getparent())
    assert nacc_rows["(ไม่ระบุกลุ่ม)"] == ["1", "1", "66.67", "66.67", "66.67", "0%", "100%", "100%"]
    assert nacc_rows[CENTRAL][:3] == ["1", "1", "33.33"]
    assert nacc_rows["รวมทั้งหมด"] == ["2", "2", mean([66.67, 33.33]), "33.33", "66.67", "50%", "50%", "50%"]
    (cell,) = [td for td in bma_sec.xpath('.//table[contains(@class, "rollup")]/tfoot//td')
               if td.get("title", "").startswith("O1 ")]
    assert "r-q5" in cell.get("class")  # heat row: every audited site passes O1

    # Across both frameworks: central has one of each; the overall mean is of every audited site.
    (all_sec,) = doc.xpath('//section[@id="rollup-all"]')
    all_rows = rollup_rows(all_sec)
    assert all_rows[CENTRAL][:3] == ["2", "1", "33.33"]
    assert all_rows["รวมทั้งหมด"][:5] == ["5", "4", mean([40.5, 80.25, 66.67, 33.33]), "33.33", "80.25"]


def test_summary_counts_mean_and_most_failed_items() -> None:
    doc = lxml_html.fromstring(render_compare_html(sample_sites()))
    stat = {i: doc.xpath(f'//*[@id="{i}"]')[0].text_content() for i in ("n-sites", "n-audited", "n-failed", "mean")}
    assert stat == {"n-sites": "5", "n-audited": "4", "n-failed": "1", "mean": mean([40.5, 80.25, 66.67, 33.33])}
    top = [[td.text_content().strip() for td in tr.xpath("./td")] for tr in doc.xpath('//table[@class="top"]/tbody/tr')]
    assert top[0] == ["O2", "ข่าวประชาสัมพันธ์", BMA, "ไม่ผ่าน 2 จาก 2 แห่ง"]
    assert [r[0] for r in top] == ["O2", "O3", "O1", "O5"]  # then pack order; O1 of BMA passes everywhere
    assert [r[2] for r in top][2:] == [NACC, NACC]


def test_single_framework_has_no_cross_framework_roll_up_and_no_framework_column() -> None:
    sites = [s for s in sample_sites() if s.framework == BMA]
    html = render_compare_html(sites)
    doc = lxml_html.fromstring(html)
    assert not doc.xpath('//section[@id="rollup-all"]')
    assert len(doc.xpath('//table[contains(@class, "heat")]')) == 1
    assert [th.text_content() for th in doc.xpath('//table[@class="top"]/thead//th')] == ["ข้อ", "หัวข้อ", "ไม่ผ่าน"]


def test_html_english() -> None:
    html = render_compare_html(sample_sites(), lang="en", title="Zone audit <2568>")
    assert '<html lang="en">' in html and "<title>Zone audit &lt;2568&gt;</title>" in html
    doc = lxml_html.fromstring(html)
    heads = [th.text_content().strip() for th in heat_table(doc, BMA).xpath("./thead/tr/th")]
    assert heads == ["Agency", "Group", "OIT score", "Indicator 9", "Indicator 10", "Band", "Pages crawled",
                     "Report", "O1", "O2", "O3"]
    assert "(no group)" in rollup_rows(heat_table(doc, NACC).getparent().getparent())
    for th_label in ("หน่วยงาน", "คะแนน OIT", "รวมทั้งหมด", "(ไม่ระบุกลุ่ม)", "ข้อที่ไม่ผ่านมากที่สุด"):
        assert th_label not in html, th_label
    assert "failed by 2 of 2 sites" in html
    cell = row_of(heat_table(doc, BMA), A_NAME).xpath("./td[contains(@class, 'c-fail')]")[0]
    assert cell.get("title") == "O2 News — Fail: Incomplete"


def test_html_rejects_unknown_language() -> None:
    with pytest.raises(ValueError):
        render_compare_html(sample_sites(), lang="fr")


# A few lines of DOM, enough for the inline sorter: tables, rows, cells, attributes, click handlers.
FAKE_DOM = """
const fs = require("fs");
const data = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
function el(spec) {
  const a = Object.assign({}, spec.attrs), cls = new Set((a["class"] || "").split(/\\s+/).filter(Boolean));
  return { colSpan: spec.colspan || 1, textContent: spec.text || "", listeners: {}, tabIndex: -1,
    hasAttribute: k => k in a, getAttribute: k => (k in a ? a[k] : null),
    setAttribute: (k, v) => { a[k] = String(v); }, removeAttribute: k => { delete a[k]; },
    classList: { add: c => cls.add(c), contains: c => cls.has(c) },
    addEventListener(type, fn) { this.listeners[type] = fn; } };
}
const head = data.head.map(el);
const rows = data.body.map(cells => ({ cells: cells.map(el), name: cells[0].attrs["data-v"] }));
const body = { rows, appendChild(r) { rows.splice(rows.indexOf(r), 1); rows.push(r); } };
const table = { tHead: { rows: [{ cells: head }] }, tBodies: [body] };
globalThis.document = { querySelectorAll: () => [table] };
new Function(fs.readFileSync(process.argv[3], "utf8"))();
const out = [];
for (const col of data.clicks) { head[col].listeners.click(); out.push(rows.map(r => r.name)); }
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_inline_sorter_sorts_numbers_items_and_thai_text(tmp_path: Path) -> None:
    sites = sample_sites()
    sites.insert(0, sites.pop(2))  # the site without a score first: sorting must move it last
    html = render_compare_html(sites)
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert "localeCompare" in script and '"th"' in script

    def spec(cell) -> dict:
        return {"attrs": dict(cell.attrib), "text": cell.text_content(), "colspan": int(cell.get("colspan", 1))}

    table = heat_table(lxml_html.fromstring(html), BMA)
    heads = [th.text_content().strip() for th in table.xpath("./thead/tr/th")]
    clicks = [heads.index("คะแนน OIT"), heads.index("คะแนน OIT"), heads.index("O3"), heads.index("หน่วยงาน")]
    data = {"head": [spec(th) for th in table.xpath("./thead/tr/th")],
            "body": [[spec(c) for c in tr.xpath("./th | ./td")] for tr in table.xpath("./tbody/tr")],
            "clicks": clicks}
    (tmp_path / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "sorter.js").write_text(script, encoding="utf-8")
    (tmp_path / "run.js").write_text(FAKE_DOM, encoding="utf-8")
    done = subprocess.run(["node", str(tmp_path / "run.js"), str(tmp_path / "data.json"), str(tmp_path / "sorter.js")],
                          check=True, capture_output=True, text=True)
    a, b, c = A_NAME, "สำนักงานเขตบางกะปิ", "สำนักงานเขตบางรัก"
    assert json.loads(done.stdout) == [
        [b, a, c],  # score: highest first; the site without a score stays last
        [a, b, c],  # again: lowest first, still last
        [b, a, c],  # item O3: fail, then review; the error row (its cell spans the items) last
        [b, c, a],  # name, Thai order: บางกะปิ, บางรัก, ประเวศ
    ]


# -- CSV -------------------------------------------------------------------------------------------

def test_csv_has_bom_one_row_per_site_and_union_of_items(tmp_path: Path) -> None:
    path = tmp_path / "out" / "compare.csv"
    write_compare_csv(sample_sites(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["หน่วยงาน", "กลุ่ม", "URL", "เกณฑ์", "สถานะการตรวจ", "สาเหตุที่ตรวจไม่ได้", "คะแนน OIT",
                       "ตัวชี้วัดที่ 9", "ตัวชี้วัดที่ 10", "ระดับ", "O1", "O2", "O3", "O5", "O9"]
    assert len(rows) == 6
    assert rows[1] == [A_NAME, EAST, A_URL, BMA, "audited", "", "40.5", "30.0", "72.0", "ไม่ผ่าน",
                       "pass", "fail", "review", "", ""]
    assert rows[3] == ["สำนักงานเขตบางรัก", CENTRAL, C_URL, BMA, "error", C_ERROR, "", "", "", "", "", "", "", "", ""]
    assert rows[4][:2] == ["องค์การบริหารส่วนตำบลหนองบัว", ""]
    assert rows[4][10:] == ["fail", "", "", "pass", "pass"]  # O2, O3 do not apply to the nacc pack
    assert rows[5][6:9] == ["33.33", "44.44", "0.0"]


def test_csv_headers_in_english(tmp_path: Path) -> None:
    path = tmp_path / "compare.csv"
    write_compare_csv(sample_sites(), path, lang="en")
    with path.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert header[:10] == ["Agency", "Group", "URL", "Framework", "Audit status", "Why it could not be audited",
                           "OIT score", "Indicator 9", "Indicator 10", "Band"]


def test_compare_rows_are_shared_values() -> None:
    header, rows = compare_rows(sample_sites(), "en")
    assert header[10:] == ["O1", "O2", "O3", "O5", "O9"]
    assert rows[0][6] == 40.5 and rows[2][6] is None and rows[2][10:] == [None] * 5


# -- XLSX ------------------------------------------------------------------------------------------

def test_xlsx_fills_freeze_filter_and_group_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "compare.xlsx"
    write_compare_xlsx(sample_sites(), path, lang="en")
    book = load_workbook(path)
    assert book.sheetnames == ["Sites", "Groups"]
    sheet = book["Sites"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Agency" and values[0][10:] == ["O1", "O2", "O3", "O5", "O9"]
    assert values[1][:10] == [A_NAME, EAST, A_URL, BMA, "audited", None, 40.5, 30, 72, "ไม่ผ่าน"]
    assert values[1][10:] == ["pass", "fail", "review", None, None]
    assert values[3][4:6] == ["error", C_ERROR]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:O6"

    def rgb(cell) -> str:
        assert cell.fill.fill_type == "solid"
        return cell.fill.fgColor.rgb[-6:]

    assert rgb(sheet["K2"]) == "C6EFCE" and rgb(sheet["L2"]) == "FFC7CE" and rgb(sheet["M2"]) == "FFEB9C"
    assert rgb(sheet["N2"]) == "E0E0E0"  # does not apply
    assert sheet["K1"].font.b

    groups = book["Groups"]
    g = {(r[0], r[1]): list(r[2:]) for r in groups.iter_rows(min_row=2, values_only=True)}
    assert g[(BMA, EAST)][:5] == [2, 2, float(mean([40.5, 80.25])), 40.5, 80.25]
    assert g[(BMA, EAST)][5:8] == [1.0, 0.0, 0.0]
    assert g[(NACC, "(no group)")][:3] == [1, 1, 66.67]
    assert g[(NACC, "Overall")][5:] == [0.5, None, None, 0.5, 0.5]  # O1, (O2, O3 not in nacc), O5, O9
    assert g[("All frameworks", "Overall")][:3] == [5, 4, float(mean([40.5, 80.25, 66.67, 33.33]))]
    rate_cell = next(c for c in groups[2] if c.value == 1.0 and c.column > 7)
    assert rate_cell.number_format == "0%" and rate_cell.fill.fill_type == "solid"
