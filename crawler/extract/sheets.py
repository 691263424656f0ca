"""Spreadsheets: XLSX (openpyxl, read-only), XLS (xlrd, LibreOffice as the fallback), ODS (zipfile +
lxml), CSV.

Each sheet becomes a line "== sheet name ==" followed by one " | "-joined line per non-empty row.
Dates are stored as C.E. values whatever the display format, so they are rendered as Thai B.E.
"d/m/yyyy" (2024-10-02 → "2/10/2567"), the form the checker's date rules read.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections.abc import Iterable
from datetime import date, datetime

import openpyxl
import xlrd

from crawler.documents import Extraction

from . import libreoffice
from .common import ExtractError, cell_text, clean_text, collapse, meaningful_title, thai_date
from .decode import charset_from_content_type, decode_bytes
from .safezip import odf_encrypted, open_zip, parse_xml, read_head, read_member, read_xml

MAX_ROWS = 20_000  # per sheet; monthly summaries have tens of rows, exports a few thousand
MAX_TOTAL_ROWS = 100_000  # per workbook: a thousand sheets of a hundred rows add up too
MAX_COLS = 200
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ODS = {
    "table": "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}",
    "text": "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}",
    "office": "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}",
    "dc": "{http://purl.org/dc/elements/1.1/}",
}
_SSML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class _Sheets:
    """Collects sheets as text; the first non-empty cell is the usual document title."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: list[str] = []
        self.first_cell = ""
        self.total = 0  # rows kept, all sheets
        self.count = 0  # sheets, read or not
        self.notes: list[str] = []

    def sheet(self, name: str, rows: Iterable[Iterable[str]]) -> None:
        self.count += 1
        if self.total >= MAX_TOTAL_ROWS:
            return  # counted, noted once in result()
        name = collapse(name)
        self.names.append(name)
        self.lines.append(f"== {name} ==")
        count = 0
        for seen, row in enumerate(rows):
            if seen >= MAX_ROWS * 5:  # formatted-but-empty rows to the bottom of the sheet
                self.notes.append(f"row cap: sheet “{name}” read to row {seen} ({count} with content)")
                break
            cells = [c for c in row if c]
            if not cells:
                continue
            if count >= MAX_ROWS or self.total >= MAX_TOTAL_ROWS:
                self.notes.append(f"row cap: only the first {count} rows of sheet “{name}” read")
                break
            count += 1
            self.total += 1
            if not self.first_cell:
                self.first_cell = collapse(cells[0])[:200]
            self.lines.append(" | ".join(collapse(c) for c in cells))

    def result(self, kind: str, method: str, title: str = "", images: int = 0) -> Extraction:
        notes = self.notes[:20]
        if self.count > len(self.names):
            notes.append(f"row cap: {self.count - len(self.names)} more sheets not read "
                         f"after {MAX_TOTAL_ROWS} rows in all")
        return Extraction(
            kind=kind,
            title=meaningful_title(title) or self.first_cell,
            headings=list(dict.fromkeys(n for n in self.names if n)),
            text=clean_text("\n".join(self.lines)),
            pages=self.count,
            method=method,
            images=images,
            notes=notes,
        )


# ---------------------------------------------------------------- XLSX

