"""Small document helpers shared by ``demo/make_demo.py`` and ``tests/fixtures/make_items.py``.

Documents are described as a list of blocks and written as real files:

* DOCX with python-docx (Thai font from fonts-thai-tlwg, complex-script properties set so that
  LibreOffice and Word shape Thai text with it);
* PDF by converting those DOCX files with LibreOffice (``soffice --headless``) in one batch;
* XLSX with openpyxl.

Everything is deterministic: zip entries get a fixed timestamp, core properties a fixed date,
and the two volatile fields of LibreOffice's PDFs (``/CreationDate`` and ``/ID``) are rewritten in
place with values of the same length (so the cross-reference offsets stay valid).

Block forms (tuples):
    ("title", text)            bold, 18 pt, centred
    ("h", text)                bold, 15 pt
    ("p", text)                body paragraph
    ("center", text)           centred paragraph
    ("right", text)            right-aligned paragraph
    ("bullets", [text, ...])   one paragraph per entry, prefixed with a bullet
    ("table", [[cell, ...], ...])   first row is the header (bold)
    ("sign", [line, ...])      a signature block, centred in the right half of the page
    ("pagebreak",)
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

FONT = "Norasi"
FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- zip normalisation

_W3CDTF = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")


def normalize_zip(data: bytes, stamp: str = "2025-01-01T00:00:00Z") -> bytes:
    """Rewrite an OOXML zip with fixed entry times and fixed dates in docProps/core.xml."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = _W3CDTF.sub(stamp.encode(), blob)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, blob)
    return out.getvalue()


# --------------------------------------------------------------------------- DOCX


