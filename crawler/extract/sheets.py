"""Spreadsheets: XLSX (openpyxl, read-only), XLS (xlrd), ODS (zipfile + lxml).

Each sheet becomes a line "== sheet name ==" followed by one " | "-joined line per non-empty row.
Dates are stored as C.E. values whatever the display format, so they are rendered as Thai B.E.
"d/m/yyyy" (2024-10-02 → "2/10/2567"), the form the checker's date rules read.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable
from datetime import date, datetime

import openpyxl
import xlrd

from crawler.documents import Extraction

from .common import ExtractError, cell_text, clean_text, collapse, meaningful_title, thai_date
from .safezip import open_zip, parse_xml, read_member

MAX_ROWS = 20_000  # per sheet; monthly summaries have tens of rows, exports a few thousand
MAX_COLS = 200
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
        self.truncated = False

    def sheet(self, name: str, rows: Iterable[Iterable[str]]) -> None:
        name = collapse(name)
        self.names.append(name)
        self.lines.append(f"== {name} ==")
        count = 0
        for seen, row in enumerate(rows):
            if seen > MAX_ROWS * 5:  # formatted-but-empty rows to the bottom of the sheet
                self.truncated = True
                break
            cells = [c for c in row if c]
            if not cells:
                continue
            count += 1
            if count > MAX_ROWS:
                self.truncated = True
                break
            if not self.first_cell:
                self.first_cell = collapse(cells[0])[:200]
            self.lines.append(" | ".join(collapse(c) for c in cells))

    def result(self, kind: str, method: str, title: str = "", images: int = 0) -> Extraction:
        return Extraction(
            kind=kind,
            title=meaningful_title(title) or self.first_cell,
            headings=list(dict.fromkeys(n for n in self.names if n)),
            text=clean_text("\n".join(self.lines)),
            pages=len(self.names),
            method=method + (" (rows capped)" if self.truncated else ""),
            images=images,
        )


# ---------------------------------------------------------------- XLSX

def extract_xlsx(body: bytes) -> Extraction:
    with open_zip(body, "XLSX") as zf:  # bomb check before openpyxl inflates anything
        images = sum(1 for n in zf.namelist() if n.startswith("xl/media/"))
    sheets = _Sheets()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about every unknown extension
            wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for odd producers: fall back to raw XML
        return _xlsx_strings(body, images, reason=f"{type(exc).__name__}")
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue
            # max_col: a sheet whose dimension claims A1:XFD1048576 would otherwise pad every row.
            rows = ((cell_text(v) for v in row) for row in ws.iter_rows(max_col=MAX_COLS, values_only=True))
            sheets.sheet(ws.title, rows)
        title = wb.properties.title if wb.properties else ""
    finally:
        wb.close()
    return sheets.result("xlsx", "openpyxl", title or "", images)


def _joined(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{_SSML}t"))


def _xlsx_strings(body: bytes, images: int, reason: str) -> Extraction:
    """Shared and inline strings straight from the XML when openpyxl cannot load the workbook."""
    with open_zip(body, "XLSX") as zf:
        names = zf.namelist()
        lines: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = parse_xml(read_member(zf, "xl/sharedStrings.xml"))
            if root is not None:
                lines += [_joined(si) for si in root.iter(f"{_SSML}si")]
        for name in sorted(n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)):
            root = parse_xml(read_member(zf, name))
            if root is not None:
                lines += [_joined(inline) for inline in root.iter(f"{_SSML}is")]
    if not lines:
        raise ExtractError(f"corrupt: XLSX workbook unreadable ({reason})")
    text = clean_text("\n".join(lines))
    return Extraction(kind="xlsx", title=text.split("\n", 1)[0][:200], text=text, method="xlsx-strings",
                      images=images)


# ---------------------------------------------------------------- XLS

def extract_xls(body: bytes) -> Extraction:
    try:
        book = xlrd.open_workbook(file_contents=body, on_demand=True, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise ExtractError("encrypted: password-protected XLS workbook") from exc
        raise ExtractError(f"corrupt: XLS unreadable ({exc})") from exc
    except Exception as exc:  # xlrd fails with struct/assertion/index errors on damaged files
        raise ExtractError(f"corrupt: XLS unreadable ({type(exc).__name__})") from exc
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
        if "content.xml" not in names:
            raise ExtractError("corrupt: ODS has no content.xml")
        root = parse_xml(read_member(zf, "content.xml"))
        if root is None:
            raise ExtractError("corrupt: ODS content.xml is not well-formed XML")
        meta = parse_xml(read_member(zf, "meta.xml", 1024 * 1024)) if "meta.xml" in names else None
        images = sum(1 for n in names if n.startswith("Pictures/"))
    sheets = _Sheets()
    for table in root.iter(f"{t}table"):
        sheets.sheet(table.get(f"{t}name") or "", _ods_rows(table))
    title_el = meta.find(f".//{_ODS['dc']}title") if meta is not None else None
    return sheets.result("ods", "ods", title_el.text if title_el is not None else "", images)