def extract_xlsx(body: bytes) -> Extraction:
    with open_zip(body, "XLSX") as zf:  # bomb check before openpyxl inflates anything
        images = sum(1 for n in zf.namelist() if n.startswith("xl/media/"))
        dtd = _declares_dtd(zf)
    if dtd:
        # Excel never writes a DTD: entity declarations are an expansion attack (billion laughs). The
        # strings are read with entities left unexpanded instead of trusting openpyxl's parser with them.
        return _xlsx_strings(body, images, f"entities: {dtd} declares a DTD (Excel never does): cell strings "
                                           "only, entities left unexpanded")
    try:
        return _openpyxl(body, images)
    except (ExtractError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # openpyxl raises many types for odd producers: fall back to raw XML
        reason = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"[:100]
        return _xlsx_strings(body, images, f"openpyxl could not read it ({reason}): cell strings only, no numbers")


def _declares_dtd(zf) -> str:
    """The first XML part with a DOCTYPE or ENTITY declaration near its start, or ""."""
    for name in zf.namelist():
        if name.endswith((".xml", ".rels", ".vml")):
            head = read_head(zf, name, 65536).replace(b"\x00", b"")  # UTF-16 too
            if _DTD.search(head):
                return name
    return ""


def _openpyxl(body: bytes, images: int) -> Extraction:
    sheets = _Sheets()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about every unknown extension
        wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                if not hasattr(ws, "iter_rows"):
                    continue
                # max_col: a sheet whose dimension claims A1:XFD1048576 would otherwise pad every row.
                rows = ((cell_text(v) for v in row)
                        for row in ws.iter_rows(max_col=MAX_COLS, max_row=MAX_ROWS * 5 + 1, values_only=True))
                sheets.sheet(ws.title, rows)
            title = wb.properties.title if wb.properties else ""
        finally:
            wb.close()
    return sheets.result("xlsx", "openpyxl", title or "", images)


def _joined(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{_SSML}t"))


def _xlsx_strings(body: bytes, images: int, why: str) -> Extraction:
    """Shared and inline strings straight from the XML when openpyxl cannot (or must not) read it."""
    notes = [why]
    with open_zip(body, "XLSX") as zf:
        names = zf.namelist()
        lines: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = read_xml(zf, "xl/sharedStrings.xml", notes)
            if root is not None:
                lines += [_joined(si) for si in root.iter(f"{_SSML}si")]
        for name in sorted(n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)):
            root = read_xml(zf, name, notes)
            if root is not None:
                lines += [_joined(inline) for inline in root.iter(f"{_SSML}is")]
    if not lines:
        raise ExtractError(f"corrupt: XLSX workbook unreadable, no cell strings either ({why[:150]})")
    text = clean_text("\n".join(lines))
    return Extraction(kind="xlsx", title=text.split("\n", 1)[0][:200], text=text, method="xlsx-strings",
                      images=images, notes=notes)


# ---------------------------------------------------------------- XLS

def extract_xls(body: bytes, *, timeout: float = 60.0) -> Extraction:
    """Excel 97–2003 (and 5.0/95) via xlrd; what xlrd cannot read goes through LibreOffice."""
    try:
        book = xlrd.open_workbook(file_contents=body, on_demand=True, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise ExtractError("encrypted: password-protected XLS workbook") from exc
        problem = f"xlrd: {exc}"
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # xlrd fails with struct/assertion/index errors on damaged files
        problem = f"xlrd: {type(exc).__name__}: {exc}"
    else:
        try:
            return _read_xls(book)
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:  # a damaged sheet
            problem = f"xlrd: {type(exc).__name__}: {exc}"
    return libreoffice.via(body, ".xls", "xlsx", extract_xlsx, "xls", [problem[:120]], timeout,
                           libreoffice.INFILTERS["xls"])


def _read_xls(book) -> Extraction:
    sheets = _Sheets()
    try:
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            sheets.sheet(sh.name, _xls_rows(sh, book.datemode))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sheets.result("xls", "xlrd")


def _xls_rows(sh, datemode: int) -> Iterable[list[str]]:
    for r in range(min(sh.nrows, MAX_ROWS + 1)):
        row = []
        for c in range(min(sh.ncols, MAX_COLS)):
            ctype = sh.cell_type(r, c)
            value = sh.cell_value(r, c)
            if ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(thai_date(xlrd.xldate_as_datetime(value, datemode)))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    row.append(cell_text(value))
            elif ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(cell_text(bool(value)))
            elif ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                row.append("")
            else:
                row.append(cell_text(value))
        yield row


# ---------------------------------------------------------------- ODS

def _ods_cell(cell) -> str:
    off = _ODS["office"]
    if cell.get(f"{off}value-type") == "date":
        value = cell.get(f"{off}date-value") or ""
        try:
            return thai_date(date.fromisoformat(value[:10])) if len(value) <= 10 else _ods_datetime(value)
        except ValueError:
            pass
    paras = ["".join(p.itertext()) for p in cell.iter(f"{_ODS['text']}p")]
    return " ".join(p.strip() for p in paras if p.strip())


def _ods_datetime(value: str) -> str:
    return thai_date(datetime.fromisoformat(value))


def _ods_rows(table) -> Iterable[list[str]]:
    t = _ODS["table"]
    for row in table.iter(f"{t}table-row"):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in (f"{t}table-cell", f"{t}covered-table-cell"):
                continue
            value = _ods_cell(cell)
            # Repeats pad sheets to 1024 columns / 1M rows with empty cells: expand only real values.
            repeat = min(int(cell.get(f"{t}number-columns-repeated", "1") or 1), MAX_COLS) if value else 1
            cells += [value] * repeat
            if len(cells) >= MAX_COLS:
                break
        if not any(cells):
            continue
        repeat = min(int(row.get(f"{t}number-rows-repeated", "1") or 1), 100)
        for _ in range(repeat):
            yield cells


def extract_ods(body: bytes) -> Extraction:
    t = _ODS["table"]
    with open_zip(body, "ODS") as zf:
        names = zf.namelist()
        if odf_encrypted(zf):
            raise ExtractError("encrypted: password-protected ODS spreadsheet")
        if "content.xml" not in names:
            raise ExtractError("corrupt: ODS has no content.xml")
        sheets = _Sheets()
        root = read_xml(zf, "content.xml", sheets.notes)
        if root is None:
            raise ExtractError("corrupt: ODS content.xml is not well-formed XML")
        meta = parse_xml(read_member(zf, "meta.xml", 1024 * 1024)) if "meta.xml" in names else None
        images = sum(1 for n in names if n.startswith("Pictures/"))
    for table in root.iter(f"{t}table"):
        sheets.sheet(table.get(f"{t}name") or "", _ods_rows(table))
    title_el = meta.find(f".//{_ODS['dc']}title") if meta is not None else None
    return sheets.result("ods", "ods", title_el.text if title_el is not None else "", images)


# ---------------------------------------------------------------- CSV

def extract_csv(body: bytes, content_type: str | None) -> Extraction:
    """CSV (or TSV) exports: UTF-8, UTF-8 with Excel's BOM, or TIS-620/cp874; rows as "a | b | c" lines."""
    text = _CONTROL.sub("", _decode(body, content_type).lstrip("\ufeff"))  # NULs from broken exporters
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), quotechar='"')
    lines: list[str] = []
    notes: list[str] = []
    first = ""
    try:
        for row in reader:
            cells = [collapse(c) for c in row[:MAX_COLS] if c.strip()]
            if not cells:
                continue
            if len(lines) >= MAX_ROWS * 5:
                notes.append(f"row cap: only the first {len(lines)} rows read")
                break
            first = first or cells[0][:200]
            lines.append(" | ".join(cells))
    except csv.Error as exc:  # a field over csv's size limit: keep what came before
        notes.append(f"csv: stopped at line {reader.line_num}: {exc}")
    return Extraction(kind="csv", title=first, text=clean_text("\n".join(lines)), pages=1, method="csv",
                      notes=notes)


def _decode(body: bytes, content_type: str | None) -> str:
    """Undeclared and not UTF-8 is Windows-874 when it reads as Thai: short exports fool the statistical
    detector (a two-line TIS-620 file comes out as Japanese half-width katakana)."""
    if not body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and not charset_from_content_type(content_type):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            if (text := _as_thai(body)) is not None:
                return text
    return decode_bytes(body, content_type, html=False)[0]


def _as_thai(body: bytes) -> str | None:
    try:
        text = body.decode("cp874")
    except UnicodeDecodeError:  # bytes cp874 leaves undefined: not Thai
        return None
    high = [c for c in text if ord(c) > 127]
    thai = sum(1 for c in high if "\u0e01" <= c <= "\u0e5b")
    return text if high and thai >= 0.9 * len(high) else None


def _delimiter(text: str) -> str:
    """The separator used most in the first lines: "," for most exports, ";" or tab from some locales."""
    head = text[:20_000].splitlines()[:20]
    counts = {d: sum(line.count(d) for line in head) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
