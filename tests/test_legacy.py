"""Legacy and other formats (.ppt, Office 2003 XML, WordPerfect, CSV, ODP/ODG) and LibreOffice headless as
the fallback converter for what our own readers cannot read.

The fixtures are real LibreOffice output (tests/fixtures/make_legacy_docs.py, make_docs.py). The fallback
tests run the real soffice and are skipped, with the reason, only where LibreOffice is not installed.
"""

from __future__ import annotations

import gzip
import io
import multiprocessing
import os
import shutil
import struct
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
import xlrd

from checks.thai import skeleton
from crawler.extract import extract, libreoffice, sniff
from crawler.extract import sheets as sheets_mod
from crawler.extract.common import ExtractError, thai_date

DOCS = Path(__file__).parent / "fixtures" / "docs"
sys.path.insert(0, str(DOCS.parent))
from make_docs import ROWS, STEPS  # noqa: E402

SITE = "https://www.example.go.th/files/"
SLIDES = ("แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", "มาตรการป้องกันการรับสินบน",
          "จัดอบรมเจ้าหน้าที่ ๓ ครั้ง ผู้เข้าร่วม ๑๒๐ คน")


def _component(name: str) -> bool:
    """Whether this LibreOffice has Writer/Calc/Impress/Draw (Debian ships each as its own package)."""
    exe = libreoffice.soffice()
    return bool(exe) and (Path(exe).resolve().parent.parent / "share" / "registry" / f"{name}.xcd").exists()


needs_soffice = pytest.mark.skipif(libreoffice.soffice() is None, reason="LibreOffice (soffice) is not installed")
needs_impress = pytest.mark.skipif(not _component("impress"),
                                   reason="LibreOffice Impress (libreoffice-impress-nogui) is not installed")
needs_draw = pytest.mark.skipif(not _component("draw"),
                                reason="LibreOffice Draw (libreoffice-draw-nogui) is not installed")


