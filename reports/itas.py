"""The ITAS submission sheet: one row per item in pack order, ready to paste into the NACC's ITAS.

For each item: the URL(s) to submit (the evidence the audit accepted, or for a failing item the best
candidate it found) and a short explanation of where on the page or in the file the evidence sits,
as ITAS asks for; for items without acceptable evidence, what to publish. CSV (UTF-8 with a BOM, so
Excel shows Thai) or XLSX.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from posixpath import splitext
from urllib.parse import unquote, urlsplit

from checks.results import AuditResult, Evidence, ItemVerdict
from reports.i18n import t

MAX_URLS = 3  # ITAS takes a few URLs per item; more only hides the one that matters

_KIND = {
    "th": {".pdf": "ไฟล์ PDF", ".doc": "ไฟล์ Word", ".docx": "ไฟล์ Word", ".xls": "ไฟล์ Excel", ".xlsx": "ไฟล์ Excel",
           ".odt": "ไฟล์เอกสาร", ".ods": "ไฟล์ตาราง", ".jpg": "ภาพ", ".jpeg": "ภาพ", ".png": "ภาพ", ".gif": "ภาพ"},
    "en": {".pdf": "PDF file", ".doc": "Word file", ".docx": "Word file", ".xls": "Excel file", ".xlsx": "Excel file",
           ".odt": "document", ".ods": "spreadsheet", ".jpg": "image", ".jpeg": "image", ".png": "image",
           ".gif": "image"},
}
_WORDS = {
    "th": {"page": "หน้าเว็บ", "states": "ระบุ", "has": "มีหัวข้อ", "ocr": "(ไฟล์สแกน)", "file": "ไฟล์"},
    "en": {"page": "web page", "states": "states", "has": "shows", "ocr": "(scanned)", "file": "file"},
}
COLUMNS = ("item", "title", "subindicator", "status", "urls", "explanation", "to_publish")


def _url(ev: Evidence) -> str:
    """The address to submit: where a redirect (download.php?id=…) lands, when that is on the site."""
    return ev.final_url if ev.final_url and not ev.offsite else ev.url


def _where(ev: Evidence, lang: str) -> str:
    words = _WORDS[lang]
    ext = splitext(unquote(urlsplit(_url(ev)).path))[1].lower()
    kind = words["page"] if ev.method == "html" else _KIND[lang].get(ext, words["file"])
    parts = [f"{kind} «{ev.title}»" if ev.title else kind]
    if ev.source in ("ocr", "mixed"):
        parts[0] += " " + words["ocr"]
    if ev.dates:
        parts.append(f"{words['states']} {' '.join(ev.dates[0].split())}")
    if ev.matched:
        parts.append(f"{words['has']} {', '.join(ev.matched[:4])}")
    return "; ".join(parts)


def _evidence(item: ItemVerdict) -> list[tuple[str, Evidence]]:
    """(component name, evidence) to submit: accepted evidence, else the best candidate of each component."""
    names = {c.id: c.name for c in item.components}
    out = [(names.get(ev.component, ""), ev) for ev in item.evidence]
    if not out:
        out = [(c.name, ev) for c in item.components for ev in c.evidence[:1]]
    seen: set[str] = set()
    unique = []
    for name, ev in out:
        if _url(ev) not in seen:
            seen.add(_url(ev))
            unique.append((name, ev))
    return unique[:MAX_URLS]


def itas_rows(result: AuditResult, lang: str = "th") -> list[dict[str, str]]:
    rows = []
    for item in result.items:
        chosen = _evidence(item)
        several = len({name for name, _ in chosen}) > 1
        explanation = [f"{name}: {_where(ev, lang)}" if several and name else _where(ev, lang) for name, ev in chosen]
        rows.append({
            "item": item.id,
            "title": item.title if lang == "th" else (item.title_en or item.title),
            "subindicator": item.subindicator,
            "status": t(f"status.{item.status}", lang) + ("" if item.status == "pass" else
                                                          f" ({t(f'reason.{item.reason}', lang)})"),
            "urls": "\n".join(_url(ev) for _, ev in chosen),
            "explanation": "\n".join(explanation),
            "to_publish": "" if item.status == "pass" else "\n".join(
                [f"{t('label.alternatives', lang)}: {u}" for u in item.alternatives] + item.missing),
        })
    return rows


def _header(lang: str) -> list[str]:
    return [t(f"itas.{c}", lang) for c in COLUMNS]


def render_itas_csv(result: AuditResult, lang: str = "th") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(_header(lang))
    for row in itas_rows(result, lang):
        writer.writerow([row[c] for c in COLUMNS])
    return "\ufeff" + buf.getvalue()


def write_itas_xlsx(result: AuditResult, path: Path, lang: str = "th") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "ITAS"
    sheet.append(_header(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in itas_rows(result, lang):
        sheet.append([row[c] for c in COLUMNS])
    for column, width in zip("ABCDEFG", (7, 48, 8, 22, 60, 60, 48), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
