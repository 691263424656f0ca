"""Word-processing and slide documents: DOCX, ODT/ODP/ODG, PPTX via zipfile + lxml; legacy .doc/.ppt via
catdoc/antiword/catppt, with LibreOffice as the last resort. Tables come out as "a | b | c" rows;
headers, footers and footnotes are included (python-docx's ``paragraphs`` alone misses all three,
docs/extraction.md §5)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile

from crawler.documents import Extraction

from . import libreoffice
from .common import ExtractError, clean_text, collapse, failed, first_line, meaningful_title
from .safezip import odf_encrypted, open_zip, parse_xml, read_member, read_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"

_HEADING_STYLE = re.compile(r"^(heading\s?[1-4]|title|หัวเรื่อง\s?[1-4]|ชื่อเรื่อง)$", re.IGNORECASE)
_NUM = re.compile(r"(\d+)")


def _numbered(names: list[str]) -> list[str]:
    """header10.xml after header2.xml."""
    return sorted(names, key=lambda n: [int(p) if p.isdigit() else p for p in _NUM.split(n)])


def _core_title(zf: zipfile.ZipFile) -> str:
    if "docProps/core.xml" not in zf.namelist():
        return ""
    root = parse_xml(read_member(zf, "docProps/core.xml", 1024 * 1024))
    el = root.find(f"{DC}title") if root is not None else None
    return meaningful_title(el.text if el is not None else "")


# ---------------------------------------------------------------- DOCX

class _DocxReader:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.headings: list[str] = []

    def block(self, el) -> None:
        """Body-level content: paragraphs, tables, content controls; everything else is skipped."""
        for child in el:
            tag = child.tag
            if tag == f"{W}p":
                self.paragraph(child)
            elif tag == f"{W}tbl":
                self.table(child)
            elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
                self.block(child)
            elif tag == f"{MC}AlternateContent":
                choice = child.find(f"{MC}Choice")
                if choice is not None:  # Fallback repeats the same content for old readers
                    self.block(choice)

    def _runs(self, el, out: list[str], boxes: list) -> None:
        for child in el:
            tag = child.tag
            if tag == f"{W}t":
                out.append(child.text or "")
            elif tag == f"{W}tab":
                out.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                out.append("\n")
            elif tag == f"{W}noBreakHyphen":
                out.append("-")
            elif tag == f"{W}txbxContent":
                boxes.append(child)  # text boxes become their own lines after the paragraph
            elif tag == f"{MC}Fallback" or tag in (f"{W}delText", f"{W}instrText", f"{W}pPr", f"{W}rPr"):
                continue
            else:
                self._runs(child, out, boxes)

    def paragraph_text(self, p) -> tuple[str, list]:
        out: list[str] = []
        boxes: list = []
        self._runs(p, out, boxes)
        return "".join(out), boxes

    def paragraph(self, p) -> None:
        text, boxes = self.paragraph_text(p)
        self.lines.append(text)
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and _HEADING_STYLE.match(style.get(f"{W}val") or ""):
            heading = collapse(text)
            if heading:
                self.headings.append(heading)
        for box in boxes:
            self.block(box)

    def cell_text(self, tc) -> str:
        sub = _DocxReader()
        sub.block(tc)
        self.headings += sub.headings
        return " ".join(collapse(line) for line in sub.lines if line.strip())

    def table(self, tbl) -> None:
        for tr in tbl.iter(f"{W}tr"):
            if _nearest(tr, f"{W}tbl") is not tbl:
                continue  # rows of nested tables are read inside their cell
            cells = [self.cell_text(tc) for tc in tr if tc.tag == f"{W}tc"]
            self.lines.append(" | ".join(c for c in cells if c))


def extract_docx(body: bytes) -> Extraction:
    with open_zip(body, "DOCX") as zf:
        names = zf.namelist()
        if "word/document.xml" not in names:
            raise ExtractError("corrupt: DOCX has no word/document.xml")
        parts = (
            _numbered([n for n in names if re.fullmatch(r"word/header\d*\.xml", n)])
            + ["word/document.xml"]
            + [n for n in ("word/footnotes.xml", "word/endnotes.xml") if n in names]
            + _numbered([n for n in names if re.fullmatch(r"word/footer\d*\.xml", n)])
        )
        reader = _DocxReader()
        notes: list[str] = []
        for name in parts:
            root = read_xml(zf, name, notes)
            if root is None:
                if name == "word/document.xml":
                    raise ExtractError("corrupt: DOCX document.xml is not well-formed XML")
                continue
            body_el = root.find(f"{W}body")
            if body_el is not None:
                reader.block(body_el)
            elif root.tag in (f"{W}footnotes", f"{W}endnotes"):
                for note in root:
                    reader.block(note)
            else:  # header/footer: paragraphs directly under the root
                reader.block(root)
        title = _core_title(zf)
        images = sum(1 for n in names if n.startswith("word/media/"))
        pages = _app_pages(zf)
    text = clean_text("\n".join(reader.lines))
    headings = list(dict.fromkeys(reader.headings))
    return Extraction(kind="docx", title=title or (headings[0] if headings else first_line(text)),
                      headings=headings, text=text, pages=pages, method="docx", images=images, notes=notes)


def _app_pages(zf: zipfile.ZipFile) -> int:
    """Page count Word saved in docProps/app.xml (absent from files written by python-docx)."""
    if "docProps/app.xml" not in zf.namelist():
        return 0
    root = parse_xml(read_member(zf, "docProps/app.xml", 1024 * 1024))
    el = root.find(f"{APP}Pages") if root is not None else None
    return int(el.text) if el is not None and (el.text or "").strip().isdigit() else 0


# ---------------------------------------------------------------- PPTX

def extract_pptx(body: bytes) -> Extraction:
    with open_zip(body, "PPTX") as zf:
        slides = _numbered([n for n in zf.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)])
        lines: list[str] = []
        notes: list[str] = []
        for i, name in enumerate(slides, start=1):
            root = read_xml(zf, name, notes)
            if root is None:
                continue
            lines.append(f"== สไลด์ {i} ==")
            for para in root.iter(f"{A}p"):
                lines.append("".join(t.text or "" for t in para.iter(f"{A}t")))
        title = _core_title(zf)
        images = sum(1 for n in zf.namelist() if n.startswith("ppt/media/"))
    text = clean_text("\n".join(lines))
    first_slide = next((line for line in text.splitlines()[1:] if not line.startswith("== ")), "")
    return Extraction(kind="pptx", title=title or first_slide[:200], text=text, pages=len(slides),
                      method="pptx", images=images, notes=notes[:20])


# ---------------------------------------------------------------- ODT / ODP

class _OdfReader:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.headings: list[str] = []

    def inline(self, el, out: list[str], boxes: list) -> None:
        if el.text:
            out.append(el.text)
        for child in el:
            tag = child.tag
            if tag == f"{TEXT}s":
                out.append(" " * int(child.get(f"{TEXT}c", "1") or 1))
            elif tag == f"{TEXT}tab":
                out.append("\t")
            elif tag == f"{TEXT}line-break":
                out.append("\n")
            elif tag in (f"{TEXT}p", f"{TEXT}h", f"{TABLE}table", f"{TEXT}list"):
                boxes.append(child)  # frames/text boxes anchored in the paragraph: their own lines
            elif tag not in (f"{OFFICE}annotation", f"{TEXT}tracked-changes"):
                self.inline(child, out, boxes)
            if child.tail:
                out.append(child.tail)

    def node(self, el) -> None:
        tag = el.tag
        if tag in (f"{TEXT}p", f"{TEXT}h"):
            out: list[str] = []
            boxes: list = []
            self.inline(el, out, boxes)
            line = "".join(out)
            self.lines.append(line)
            if tag == f"{TEXT}h" and collapse(line):
                self.headings.append(collapse(line))
            for box in boxes:
                self.node(box)
        elif tag == f"{TABLE}table":
            self.table(el)
        elif tag not in (f"{TEXT}tracked-changes", f"{TEXT}sequence-decls", f"{OFFICE}forms"):
            for child in el:
                self.node(child)

    def table(self, tbl) -> None:
        for row in tbl.iter(f"{TABLE}table-row"):
            if _nearest(row, f"{TABLE}table") is not tbl:
                continue  # rows of nested tables are read inside their cell
            cells = []
            for cell in row:
                if cell.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                    continue
                sub = _OdfReader()
                sub.node(cell)
                cells.append(" ".join(collapse(line) for line in sub.lines if line.strip()))
            self.lines.append(" | ".join(c for c in cells if c))


def _nearest(el, tag: str):
    """Closest ancestor with ``tag``."""
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def extract_odf(body: bytes, kind: str) -> Extraction:
    """ODT text documents (and ODP slides and ODG drawings, read the same way)."""
    try:
        return _read_odf(body, kind)
    except ExtractError as exc:
        if kind == "odt":
            raise
        return failed("other", str(exc))  # slides and drawings have no Extraction kind of their own


def _read_odf(body: bytes, kind: str) -> Extraction:
    with open_zip(body, kind.upper()) as zf:
        names = zf.namelist()
        if odf_encrypted(zf):
            raise ExtractError(f"encrypted: password-protected {kind.upper()} document")
        if "content.xml" not in names:
            raise ExtractError(f"corrupt: {kind.upper()} has no content.xml")
        notes: list[str] = []
        content = read_xml(zf, "content.xml", notes)
        if content is None:
            raise ExtractError(f"corrupt: {kind.upper()} content.xml is not well-formed XML")
        reader = _OdfReader()
        styles = read_xml(zf, "styles.xml", notes) if "styles.xml" in names else None
        headers, footers = [], []
        if styles is not None:  # page headers and footers live in the master pages
            for page in styles.iter(f"{STYLE}master-page"):
                headers += [h for h in page if h.tag in (f"{STYLE}header", f"{STYLE}header-first")]
                footers += [f for f in page if f.tag in (f"{STYLE}footer", f"{STYLE}footer-first")]
        for h in headers:
            reader.node(h)
        body_el = content.find(f"{OFFICE}body")
        reader.node(body_el if body_el is not None else content)
        for f in footers:
            reader.node(f)
        meta = parse_xml(read_member(zf, "meta.xml", 1024 * 1024)) if "meta.xml" in names else None
        title_el = meta.find(f".//{DC}title") if meta is not None else None
        title = meaningful_title(title_el.text if title_el is not None else "")
        images = sum(1 for n in names if n.startswith("Pictures/"))
    text = clean_text("\n".join(reader.lines if kind == "odt" else dict.fromkeys(reader.lines)))
    headings = list(dict.fromkeys(reader.headings))
    return Extraction(kind="odt" if kind == "odt" else "other", title=title or (headings[0] if headings else
                      first_line(text)), headings=headings, text=text, method=kind, images=images, notes=notes)


# ---------------------------------------------------------------- .doc / .ppt (OLE2)

def _run_tool(argv: list[str], body: bytes, suffix: str, timeout: float) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory(prefix="oit-doc-") as tmp:
        path = os.path.join(tmp, "doc" + suffix)
        with open(path, "wb") as fh:
            fh.write(body)
        try:
            proc = subprocess.run([*argv, path], capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ExtractError(f"timeout: {argv[0]} took longer than {timeout:.0f}s") from exc
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def _doc_row(line: str) -> str:
    """Table rows as "a | b | c": catdoc separates cells with tabs, antiword draws "|cell   |cell   |"."""
    stripped = line.strip()
    if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
        stripped = stripped[1:-1].replace("|", "\t")
    return " | ".join(c.strip() for c in stripped.split("\t") if c.strip())


def extract_doc(body: bytes, *, timeout: float = 60.0) -> Extraction:
    """Word 97–2003. catdoc keeps headers/footers and Thai intact; antiword needs -w 0 (no wrapping)."""
    tools = [
        ("catdoc", ["-d", "utf-8", "-w"]),
        ("antiword", ["-w", "0", "-m", "UTF-8.txt"]),
    ]
    available = [(shutil.which(name), name, args) for name, args in tools if shutil.which(name)]
    problems = [] if available else ["catdoc and antiword not installed"]
    for exe, name, args in available:
        code, out, err = _run_tool([exe, *args], body, ".doc", timeout)
        if "encrypt" in (out[:200] + err).lower() or "password" in err.lower():
            raise ExtractError("encrypted: password-protected Word document")
        if code == 0 and out.strip():
            text = clean_text("\n".join(_doc_row(line) for line in out.splitlines()))
            return Extraction(kind="doc", title=first_line(text), text=text, method=name)
        problems.append(f"{name}: {err.strip()[:100] or 'no text'}")
    return libreoffice.via(body, ".doc", "docx", extract_docx, "doc", problems, timeout,
                           libreoffice.INFILTERS["doc"])


def extract_ppt(body: bytes, *, timeout: float = 60.0) -> Extraction:
    exe = shutil.which("catppt")
    if exe:
        code, out, err = _run_tool([exe, "-d", "utf-8"], body, ".ppt", timeout)
        if out.strip():
            text = clean_text(out)
            return Extraction(kind="other", title=first_line(text), text=text, method="catppt")
        # catppt exits 0 with no output on files it cannot parse (LibreOffice's own .ppt among them)
        problems = [f"catppt: {err.strip()[:100] or f'no text (exit status {code})'}"]
    else:
        problems = ["catppt not installed"]
    return libreoffice.via(body, ".ppt", "pptx", extract_pptx, "other", problems, timeout,
                           libreoffice.INFILTERS["ppt"])
