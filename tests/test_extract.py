"""Extraction from real files made by real producers (see tests/fixtures/make_docs.py)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from checks.thai import skeleton
from crawler.extract import extract, sniff
from crawler.extract import office as office_mod
from crawler.extract import pdf as pdf_mod
from crawler.extract.decode import decode_bytes
from crawler.extract.html import extract_html_text

DOCS = Path(__file__).parent / "fixtures" / "docs"
PAGE = "https://www.example.go.th/ita/"


def load(name: str) -> bytes:
    return (DOCS / name).read_bytes()


def has(text: str, *phrases: str) -> None:
    skel = skeleton(text)
    for phrase in phrases:
        assert skeleton(phrase) in skel, f"{phrase!r} missing from extracted text"


MANUAL_PHRASES = (
    "คู่มือการปฏิบัติงาน",
    "การให้บริการรับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "รวมระยะเวลาทั้งสิ้นไม่เกิน ๑๙ วันทำการ",
    "ตรวจสอบข้อเท็จจริงและส่งเรื่องให้หน่วยงานที่เกี่ยวข้อง",  # table cell
    "แจ้งผลการดำเนินการให้ผู้ร้องเรียนทราบ",
    "15 วันทำการ",  # Thai digits in the source, matched via the skeleton
    "complaint@example.go.th",
)
HEADER = "กรมส่งเสริมการปกครองตัวอย่าง สำนักงานเลขานุการกรม"
FOOTER = "ปรับปรุงล่าสุด ๑ ตุลาคม ๒๕๖๗"


# ---------------------------------------------------------------- word processing

@pytest.mark.parametrize("name,kind", [("manual.docx", "docx"), ("manual.odt", "odt")])
def test_word_documents_keep_body_tables_headers_and_footers(name: str, kind: str) -> None:
    ex = extract(load(name), f"https://www.example.go.th/files/{name}")
    assert ex.kind == kind and ex.error is None
    has(ex.text, *MANUAL_PHRASES, HEADER, FOOTER)
    assert "๒ | ตรวจสอบข้อเท็จจริงและส่งเรื่องให้หน่วยงานที่เกี่ยวข้อง | ๓ วันทำการ" in ex.text
    assert ex.title == "คู่มือการปฏิบัติงาน การให้บริการรับเรื่องร้องเรียน"
    assert "ขั้นตอนการปฏิบัติงาน" in ex.headings


@pytest.mark.skipif(not (shutil.which("catdoc") or shutil.which("antiword")), reason="no .doc reader")
def test_word_97_doc() -> None:
    ex = extract(load("manual.doc"), "https://www.example.go.th/files/manual.doc", "application/msword")
    assert ex.kind == "doc" and ex.error is None
    has(ex.text, *MANUAL_PHRASES)
    assert ex.method in {"catdoc", "antiword"}


def test_doc_without_reader_is_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office_mod.shutil, "which", lambda name: None)
    ex = extract(load("manual.doc"), "https://www.example.go.th/files/manual.doc")
    assert ex.kind == "doc"
    assert ex.error is not None and ex.error.startswith("unsupported")


def test_rtf_saved_by_word_processor() -> None:
    ex = extract(load("manual.rtf"), "https://www.example.go.th/files/manual.doc")
    assert ex.kind == "doc" and ex.method == "rtf" and ex.error is None
    has(ex.text, *MANUAL_PHRASES, HEADER, FOOTER)


def test_docx_named_doc_is_read_as_docx() -> None:
    ex = extract(load("manual.docx"), "https://www.example.go.th/files/manual.doc", "application/msword")
    assert ex.kind == "docx"


def test_pptx_slides() -> None:
    ns = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    slide = f'<p:sld xmlns:p="x" {ns}><a:p><a:r><a:t>แผนปฏิบัติการป้องกันการทุจริต</a:t></a:r></a:p></p:sld>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p/>")
        z.writestr("ppt/slides/slide1.xml", slide)
    ex = extract(buf.getvalue(), "https://www.example.go.th/a.pptx")
    assert ex.kind == "pptx" and ex.pages == 1
    has(ex.text, "แผนปฏิบัติการป้องกันการทุจริต")


# ---------------------------------------------------------------- PDF

def test_pdf_text_from_libreoffice_export() -> None:
    ex = extract(load("manual.pdf"), "https://www.example.go.th/files/manual.pdf", "application/pdf")
    assert ex.kind == "pdf" and ex.error is None
    assert ex.pages == 1
    assert ex.method == ("pdftotext" if shutil.which("pdftotext") else "pypdfium2")
    has(ex.text, *MANUAL_PHRASES, HEADER, FOOTER)
    assert ex.title == "คู่มือการปฏิบัติงาน การให้บริการรับเรื่องร้องเรียน"  # from PDF metadata


def test_pdf_falls_back_to_pdfium_without_poppler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_mod.shutil, "which", lambda name: None)
    ex = extract(load("manual.pdf"), "https://www.example.go.th/files/manual.pdf")
    assert ex.method == "pypdfium2" and ex.error is None
    has(ex.text, *MANUAL_PHRASES)


def test_pdf_sniffed_from_bytes_not_url_or_header() -> None:
    body = load("manual.pdf")
    url = "https://www.example.go.th/download.php?id=55"
    assert sniff(body, url, "text/html; charset=utf-8") == "pdf"
    ex = extract(body, url, "text/html; charset=utf-8")
    assert ex.kind == "pdf"
    has(ex.text, "คู่มือการปฏิบัติงาน")
    assert sniff(b"\r\n\r\n" + body, url) == "pdf"  # junk before the header (PHP whitespace) still a PDF


def test_password_protected_pdf() -> None:
    ex = extract(load("encrypted.pdf"), "https://www.example.go.th/files/secret.pdf")
    assert ex.kind == "pdf"
    assert ex.error is not None and ex.error.startswith("encrypted")


def test_truncated_pdf() -> None:
    ex = extract(load("truncated.pdf"), "https://www.example.go.th/files/cut.pdf")
    assert ex.kind == "pdf"
    assert ex.error is not None and ex.error.startswith("corrupt") and "truncated" in ex.error


def test_scanned_pdf_has_no_text_layer() -> None:
    ex = extract(load("scanned.pdf"), "https://www.example.go.th/files/memo.pdf")
    assert ex.kind == "pdf" and ex.error is None
    assert ex.method == "pdf-no-text-layer"
    assert ex.images >= 1 and ex.pages == 1


# ---------------------------------------------------------------- spreadsheets

@pytest.mark.parametrize("name,kind", [("procurement.xlsx", "xlsx"), ("procurement.xls", "xls"),
                                       ("procurement.ods", "ods")])
def test_spreadsheets_rows_sheets_and_buddhist_era_dates(name: str, kind: str) -> None:
    ex = extract(load(name), f"https://www.example.go.th/files/{name}")
    assert ex.kind == kind and ex.error is None
    assert ex.pages == 2
    assert ex.headings == ["สรุปผล ต.ค. 67", "หมายเหตุ"]
    assert "== สรุปผล ต.ค. 67 ==" in ex.text
    assert ex.title == "สรุปผลการจัดซื้อจัดจ้าง ประจำเดือน ตุลาคม 2567"
    has(ex.text, "ผู้ได้รับการคัดเลือก", "จ้างซ่อมแซมถนนคอนกรีตเสริมเหล็ก หมู่ที่ ๓", "หจก.ก่อสร้างไทย")
    # datetime(2024, 10, 2) is shown as a Thai reader writes it: 2/10/2567
    assert "จัดซื้อวัสดุสำนักงาน" in ex.text and "| 2/10/2567" in ex.text
    assert "15/10/2567" in ex.text and "31/10/2567" in ex.text
    assert "ข้อมูล ณ วันที่ | 5/11/2567" in ex.text
    assert "2024" not in ex.text


# ---------------------------------------------------------------- other types

def test_image_and_archive() -> None:
    img = extract(load("image.png"), "https://www.example.go.th/info.png")
    assert (img.kind, img.images, img.text, img.error) == ("image", 1, "", None)
    arc = extract(load("archive.zip"), "https://www.example.go.th/files/ita.zip")
    assert arc.kind == "archive" and arc.error is None
    assert extract(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 40, "https://x.go.th/a.rar").kind == "archive"
    assert extract(b"7z\xbc\xaf\x27\x1c" + b"\x00" * 40, "https://x.go.th/a.7z").kind == "archive"


def test_zip_bomb_docx_is_refused() -> None:
    ex = extract(load("zip-bomb.docx"), "https://www.example.go.th/files/bomb.docx")
    assert ex.kind == "docx"
    assert ex.error is not None and ex.error.startswith("too_large")


def test_entity_bomb_docx_is_not_expanded() -> None:
    ex = extract(load("entity-bomb.docx"), "https://www.example.go.th/files/lol.docx")
    assert ex.kind == "docx" and ex.error is None
    has(ex.text, "ข้อความปกติก่อนระเบิด")
    assert "lol" not in ex.text and len(ex.text) < 200


def test_bad_input_never_raises() -> None:
    assert extract(b"", "https://x.go.th/a.pdf").error == "empty: zero-length body"
    assert extract(b"", "https://x.go.th/a.pdf").kind == "pdf"
    broken_docx = extract(b"PK\x03\x04" + b"\x00garbage" * 10, "https://x.go.th/a.docx")
    assert broken_docx.kind == "docx"
    assert broken_docx.error is not None and broken_docx.error.startswith("corrupt: not a valid DOCX zip")
    assert extract(bytes(range(256)) * 8, "https://x.go.th/blob").kind == "other"
    assert extract(b"%PDF-1.4\n garbage", "https://x.go.th/a.pdf").error.startswith("corrupt")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert extract(ole, "https://x.go.th/a.xls").kind == "xls"
    assert extract(ole, "https://x.go.th/a.xls").error.startswith("corrupt")


def test_plain_text() -> None:
    ex = extract("ประกาศ ๑ ตุลาคม ๒๕๖๗\n".encode(), "https://x.go.th/a.txt", "text/plain")
    assert ex.kind == "text" and ex.text == "ประกาศ ๑ ตุลาคม ๒๕๖๗"


# ---------------------------------------------------------------- HTML: encodings

def test_windows_874_page_with_meta_charset() -> None:
    body = load("legacy-windows-874.html")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    ex = extract(body, "http://www.example.go.th/data.php?menu_id=1", "text/html")
    assert ex.kind == "html" and ex.error is None
    assert ex.title == "องค์การบริหารส่วนตำบลตัวอย่าง - ข้อมูลพื้นฐาน"
    has(ex.text, "ได้รับการยกฐานะจากสภาตำบลเมื่อ พ.ศ. ๒๕๓๙", "ประชากรทั้งสิ้น ๕,๒๑๓ คน")
    assert "หน้าแรก" not in ex.text  # the left menu column is navigation
    # Query strings are percent-encoded in the page's encoding, as a browser does.
    search = next(link for link in ex.links if "search.php" in link.url)
    assert search.url == "http://www.example.go.th/search.php?q=%E1%BC%B9%BE%D1%B2%B9%D2"


def test_tis_620_declared_page() -> None:
    ex = extract(load("tis-620.html"), "http://www.example.go.th/news/1", "text/html")
    assert ex.title == "ประกาศผลผู้ชนะการเสนอราคา"
    has(ex.text, "ซื้อวัสดุคอมพิวเตอร์ จำนวน ๑๒ รายการ โดยวิธีเฉพาะเจาะจง", "๒ ตุลาคม พ.ศ. ๒๕๖๗")


def test_charset_sources_and_fallbacks() -> None:
    thai = "<html><body><p>ประกาศผู้ชนะการเสนอราคา จัดซื้อวัสดุสำนักงาน ประจำปีงบประมาณ</p></body></html>"
    raw = thai.encode("cp874")
    assert decode_bytes(raw, "text/html; charset=TIS-620")[0] == thai  # HTTP header, no meta
    assert decode_bytes(raw, "text/html; charset=x-windows-874")[1] == "cp874"
    # Declares UTF-8 but is not: detection rescues the Thai text.
    lying = raw.replace(b"<html>", b'<html><meta charset="utf-8">')
    assert "ประกาศผู้ชนะการเสนอราคา" in decode_bytes(lying, None)[0]
    # A server default of ISO-8859-1 stuck on a TIS-620 page.
    assert "ประกาศผู้ชนะการเสนอราคา" in decode_bytes(raw * 3, "text/html; charset=ISO-8859-1")[0]
    # UTF-8 page with one stray Windows byte is still UTF-8.
    stray = thai.encode() + b"\x96"
    assert decode_bytes(stray, "text/html; charset=utf-8")[0].startswith(thai)
    assert decode_bytes(thai.encode("utf-8"), None)[1] == "utf-8"


def test_html_sniffed_without_doctype_and_served_as_octet_stream() -> None:
    body = "<p>รายงานผลการดำเนินงาน</p><a href='a.pdf'>ไฟล์</a>".encode()
    assert sniff(body, "https://x.go.th/file.pdf", "application/octet-stream") == "html"
    error_page = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Gone</body></html>"
    assert extract(error_page, "https://x.go.th/o5.pdf", "application/pdf").kind == "html"


# ---------------------------------------------------------------- HTML: text and links

@pytest.fixture(scope="module")
def links_page():
    return extract(load("links.html"), PAGE, "text/html; charset=utf-8")


def by_url(ex, url: str):
    found = [link for link in ex.links if link.url == url]
    assert found, f"no link to {url}"
    return found[0]


def test_page_text_without_navigation(links_page) -> None:
    ex = links_page
    assert ex.title == "ITA 2568 การเปิดเผยข้อมูลสาธารณะ (OIT)"
    assert ex.headings[0] == "OIT ประจำปี 2568"  # og:title
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล" in ex.headings
    assert ex.published == "2024-11-05"
    has(ex.text, "การเปิดเผยข้อมูลสาธารณะ ประจำปีงบประมาณ พ.ศ. 2568", "O5 | แผนปฏิบัติราชการ ประจำปี พ.ศ. 2568")
    assert "O1 | โครงสร้าง | คลิก" in ex.text
    for chrome in ("เกี่ยวกับเรา", "ลิงก์ด่วน", "ปฏิทินกิจกรรม", "สงวนลิขสิทธิ์", "ตราหน่วยงาน", "color:red"):
        assert chrome not in ex.text
    assert "ลิงก์ในคอมเมนต์" not in ex.text and "from-script" not in ex.text
    assert "[ภาพ: ประเมิน ITA 2568]" in ex.text
    assert "[แผนที่]" in ex.text
    assert ex.images == 1  # the logo in the header is chrome


def test_plain_links_resolve_against_base_href(links_page) -> None:
    o1 = by_url(links_page, "https://www.example.go.th/ita/files/o1.pdf")
    assert (o1.kind, o1.text, o1.raw, o1.placeholder) == ("a", "คลิก", "files/o1.pdf", False)
    assert o1.context == "O1 | โครงสร้าง | คลิก"
    thai_path = "https://www.example.go.th/uploads/" + (
        "%E0%B9%81%E0%B8%9C%E0%B8%99%E0%B8%9B%E0%B8%8F%E0%B8%B4%E0%B8%9A%E0%B8%B1%E0%B8%95%E0%B8%B4"
        "%E0%B8%A3%E0%B8%B2%E0%B8%8A%E0%B8%81%E0%B8%B2%E0%B8%A3%202568.pdf"
    )
    o5 = by_url(links_page, thai_path)
    assert "O5" in o5.context and "แผนปฏิบัติราชการ" in o5.context
    # Menu links are still links (the crawler follows them), even though their text is not content.
    assert by_url(links_page, "https://www.example.go.th/about.php").text == "เกี่ยวกับเรา"
    logo = by_url(links_page, "https://www.example.go.th/")
    assert logo.text == "หน้าหลัก ตราหน่วยงาน"  # title= and the image's alt
    banner = by_url(links_page, "https://www.example.go.th/images/banner-ita.html")
    assert banner.text == "แบนเนอร์ ITA ประเมิน ITA 2568"
    assert by_url(links_page, "https://www.example.go.th/images/ita.png").kind == "img"


def test_placeholders_are_kept_and_flagged(links_page) -> None:
    holders = {link.raw: link for link in links_page.links if link.placeholder}
    assert set(holders) >= {"#", "", "#!", "javascript:;", "#top", "javascript:void(0)", "https://www.example.go.th/ita/"}
    assert all(link.url == "" for link in holders.values())
    assert holders["#"].context == "O6 | รายงานการกำกับติดตาม | คลิก"
    assert holders[""].text == "รอใส่ลิงก์"
    assert holders["javascript:void(0)"].text == "ข้อมูลหน่วยงาน"
    # A real href next to onclick="javascript:void(0)" is a normal link.
    assert by_url(links_page, "https://www.example.go.th/structure.php").placeholder is False


def test_script_navigation(links_page) -> None:
    expected = {
        "https://www.example.go.th/docs/announce.pdf": "เปิดประกาศ",  # href=void + onclick window.open
        "https://www.example.go.th/news.php?id=7": "ข่าวประชาสัมพันธ์",  # location.href on a span
        "https://www.example.go.th/ita/report.php": "รายงานผล",  # window.location on a button
        "https://www.example.go.th/assign.html": "ข้อมูลการมอบหมาย",  # location.assign
        "https://www.example.go.th/docloc.pdf": "เอกสารแนบ",  # document.location.href with href="#"
        "https://www.example.go.th/js-href.pdf": "แผนการจัดซื้อ",  # href="javascript:window.open(...)"
    }
    for url, text in expected.items():
        link = by_url(links_page, url)
        assert (link.kind, link.text, link.placeholder) == ("onclick", text, False)
    announce = by_url(links_page, "https://www.example.go.th/docs/announce.pdf")
    assert announce.context == "ประกาศต่าง ๆ เปิดประกาศ"
    # href="#" whose onclick navigates is not also reported as a placeholder
    assert not any(link.placeholder and link.text == "เอกสารแนบ" for link in links_page.links)


def test_embeds_viewers_and_contact_links(links_page) -> None:
    kinds = [(link.kind, link.url) for link in links_page.links]
    pdfjs = "https://www.example.go.th/pdfjs/web/viewer.html?file=%2Ffiles%2Fpdfjs.pdf"
    assert kinds.index(("iframe", pdfjs)) + 1 == kinds.index(("viewer", "https://www.example.go.th/files/pdfjs.pdf"))
    assert ("viewer", "http://www.example.go.th/files/gview.pdf") in kinds  # Google Docs viewer ?url=
    assert ("viewer", "https://www.example.go.th/files/flip.pdf") in kinds  # FlowPaper ?pdf=
    assert ("embed", "https://www.example.go.th/files/embed.pdf") in kinds
    assert ("object", "https://www.example.go.th/files/object.pdf") in kinds
    assert ("a", "https://www.example.go.th/area.html") in kinds
    assert ("iframe", "https://www.google.com/maps/embed?pb=!1m18!1m12") in kinds
    assert ("mailto", "mailto:saraban@example.go.th") in kinds
    assert ("tel", "tel:021234567") in kinds
    assert by_url(links_page, "https://www.google.com/maps/embed?pb=!1m18!1m12").context == "แผนที่ตั้งสำนักงาน"


def test_links_in_comments_and_scripts_are_ignored(links_page) -> None:
    urls = " ".join(link.url for link in links_page.links)
    assert "commented-out" not in urls and "from-script" not in urls


def test_meta_refresh_and_script_redirect() -> None:
    ex = extract(load("refresh.html"), "https://www.example.go.th/", "text/html")
    assert [(link.kind, link.url) for link in ex.links] == [("refresh", "https://www.example.go.th/ita/2568/index.php")]
    js = b'<html><head><script>window.location.href = "main.php";</script></head><body></body></html>'
    ex = extract(js, "https://www.example.go.th/index.html", "text/html")
    assert [(link.kind, link.url) for link in ex.links] == [("refresh", "https://www.example.go.th/main.php")]


def test_fragment_stripped_and_self_link_is_placeholder() -> None:
    html = """<html><body><ul>
      <li><a href="money.php#ITA023">ข้อมูลการเงิน</a></li>
      <li><a href="page.php?id=1#top">หน้านี้</a></li>
      <li><a href=" files\\o2 แผน.pdf ">แผน</a></li></ul></body></html>"""
    ex = extract_html_text(html, "https://x.go.th/dir/page.php?id=1")
    assert ex.links[0].url == "https://x.go.th/dir/money.php"
    assert ex.links[1].placeholder and ex.links[1].url == ""
    assert ex.links[2].url == "https://x.go.th/dir/files/o2%20%E0%B9%81%E0%B8%9C%E0%B8%99.pdf"


# ---------------------------------------------------------------- HTML: forms

def test_contact_form_counts(links_page) -> None:
    assert links_page.has_form is True


@pytest.mark.parametrize(
    "body,expected",
    [
        ('<form action="/search.php"><input name="keyword"><input type="submit"></form>', False),
        ('<form><input type="search" name="x"></form>', False),
        ('<form><input type="hidden" name="a"><input type="submit"><button>ตก</button></form>', False),
        ('<form><input name="user"><input type="password" name="pw"></form>', False),
        ('<form><input name="fullname"><textarea name="msg"></textarea></form>', True),
        ('<form><input type="email" name="mail"></form>', True),
        ('<form><select name="t"><option>เรื่อง</option></select><input type="file" name="f"></form>', True),
        ('<div id="app"><input type="text" name="name"><input type="tel" name="phone"></div>', True),
        ('<p>ไม่มีแบบฟอร์ม</p>', False),
    ],
)
def test_has_form(body: str, expected: bool) -> None:
    assert extract_html_text(f"<html><body>{body}</body></html>", "https://x.go.th/").has_form is expected


def test_menu_class_matching_keeps_main_content() -> None:
    html = """<html><body class="has-sidebar">
      <div class="page-with-sidebar"><div id="main-content"><h1>ข่าวประชาสัมพันธ์</h1><p>เนื้อหาหลัก</p></div>
      <div class="sidebar"><a href="/a">ลิงก์ข้าง</a></div></div>
      <div id="topmenu"><a href="/b">เมนูบน</a></div>
      <div class="breadcrumb"><a href="/">หน้าแรก</a> &gt; ข่าว</div></body></html>"""
    ex = extract_html_text(html, "https://x.go.th/news")
    assert "เนื้อหาหลัก" in ex.text and "ข่าวประชาสัมพันธ์" in ex.text
    assert "ลิงก์ข้าง" not in ex.text and "เมนูบน" not in ex.text and "หน้าแรก" not in ex.text
    assert len(ex.links) == 3


def test_to_dict_round_trip(links_page) -> None:
    d = links_page.to_dict()
    assert d["kind"] == "html" and isinstance(d["links"][0], dict)


# ---------------------------------------------------------------- smaller formats and sniffing corners

def test_rss_feed_items_become_lines_and_links() -> None:
    rss = """<?xml version="1.0" encoding="tis-620"?><rss version="2.0"><channel>
    <title>ประกาศจัดซื้อจัดจ้าง</title>
    <item><title>ประกาศผู้ชนะการเสนอราคา ซื้อวัสดุสำนักงาน</title>
    <link>https://process3.gprocurement.go.th/egp?projectId=67109</link>
    <pubDate>Wed, 02 Oct 2024 10:00:00 +0700</pubDate></item></channel></rss>""".encode("cp874")
    ex = extract(rss, "https://process3.gprocurement.go.th/rss.xml", "text/xml")
    assert ex.kind == "text" and ex.method == "feed" and ex.title == "ประกาศจัดซื้อจัดจ้าง"
    has(ex.text, "ประกาศผู้ชนะการเสนอราคา ซื้อวัสดุสำนักงาน")
    assert ex.links[0].url == "https://process3.gprocurement.go.th/egp?projectId=67109"
    assert ex.links[0].text == "ประกาศผู้ชนะการเสนอราคา ซื้อวัสดุสำนักงาน"


def test_password_protected_office_2007_file() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    ex = extract(ole, "https://x.go.th/plan.xlsx")
    assert ex.kind == "xlsx"
    assert ex.error is not None and ex.error.startswith("encrypted")


def test_xhtml_with_xml_declaration_and_pdf_word_in_page() -> None:
    page = """<?xml version="1.0" encoding="utf-8"?>
    <!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title>คู่มือ</title></head>
    <body><p>ไฟล์รูปแบบ %PDF-1.7 ดาวน์โหลดได้</p><a href="m.pdf">คู่มือ</a></body></html>""".encode()
    assert sniff(page, "https://x.go.th/a") == "html"
    ex = extract(page, "https://x.go.th/a")
    assert ex.kind == "html" and ex.title == "คู่มือ" and ex.links[0].url == "https://x.go.th/m.pdf"


def test_lazy_iframe_and_share_button_viewer() -> None:
    html = """<html><body><p>
      <iframe src="about:blank" data-src="https://docs.google.com/viewer?url=https://x.go.th/o9.pdf"></iframe>
      <a href="https://twitter.com/intent/tweet?url=https://x.go.th/news/1">แชร์</a></p></body></html>"""
    ex = extract_html_text(html, "https://x.go.th/news/1")
    assert [(link.kind, link.url) for link in ex.links] == [
        ("iframe", "https://docs.google.com/viewer?url=https://x.go.th/o9.pdf"),
        ("viewer", "https://x.go.th/o9.pdf"),
        ("a", "https://twitter.com/intent/tweet?url=https://x.go.th/news/1"),
    ]


def test_layout_table_context_uses_nearest_block() -> None:
    filler = "ข้อความยาวในเนื้อหา " * 30
    html = f"""<html><body><table><tr>
      <td><p>เมนูข้อมูลหน่วยงาน <a href="/org.php">คลิก</a></p></td><td><p>{filler}</p></td>
      </tr></table></body></html>"""
    ex = extract_html_text(html, "https://x.go.th/")
    assert ex.links[0].context == "เมนูข้อมูลหน่วยงาน คลิก"


def test_definition_list_context_includes_term() -> None:
    html = "<dl><dt>O12 รายงานผลการจัดซื้อจัดจ้าง</dt><dd><a href='r.pdf'>ดาวน์โหลด</a></dd></dl>"
    ex = extract_html_text(html, "https://x.go.th/")
    assert ex.links[0].context == "O12 รายงานผลการจัดซื้อจัดจ้าง ดาวน์โหลด"


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword not installed")
def test_doc_with_antiword_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(office_mod.shutil, "which", lambda n: None if n == "catdoc" else real_which(n))
    ex = extract(load("manual.doc"), "https://www.example.go.th/files/manual.doc")
    assert ex.method == "antiword" and ex.error is None
    has(ex.text, *MANUAL_PHRASES)
    assert "๒ | ตรวจสอบข้อเท็จจริงและส่งเรื่องให้หน่วยงานที่เกี่ยวข้อง | ๓ วันทำการ" in ex.text


def test_truncated_docx_behind_download_script_is_still_a_docx() -> None:
    body = load("manual.docx")
    url = "https://www.example.go.th/download.php?id=9"
    ex = extract(body[: len(body) // 2], url, "application/octet-stream")
    assert ex.kind == "docx"
    assert ex.error is not None and ex.error.startswith("corrupt")