def load(name: str) -> bytes:
    data = (DOCS / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def has(text: str, *phrases: str) -> None:
    skel = skeleton(text)
    for phrase in phrases:
        assert skeleton(phrase) in skel, f"{phrase!r} missing from extracted text"


def without(tmp_path: Path, *tools: str) -> str:
    """This machine's PATH minus these programs (a folder of links to all the others)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            if name not in tools and not (bin_dir / name).exists():
                (bin_dir / name).symlink_to(Path(folder) / name)
    return str(bin_dir)


# ---------------------------------------------------------------- LibreOffice as the fallback

@needs_soffice
def test_a_doc_no_reader_of_ours_can_open_is_read_through_libreoffice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", without(tmp_path, "catdoc", "antiword"))
    ex = extract(load("manual.doc"), SITE + "manual.doc")
    assert ex.error is None, ex.error
    assert (ex.kind, ex.method) == ("doc", "libreoffice+docx")
    assert ex.notes == ["read through LibreOffice: catdoc and antiword not installed"]
    direct = extract(load("manual.docx"), SITE + "manual.docx")
    assert "".join(ex.text.split())[:200] == "".join(direct.text.split())[:200]  # the same Thai text
    assert f"{STEPS[1][0]} | {STEPS[1][1]} | {STEPS[1][2]}" in ex.text  # the table survives the round trip


@needs_impress
@needs_soffice
def test_a_ppt_catppt_reads_nothing_from_is_read_through_libreoffice() -> None:
    """catppt exits 0 and prints nothing for a .ppt written by LibreOffice: that is not an empty deck."""
    ex = extract(load("legacy-slides.ppt.gz"), SITE + "plan.ppt", "application/vnd.ms-powerpoint")
    assert ex.error is None, ex.error
    assert (ex.kind, ex.method, ex.pages) == ("other", "libreoffice+pptx", 2)
    has(ex.text, *SLIDES)
    assert ex.text.splitlines()[0] == "== สไลด์ 1 =="
    if shutil.which("catppt"):
        assert ex.notes == ["read through LibreOffice: catppt: no text (exit status 0)"]


@needs_impress
@needs_soffice
def test_a_ppt_without_catppt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", without(tmp_path, "catppt"))
    ex = extract(load("legacy-slides.ppt.gz"), SITE + "plan.ppt")
    assert (ex.error, ex.method) == (None, "libreoffice+pptx")
    assert ex.notes == ["read through LibreOffice: catppt not installed"]
    has(ex.text, *SLIDES)


def test_without_libreoffice_a_ppt_says_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither catppt nor soffice
    ex = extract(load("legacy-slides.ppt.gz"), SITE + "plan.ppt")
    assert ex.kind == "other"
    assert ex.error == ("unsupported: .ppt unreadable (catppt not installed; "
                        "unsupported: LibreOffice is not installed (the fallback converter))")


@needs_soffice
def test_an_xls_xlrd_rejects_is_read_through_libreoffice_with_buddhist_era_dates(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise xlrd.XLRDError("Unsupported format, or corrupt file")

    monkeypatch.setattr(sheets_mod.xlrd, "open_workbook", refuse)
    ex = extract(load("procurement.xls"), SITE + "procurement.xls")
    assert ex.error is None, ex.error
    assert (ex.kind, ex.method, ex.pages) == ("xls", "libreoffice+openpyxl", 2)
    assert ex.notes == ["read through LibreOffice: xlrd: Unsupported format, or corrupt file"]
    assert ex.headings == ["สรุปผล ต.ค. 67", "หมายเหตุ"]
    has(ex.text, *(row[0] for row in ROWS))
    assert "| 2/10/2567" in ex.text and "31/10/2567" in ex.text and "ข้อมูล ณ วันที่ | 5/11/2567" in ex.text
    assert "2024" not in ex.text


@needs_soffice
@pytest.mark.parametrize(("url", "body"), [
    ("junk.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000),  # an OLE header and nothing behind it
    ("cut.xls", load("procurement.xls")[:len(load("procurement.xls")) // 2]),  # a download cut off half-way
    ("junk.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 16 + "WordDocument".encode("utf-16-le")),
])
def test_libreoffice_does_not_pass_off_garbage_as_text(url: str, body: bytes) -> None:
    """Left to detect the type itself, LibreOffice opens what it cannot parse as plain text and
    "converts" the bytes; the import filter is named so that it refuses instead."""
    ex = extract(body, SITE + url)
    assert ex.error is not None and ex.error.startswith("corrupt: ."), ex.error
    assert "LibreOffice could not convert it" in ex.error and ex.text == ""


@needs_soffice
def test_word_2003_xml_served_as_doc() -> None:
    body = load("legacy-manual-2003.xml")
    assert sniff(body, SITE + "manual.doc", "application/msword") == "doc-xml"
    ex = extract(body, SITE + "manual.doc", "application/msword")
    assert ex.error is None, ex.error
    assert (ex.kind, ex.method) == ("doc", "libreoffice+docx")
    has(ex.text, "การให้บริการรับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "กรมส่งเสริมการปกครองตัวอย่าง",
        "ปรับปรุงล่าสุด ๑ ตุลาคม ๒๕๖๗")
    assert f"{STEPS[2][0]} | {STEPS[2][1]} | {STEPS[2][2]}" in ex.text


SPREADSHEET_ML = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Styles><Style ss:ID="d"><NumberFormat ss:Format="Short Date"/></Style></Styles>
 <Worksheet ss:Name="สรุปผล ต.ค. 67"><Table>
  <Row><Cell><Data ss:Type="String">งานที่จัดซื้อจัดจ้าง</Data></Cell><Cell><Data ss:Type="String">วงเงิน</Data></Cell>
   <Cell><Data ss:Type="String">วันที่ทำสัญญา</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">จัดซื้อวัสดุสำนักงาน</Data></Cell><Cell><Data ss:Type="Number">12500</Data></Cell>
   <Cell ss:StyleID="d"><Data ss:Type="DateTime">2024-10-02T00:00:00.000</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>
"""


@needs_soffice
def test_excel_2003_xml_exported_by_a_web_app_as_xls() -> None:
    """The hand-written SpreadsheetML many PHP and ASP.NET systems send as "report.xls"."""
    body = SPREADSHEET_ML.encode()
    url = "https://www.example.go.th/egp/export.php?type=xls"
    assert sniff(body, url, "application/vnd.ms-excel") == "xls-xml"
    ex = extract(body, url, "application/vnd.ms-excel")
    assert ex.error is None, ex.error
    assert (ex.kind, ex.method, ex.headings) == ("xls", "libreoffice+openpyxl", ["สรุปผล ต.ค. 67"])
    assert "จัดซื้อวัสดุสำนักงาน | 12500 | 2/10/2567" in ex.text


WORDPERFECT = (b"\xffWPC" + struct.pack("<I", 16) + bytes([1, 10, 0, 1]) + b"\x00" * 4
               + b"Anti-corruption plan 2025\nOffice of the District\n")  # a WordPerfect 5.1 file, header + text


@needs_soffice
def test_wordperfect() -> None:
    assert sniff(WORDPERFECT, SITE + "plan.doc") == "wpd"  # from the bytes, whatever the name says
    ex = extract(WORDPERFECT, SITE + "plan.wpd")
    assert (ex.error, ex.kind, ex.method) == (None, "other", "libreoffice+docx")
    assert ex.text == "Anti-corruption plan 2025\nOffice of the District"


@needs_draw
@needs_soffice
def test_a_drawing_goes_through_draw_and_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Publisher and Visio files open in Draw, which writes PDF. No producer here writes .pub, so the same
    route (Draw → PDF → our PDF reader) is run on a Draw document."""
    monkeypatch.setitem(libreoffice.FOREIGN, "pub", libreoffice.Route(".odg", "pdf", "other", ("draw8",)))
    ex = libreoffice.extract_foreign("pub", load("legacy-slides.odg"), max_pages=10, timeout=60)
    assert ex.error is None, ex.error
    assert ex.kind == "other" and ex.method.startswith("libreoffice+") and ex.pages == 2
    has(ex.text, *SLIDES)


def test_publisher_and_visio_are_sniffed_from_their_streams() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert sniff(ole + "Quill".encode("utf-16-le"), SITE + "brochure.pdf") == "pub"
    assert sniff(ole + "VisioDocument".encode("utf-16-le"), SITE + "chart.vsd") == "vsd"


def test_without_libreoffice_a_foreign_format_is_unsupported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    ex = extract(WORDPERFECT, SITE + "plan.wpd")
    assert ex.kind == "other"
    assert ex.error == ("unsupported: .wpd unreadable "
                        "(unsupported: LibreOffice is not installed (the fallback converter))")


# ---------------------------------------------------------------- the converter itself

@needs_soffice
def test_a_conversion_that_overruns_is_killed_with_its_process_group() -> None:
    profile = libreoffice.profile_dir()
    with pytest.raises(ExtractError, match=r"^timeout: LibreOffice took longer than 0.3s$"):
        libreoffice.convert(load("manual.doc"), ".doc", "docx", timeout=0.3)
    left = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmdline_has(p, str(profile))]
    assert left == [], "soffice processes outlived the timeout"
    assert not profile.exists()  # a killed instance may leave a half-written profile: a fresh one next time


def _cmdline_has(proc: Path, text: str) -> bool:
    try:
        return text in (proc / "cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return False


def test_without_libreoffice_the_reason_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ExtractError, match="^unsupported: LibreOffice is not installed"):
        libreoffice.convert(b"x", ".doc", "docx")


def test_each_process_has_its_own_profile_and_dead_ones_are_swept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(libreoffice, "_profile", None)
    stale = Path(libreoffice.tempfile.gettempdir()) / "oit-lo-profile-999999999-stale"  # beyond any pid_max
    stale.mkdir(exist_ok=True)
    profile = libreoffice.profile_dir()
    assert not stale.exists()
    assert profile.name.startswith(f"oit-lo-profile-{os.getpid()}-") and oct(profile.stat().st_mode)[-3:] == "700"
    settings = (profile / "user" / "registrymodifications.xcu").read_text()
    assert "DisableMacrosExecution" in settings and "BlockUntrustedRefererLinks" in settings
    assert libreoffice.profile_dir() == profile  # reused: a warm profile starts faster


def _convert_in_child(data: bytes) -> int:
    return len(libreoffice.convert(data, ".doc", "docx", infilters=libreoffice.INFILTERS["doc"]))


@needs_soffice
def test_two_workers_convert_at_the_same_time() -> None:
    """With one shared profile the second soffice silently converts nothing (docs/extraction.md §5)."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        sizes = pool.map(_convert_in_child, [load("manual.doc")] * 2)
    assert all(size > 5000 for size in sizes), sizes


@needs_soffice
def test_libreoffice_fetches_nothing_a_document_links_to(tmp_path: Path) -> None:
    """A .doc served by anyone is converted on our machine: remote images it links to stay unfetched."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/pixel.png"
        html = f'<html><body><p>ภาพประกอบ</p><img src="{url}"></body></html>'.encode()
        docx = libreoffice.convert(html, ".html", "docx:MS Word 2007 XML", infilters=("HTML (StarWriter)",))
        assert docx[:2] == b"PK"
    finally:
        server.shutdown()
    assert hits == [], f"LibreOffice fetched {hits}"


# ---------------------------------------------------------------- formats our own readers handle

def test_slides_written_by_impress_as_pptx_and_odp() -> None:
    pptx = extract(load("legacy-slides.pptx"), SITE + "plan.pptx")
    assert (pptx.error, pptx.kind, pptx.method, pptx.pages) == (None, "pptx", "pptx", 2)
    assert pptx.title == "แผนปฏิบัติการป้องกันการทุจริต ประจำปี 2568"  # metadata title
    has(pptx.text, *SLIDES)
    for name, method in (("legacy-slides.odp", "odp"), ("legacy-slides.odg", "odg")):
        ex = extract(load(name), SITE + name)
        assert (ex.error, ex.kind, ex.method) == (None, "other", method)
        has(ex.text, *SLIDES)


@pytest.mark.parametrize(("name", "content_type"), [
    ("legacy-procurement-tis620.csv", None),  # LibreOffice Calc, Windows-874, no charset anywhere
    ("legacy-procurement-tis620.csv", "text/csv; charset=windows-874"),
    ("legacy-procurement-utf8-bom.csv", "text/csv"),  # Excel's "CSV UTF-8" starts with a byte-order mark
])
def test_csv_exports_read_as_a_table_with_their_thai(name: str, content_type: str | None) -> None:
    url = "https://www.example.go.th/files/summary-2567-10.csv"
    ex = extract(load(name), url, content_type)
    assert (ex.error, ex.kind, ex.method, ex.notes) == (None, "csv", "csv", [])
    assert ex.title == "สรุปผลการจัดซื้อจัดจ้าง ประจำเดือน ตุลาคม 2567"
    assert "\ufeff" not in ex.text
    assert "1 | จัดซื้อวัสดุสำนักงาน | 12,500.00 | เฉพาะเจาะจง | ร้านสมใจพาณิชย์ | 2/10/2024" in ex.text
    has(ex.text, "จ้างซ่อมแซมถนนคอนกรีตเสริมเหล็ก หมู่ที่ ๓")


@pytest.mark.parametrize(("encoding", "content_type", "sep"), [
    ("utf-8-sig", "text/csv", ","), ("cp874", "text/csv; charset=windows-874", ";"), ("cp874", None, "\t"),
])
def test_csv_separators_and_encodings(encoding: str, content_type: str | None, sep: str) -> None:
    rows = f"ลำดับ{sep}งานที่จัดซื้อจัดจ้าง{sep}วงเงิน\n1{sep}\"จัดซื้อวัสดุสำนักงาน{sep} ครั้งที่ 2\"{sep}12500\n"
    ex = extract(rows.encode(encoding), "https://www.example.go.th/files/summary.csv", content_type)
    assert (ex.error, ex.kind) == (None, "csv")
    quoted = "จัดซื้อวัสดุสำนักงาน ครั้งที่ 2" if sep == "\t" else f"จัดซื้อวัสดุสำนักงาน{sep} ครั้งที่ 2"
    assert ex.text == f"ลำดับ | งานที่จัดซื้อจัดจ้าง | วงเงิน\n1 | {quoted} | 12500"


def test_excel_unicode_text_export_named_xls() -> None:
    """Excel's "Unicode Text" is UTF-16 with a byte-order mark and tabs; web systems serve it as .xls."""
    body = "ลำดับ\tงานที่จัดซื้อจัดจ้าง\r\n1\tจัดซื้อวัสดุสำนักงาน\r\n".encode("utf-16")
    ex = extract(body, "https://www.example.go.th/report/export.xls", "application/vnd.ms-excel")
    assert (ex.error, ex.kind) == (None, "csv")
    assert ex.text == "ลำดับ | งานที่จัดซื้อจัดจ้าง\n1 | จัดซื้อวัสดุสำนักงาน"


def test_csv_is_told_by_name_or_header_and_html_is_still_html() -> None:
    body = b"a,b\n1,2\n"
    assert sniff(body, "https://x.go.th/export.php", "text/csv") == "csv"
    assert sniff(body, "https://x.go.th/data.tsv") == "csv"
    assert sniff(body, "https://x.go.th/readme.txt", "text/plain") == "text"
    assert sniff(b"<html><body>404</body></html>", "https://x.go.th/data.csv", "text/csv") == "html"


def test_spreadsheet_dates_become_buddhist_era_once() -> None:
    assert thai_date(date(2024, 10, 2)) == "2/10/2567"
    assert thai_date(datetime(2024, 10, 2, 13, 5)) == "2/10/2567 13:05"
    # Typed as 2/10/2567 in an Excel on the Gregorian calendar: stored as the year 2567 already.
    assert thai_date(date(2567, 10, 2)) == "2/10/2567"


def test_buddhist_era_typed_into_a_workbook_is_not_shifted_again() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["วันที่ทำสัญญา", datetime(2567, 10, 2)])
    buf = io.BytesIO()
    wb.save(buf)
    ex = extract(buf.getvalue(), SITE + "typed.xlsx")
    assert "วันที่ทำสัญญา | 2/10/2567" in ex.text and "3110" not in ex.text
