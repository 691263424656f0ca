"""Hostile and lying input: each case is refused (``Extraction.error``, "code: detail") or cut off with a
note (``Extraction.notes``), quickly and in bounded memory. The bombs are built here and are small.

PDFs of thousands of pages are in tests/test_textlayer.py (cut off at the page cap, with a note).
"""

from __future__ import annotations

import gzip
import io
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from crawler.extract import extract, sniff
from crawler.extract import sheets as sheets_mod
from crawler.extract.ocr import ocr_image

DOCS = Path(__file__).parent / "fixtures" / "docs"
SITE = "https://www.example.go.th/files/"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SSML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
BEFORE = "ข้อความปกติก่อนระเบิด"
AFTER = "ข้อความหลังระเบิด"
# Billion laughs: ten levels of ten references, 10^9 "lol"s if anything expanded them.
LAUGHS = '<!DOCTYPE x [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>"


def load(name: str) -> bytes:
    return (DOCS / name).read_bytes()


def zipped(members: dict[str, str | bytes], level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def timed(body: bytes, url: str, content_type: str | None = None, limit: float = 5.0):
    start = time.monotonic()
    ex = extract(body, url, content_type)
    assert time.monotonic() - start < limit, f"took {time.monotonic() - start:.1f}s"
    return ex


# ---------------------------------------------------------------- containers for each zip-based format

def docx(document: str) -> bytes:
    return zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": document})


def xlsx(sheet: str) -> bytes:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return zipped({
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
                        "</Relationships>"),
        "xl/workbook.xml": (f'<workbook xmlns="{SSML}" xmlns:r="{rel}"><sheets>'
                            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
    })


def pptx(slide: str) -> bytes:
    return zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>", "ppt/slides/slide1.xml": slide})


def odf(kind: str, content: str, extra: dict[str, str | bytes] | None = None) -> bytes:
    mime = {"odt": "text", "ods": "spreadsheet", "odp": "presentation", "odg": "graphics"}[kind]
    return zipped({"mimetype": f"application/vnd.oasis.opendocument.{mime}", "content.xml": content, **(extra or {})})


def docx_xml(text: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0"?>{prolog}<w:document xmlns:w="{W}"><w:body>'
            f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>")


def xlsx_xml(text: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0"?>{prolog}<worksheet xmlns="{SSML}"><sheetData><row r="1">'
            f'<c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData></worksheet>')


def pptx_xml(text: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0"?>{prolog}<p:sld xmlns:p="p" '
            f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>')


def odt_xml(text: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0"?>{prolog}<office:document-content {ODF_NS}><office:body><office:text>'
            f"<text:p>{text}</text:p></office:text></office:body></office:document-content>")


def ods_xml(text: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0"?>{prolog}<office:document-content {ODF_NS}><office:body><office:spreadsheet>'
            f'<table:table table:name="S"><table:table-row><table:table-cell><text:p>{text}</text:p>'
            "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
            "</office:document-content>")


CONTAINERS = {
    "docx": lambda text, prolog="": docx(docx_xml(text, prolog)),
    "xlsx": lambda text, prolog="": xlsx(xlsx_xml(text, prolog)),
    "pptx": lambda text, prolog="": pptx(pptx_xml(text, prolog)),
    "odt": lambda text, prolog="": odf("odt", odt_xml(text, prolog)),
    "ods": lambda text, prolog="": odf("ods", ods_xml(text, prolog)),
    "odp": lambda text, prolog="": odf("odp", odt_xml(text, prolog).replace("office:text>", "office:presentation>")),
}
KIND = {"docx": "docx", "xlsx": "xlsx", "pptx": "pptx", "odt": "odt", "ods": "ods", "odp": "other"}


# ---------------------------------------------------------------- encrypted

def encrypted_doc() -> bytes:
    """The real manual.doc with the FIB's fEncrypted bit set, which is what Word writes for a password."""
    data = bytearray(load("manual.doc"))
    fib = next(i for i in range(512, len(data), 512) if data[i:i + 2] == b"\xec\xa5")  # wIdent
    data[fib + 11] |= 0x01  # flags at FIB offset 10, fEncrypted is bit 8
    return bytes(data)


def encrypted_xls() -> bytes:
    """The real procurement.xls with a FILEPASS record in its workbook globals (where Excel puts it)."""
    data = bytearray(load("procurement.xls"))
    at = data.find(b"\x5c\x00\x70\x00")  # the WRITEACCESS record: 0x005C, 112 bytes; becomes FILEPASS 0x002F
    assert at > 0
    data[at:at + 2] = b"\x2f\x00"
    return bytes(data)


def encrypted_odf(kind: str) -> bytes:
    """ODF encryption: member bytes scrambled, the manifest's encryption-data saying how."""
    manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
                '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="x"/>'
                "</manifest:encryption-data></manifest:file-entry></manifest:manifest>")
    return odf(kind, "", {"content.xml": bytes(range(256)) * 8, "META-INF/manifest.xml": manifest})


def encrypted_zip_member() -> bytes:
    """A DOCX whose members carry the zip "encrypted" flag (ZipCrypto), set in both headers."""
    data = bytearray(docx(docx_xml("ลับ")))
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.find(sig)
        while i >= 0:
            data[i + flag_at] |= 0x01
            i = data.find(sig, i + 4)
    return bytes(data)


OOXML_ENCRYPTED = OLE + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")


@pytest.mark.parametrize(("body", "url", "kind", "error"), [
    (load("encrypted.pdf"), "secret.pdf", "pdf", "encrypted: password-protected PDF"),
    (encrypted_doc(), "secret.doc", "doc", "encrypted: password-protected Word document"),
    (encrypted_xls(), "secret.xls", "xls", "encrypted: password-protected XLS workbook"),
    (OOXML_ENCRYPTED, "secret.docx", "docx", "encrypted: password-protected Office document"),
    (OOXML_ENCRYPTED, "secret.pptx", "pptx", "encrypted: password-protected Office document"),
    (OOXML_ENCRYPTED, "download.php?id=3", "other", "encrypted: password-protected Office document"),
    (encrypted_odf("odt"), "secret.odt", "odt", "encrypted: password-protected ODT document"),
    (encrypted_odf("ods"), "secret.ods", "ods", "encrypted: password-protected ODS spreadsheet"),
    (encrypted_zip_member(), "secret.docx", "docx",
     "encrypted: DOCX zip member [Content_Types].xml is password-protected"),
], ids=["pdf", "doc", "xls", "docx", "pptx", "ooxml-no-name", "odt", "ods", "zipcrypto"])
def test_encrypted_files_are_refused_without_trying_libreoffice(body: bytes, url: str, kind: str, error: str) -> None:
    ex = timed(body, SITE + url, limit=1.0)  # well under one soffice start-up: LibreOffice is not asked
    assert (ex.kind, ex.error, ex.text) == (kind, error, "")


# ---------------------------------------------------------------- zip bombs

def zip_bomb(kind: str) -> bytes:
    """A few KB on disk; the main part inflates to 8 MB of spaces (about 1000:1)."""
    return CONTAINERS[kind](" " * (8 * 1024 * 1024))


@pytest.mark.parametrize("kind", list(CONTAINERS))
def test_zip_bombs_are_refused_before_inflating(kind: str) -> None:
    body = zip_bomb(kind)
    assert len(body) < 20_000
    ex = timed(body, SITE + f"bomb.{kind}", limit=1.0)
    assert ex.kind == KIND[kind]
    assert ex.error is not None and ex.error.startswith("too_large: zip member "), ex.error
    assert "expands to " in ex.error and "x)" in ex.error


def test_many_members_adding_up_are_refused() -> None:
    members: dict[str, str | bytes] = {"word/document.xml": docx_xml("ok")}
    members.update({f"word/media/image{i}.png": b"\x00" * (1024 * 1024) for i in range(210)})  # 1 MB each
    ex = timed(zipped(members), SITE + "many.docx", limit=1.0)
    assert ex.error is not None and ex.error.startswith("too_large: zip members expand to 2"), ex.error


def test_a_zip_that_lies_about_sizes_stops_at_the_declared_size() -> None:
    body = bytearray(docx(docx_xml("ก" * 2_000_000)))  # 6 MB of XML, declared as 1000 bytes below
    name = b"word/document.xml"
    for i, size_at in ((body.find(name) - 30, 22), (body.rfind(name) - 46, 24)):  # local, central header
        assert body[i:i + 2] == b"PK"
        body[i + size_at:i + size_at + 4] = struct.pack("<I", 1000)
    ex = timed(bytes(body), SITE + "liar.docx", limit=1.0)
    assert ex.error == "corrupt: zip member word/document.xml unreadable (Bad CRC-32 for file 'word/document.xml')"


# ---------------------------------------------------------------- XML entity and nesting bombs

@pytest.mark.parametrize("kind", list(CONTAINERS))
def test_billion_laughs_are_not_expanded(kind: str) -> None:
    body = CONTAINERS[kind](f"{BEFORE} &lol9; {AFTER}", LAUGHS)
    ex = timed(body, SITE + f"laughs.{kind}", limit=2.0)
    assert ex.error is None and ex.kind == KIND[kind]
    assert BEFORE in ex.text and "lol" not in ex.text and len(ex.text) < 200
    # libxml2 stops at the amplification limit; what it read before is kept, and the note says so
    assert any(n.startswith("cut off: ") and "amplification" in n for n in ex.notes), ex.notes
    if kind == "xlsx":  # openpyxl is never handed a DTD
        assert ex.method == "xlsx-strings"
        assert ex.notes[0] == ("entities: xl/worksheets/sheet1.xml declares a DTD (Excel never does): "
                               "cell strings only, entities left unexpanded")


def test_billion_laughs_hidden_behind_a_long_comment_still_do_not_reach_openpyxl_unguarded() -> None:
    """The DTD check reads the first 64 KB of each part; past that openpyxl's own parser (defusedxml or
    expat's amplification limit) refuses, and the strings are read the safe way."""
    body = xlsx(xlsx_xml(f"{BEFORE} &lol9;", "<!--" + "x" * 100_000 + "-->" + LAUGHS))
    ex = timed(body, SITE + "late.xlsx", limit=2.0)
    assert ex.error is None and ex.method == "xlsx-strings" and ex.text == BEFORE
    assert ex.notes[0].startswith("openpyxl could not read it (")


def test_an_external_entity_is_not_read_and_the_text_after_it_is_kept() -> None:
    body = docx(docx_xml(f"{BEFORE} &xxe; {AFTER}", '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))
    ex = timed(body, SITE + "xxe.docx", limit=1.0)
    assert (ex.error, ex.text) == (None, f"{BEFORE} {AFTER}")


def test_nesting_past_the_parser_depth_limit_is_cut_off_with_a_note() -> None:
    nested = "<w:sdt><w:sdtContent>" * 20_000 + f"<w:p><w:r><w:t>{AFTER}</w:t></w:r></w:p>" + \
        "</w:sdtContent></w:sdt>" * 20_000
    body = docx(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{BEFORE}</w:t></w:r></w:p>'
                f"{nested}</w:body></w:document>")
    ex = timed(body, SITE + "deep.docx", limit=2.0)
    assert ex.error is None and ex.text == BEFORE
    assert ex.notes == ["cut off: word/document.xml read only up to where the parser stopped "
                        "(Excessive depth in document: 256)"]


# ---------------------------------------------------------------- huge images

def huge_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A real, valid 1-bit PNG of 400 megapixels; about 50 KB."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_20000_by_20000_image_is_refused_from_its_header() -> None:
    png = huge_png()
    assert len(png) < 100_000
    assert ocr_image(png).reason == "too_large: png image 20000×20000 is 400 megapixels, over the OCR limit of 40"
    ex = timed(png, SITE + "poster.png", limit=2.0)  # never decoded: 400 MP would need 400 MB at 1 byte/pixel
    assert (ex.kind, ex.error, ex.text, ex.images) == ("image", None, "", 1)


# ---------------------------------------------------------------- files that lie about their type

def test_files_that_lie_about_their_type_are_read_as_what_they_are() -> None:
    html = "<html><head><title>ไม่พบไฟล์</title></head><body><p>ขออภัย ไม่พบเอกสาร</p></body></html>".encode()
    excel_html = ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table>'
                  "<tr><td>งานที่จัดซื้อจัดจ้าง</td><td>วงเงิน</td></tr>"
                  "<tr><td>จัดซื้อวัสดุสำนักงาน</td><td>12500</td></tr></table></body></html>").encode()
    cases = [
        (html, "report.pdf", "application/pdf", "html"),  # an error page saved under the document's name
        (excel_html, "export.xls", "application/vnd.ms-excel", "html"),  # the "Excel" export that is HTML
        (zipped({"o5.pdf": load("manual.pdf")}), "plan.docx", None, "archive"),  # a zip of something else
        (load("procurement.xlsx"), "plan.docx", None, "xlsx"),  # a workbook named as a Word file
        (load("manual.docx"), "slides.ppt", "application/vnd.ms-powerpoint", "docx"),
        (load("image.png"), "scan.pdf", "application/pdf", "image"),
        (load("manual.pdf"), "download.php?id=7", "text/html", "pdf"),
        ("ลำดับ\tงาน\n1\tจัดซื้อวัสดุสำนักงาน\n".encode("cp874"), "export.xls", None, "csv"),  # TSV as .xls
    ]
    for body, url, content_type, kind in cases:
        ex = timed(body, SITE + url, content_type, limit=2.0)
        assert (url, ex.kind) == (url, kind)
        assert ex.error is None, (url, ex.error)
    assert "จัดซื้อวัสดุสำนักงาน" in extract(excel_html, SITE + "export.xls").text
    assert extract(cases[-1][0], SITE + "export.xls").text == "ลำดับ | งาน\n1 | จัดซื้อวัสดุสำนักงาน"


def test_empty_and_truncated_bodies() -> None:
    assert extract(b"", SITE + "summary.csv").error == "empty: zero-length body"
    assert extract(b"", SITE + "summary.csv").kind == "csv"
    cut = load("manual.odt")[:3000]
    ex = extract(cut, SITE + "manual.odt")
    assert ex.kind == "odt" and ex.error is not None and ex.error.startswith("corrupt: ")


# ---------------------------------------------------------------- RTF and CSV oddities

@pytest.mark.parametrize("rtf", [
    rb"{\rtf1\ansi\ansicpg99999 {\fonttbl{\f0 X;}}\f0 Budget plan \u3585? done}",  # a code page nobody has
    rb"{\rtf1\ansi Budget plan \u99999999? \u-99999999? done}",  # code points out of range
    rb"{\rtf1\ansi Budget plan \fs" + b"9" * 5000 + rb" done}",  # a parameter too long for int()
    b"{\\rtf1\\ansi " + b"{" * 50_000 + b"Budget plan done" + b"}" * 50_000 + b"}",  # nesting without recursion
])
def test_odd_rtf_is_read_not_crashed_on(rtf: bytes) -> None:
    ex = timed(rtf, SITE + "plan.rtf", limit=2.0)
    assert ex.error is None and ex.kind == "doc"
    assert "Budget plan" in ex.text and "done" in ex.text


def test_csv_with_a_nul_byte() -> None:
    rows = "ลำดับ,งาน\n" + "".join(f"{i},จัดซื้อวัสดุสำนักงาน\n" for i in range(1, 61))
    early = (rows[:40] + "\x00" + rows[40:]).encode()
    assert extract(early, SITE + "summary.csv").error == "unsupported: unrecognised binary content"
    late = (rows + "61,จ้าง\x00ซ่อม\n62,ท้าย\n").encode()  # past the bytes the sniffer looks at
    ex = timed(late, SITE + "summary.csv", limit=1.0)
    assert (ex.error, ex.kind, ex.notes) == (None, "csv", [])
    assert ex.text.endswith("60 | จัดซื้อวัสดุสำนักงาน\n61 | จ้างซ่อม\n62 | ท้าย")  # the NUL dropped


def test_csv_with_an_endless_quoted_field_is_cut_off() -> None:
    body = ('ลำดับ,งาน\n1,"' + "ก" * 300_000).encode()
    ex = timed(body, SITE + "summary.csv", limit=2.0)
    assert ex.error is None and ex.text == "ลำดับ | งาน"
    assert ex.notes == ["csv: stopped at line 2: field larger than field limit (131072)"]


def test_csv_rows_are_capped() -> None:
    body = ("ลำดับ,งาน\n" + "".join(f"{i},จัดซื้อ\n" for i in range(120_000))).encode()
    ex = timed(body, SITE + "big.csv", limit=5.0)
    assert ex.notes == [f"row cap: only the first {sheets_mod.MAX_ROWS * 5} rows read"]
    assert len(ex.text.splitlines()) == sheets_mod.MAX_ROWS * 5


def test_spreadsheet_rows_are_capped_per_sheet_and_per_workbook(monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    monkeypatch.setattr(sheets_mod, "MAX_ROWS", 5)
    monkeypatch.setattr(sheets_mod, "MAX_TOTAL_ROWS", 8)
    wb = openpyxl.Workbook()
    for n in range(3):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = f"ชีต{n + 1}"
        for i in range(6):
            ws.append([f"แถว {i + 1}"])
    buf = io.BytesIO()
    wb.save(buf)
    ex = extract(buf.getvalue(), SITE + "big.xlsx")
    assert ex.error is None and ex.pages == 3
    assert ex.notes == ["row cap: only the first 5 rows of sheet “ชีต1” read",
                        "row cap: only the first 3 rows of sheet “ชีต2” read",
                        "row cap: 1 more sheets not read after 8 rows in all"]
    assert ex.text.count("แถว") == 8


def test_gzip_fixture_helper_is_not_fooled() -> None:
    """A .gz served as a document is an archive, not text (sniffed from the magic bytes)."""
    assert sniff(gzip.compress(b"hello"), SITE + "report.pdf") == "archive"