def _style_run(run, size: float = 14, bold: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    if bold:
        rpr.get_or_add_bCs()
    sz = rpr.find(qn("w:sz"))
    szcs = OxmlElement("w:szCs")
    szcs.set(qn("w:val"), str(int(size * 2)))
    sz.addnext(szcs)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")
    rpr.append(lang)


def _para(doc, text: str, size: float = 14, bold: bool = False, align=None, indent_cm: float | None = None):
    from docx.shared import Cm, Pt

    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent_cm:
        p.paragraph_format.left_indent = Cm(indent_cm)
    p.paragraph_format.space_after = Pt(3)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        _style_run(run, size, bold)
        if i < len(lines) - 1:
            run.add_break()
    return p


def docx_bytes(blocks: list, title: str = "", date: _dt.date | None = None, landscape: bool = False) -> bytes:
    """Build a DOCX from blocks and return its (normalised) bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    date = date or _dt.date(2025, 1, 1)
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        from docx.enum.section import WD_ORIENT

        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_height, sec.page_width = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.top_margin = sec.bottom_margin = Cm(2.0)
    cp = doc.core_properties
    cp.title = title
    cp.author = ""
    cp.last_modified_by = ""
    cp.revision = 1
    stamp = _dt.datetime(date.year, date.month, date.day, 9, 0, 0)
    cp.created = stamp
    cp.modified = stamp
    for block in blocks:
        kind = block[0]
        if kind == "title":
            _para(doc, block[1], 18, True, WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "h":
            _para(doc, block[1], 15, True)
        elif kind == "p":
            _para(doc, block[1])
        elif kind == "center":
            _para(doc, block[1], align=WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "right":
            _para(doc, block[1], align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif kind == "bullets":
            for item in block[1]:
                _para(doc, "• " + item, indent_cm=0.8)
        elif kind == "table":
            rows = block[1]
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c in range(ncols):
                    cell = table.cell(r, c)
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(str(row[c]) if c < len(row) else "")
                    _style_run(run, 12, bold=(r == 0))
            _para(doc, "")
        elif kind == "sign":
            _para(doc, "")
            indent = 15.0 if landscape else 7.5
            _para(doc, "\n".join(block[1]), align=WD_ALIGN_PARAGRAPH.CENTER, indent_cm=indent)
        elif kind == "pagebreak":
            doc.add_page_break()
        else:  # pragma: no cover - generator bug
            raise ValueError(f"unknown block {kind!r}")
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


# --------------------------------------------------------------------------- PDF via LibreOffice

_CDATE = re.compile(rb"/CreationDate\(D:(\d{14})")
_ID = re.compile(rb"/ID \[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-Fa-f]+)")


def _fix_pdf(data: bytes, key: str, date: _dt.date) -> bytes:
    stamp = date.strftime("%Y%m%d").encode() + b"090000"
    data = _CDATE.sub(lambda m: b"/CreationDate(D:" + stamp, data)
    digest = hashlib.md5(key.encode()).hexdigest().upper().encode()

    def _id(m: re.Match) -> bytes:
        a, b = m.group(1), m.group(2)
        new = m.group(0).replace(a, digest[: len(a)].ljust(len(a), b"0"), 1)
        return new.replace(b, digest[: len(b)].ljust(len(b), b"0"))

    data = _ID.sub(_id, data)
    return _CHECKSUM.sub(lambda m: b"/DocChecksum /" + digest[: len(m.group(1))].ljust(len(m.group(1)), b"0"), data)


class PdfBatch:
    """Collect DOCX→PDF jobs and convert them with one LibreOffice run."""

    def __init__(self) -> None:
        self.jobs: list[tuple[bytes, Path, _dt.date]] = []

    def add(self, blocks: list, out: Path, title: str = "", date: _dt.date | None = None,
            landscape: bool = False) -> None:
        date = date or _dt.date(2025, 1, 1)
        self.jobs.append((docx_bytes(blocks, title, date, landscape), Path(out), date))

    def run(self) -> None:
        if not self.jobs:
            return
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            raise SystemExit("LibreOffice (soffice) is needed to generate the PDFs")
        with tempfile.TemporaryDirectory() as tmp:
            tmpd = Path(tmp)
            names = []
            for i, (blob, _out, _date) in enumerate(self.jobs):
                name = f"doc{i:04d}"
                (tmpd / f"{name}.docx").write_bytes(blob)
                names.append(name)
            env = dict(os.environ, TZ="UTC", HOME=str(tmpd))
            cmd = [soffice, "--headless", f"-env:UserInstallation=file://{tmpd}/profile",
                   "--convert-to", "pdf", "--outdir", str(tmpd / "out")]
            cmd += [str(tmpd / f"{n}.docx") for n in names]
            subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for name, (_blob, out, date) in zip(names, self.jobs, strict=True):
                pdf = (tmpd / "out" / f"{name}.pdf").read_bytes()
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(_fix_pdf(pdf, out.name, date))
        self.jobs.clear()


# --------------------------------------------------------------------------- XLSX


def xlsx_bytes(sheets: dict[str, list[list]], title: str = "", date: _dt.date | None = None,
               widths: dict[str, float] | None = None) -> bytes:
    """Build an XLSX: one worksheet per entry; the first row of each sheet is bold when it is a header.

    A row given as ("title", text) is written as a bold single-cell heading.
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font

    date = date or _dt.date(2025, 1, 1)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    stamp = _dt.datetime(date.year, date.month, date.day, 9, 0, 0)
    wb.properties.creator = ""
    wb.properties.title = title
    wb.properties.created = stamp
    wb.properties.modified = stamp
    bold = Font(name="TH SarabunPSK", size=14, bold=True)
    normal = Font(name="TH SarabunPSK", size=14)
    for sheet_name, rows in sheets.items():
        ws = wb.create_sheet(sheet_name)
        header_done = False
        for r, row in enumerate(rows, start=1):
            if isinstance(row, tuple) and row and row[0] == "title":
                ws.cell(r, 1, row[1]).font = bold
                continue
            for c, val in enumerate(row, start=1):
                cell = ws.cell(r, c, val)
                cell.font = normal if header_done else bold
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            header_done = header_done or bool(row)
        for col, w in (widths or {}).items():
            ws.column_dimensions[col].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


# --------------------------------------------------------------------------- small images


def png_bytes(width: int, height: int, label: str = "", bg=(210, 220, 235), fg=(90, 100, 120)) -> bytes:
    """A small placeholder picture (a head-and-shoulders silhouette when taller than wide)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), bg)
    d = ImageDraw.Draw(img)
    if height >= width:
        cx = width // 2
        r = width // 5
        d.ellipse([cx - r, height // 4 - r, cx + r, height // 4 + r], fill=fg)
        d.rounded_rectangle([width // 6, height // 2, width - width // 6, height + 10], radius=r, fill=fg)
    else:
        d.rectangle([4, 4, width - 5, height - 5], outline=fg, width=2)
        if label:
            d.text((10, 10), label, fill=fg)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------- Thai dates

TH_MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
             "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
TH_MONTHS_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
                  "พ.ย.", "ธ.ค."]
_TH_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai_digits(text: str) -> str:
    return str(text).translate(_TH_DIGITS)


def th_date(d: _dt.date, abbr: bool = False, digits: bool = False) -> str:
    """'20 พฤษภาคม 2568' (or '20 พ.ค. 2568'; Thai digits when asked)."""
    months = TH_MONTHS_ABBR if abbr else TH_MONTHS
    s = f"{d.day} {months[d.month - 1]} {d.year + 543}"
    return thai_digits(s) if digits else s


def th_month(year_ce: int, month: int, abbr: bool = False) -> str:
    months = TH_MONTHS_ABBR if abbr else TH_MONTHS
    return f"{months[month - 1]} {year_ce + 543}"


def write(path: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode(encoding)
    path.write_bytes(data)
