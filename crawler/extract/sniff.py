"""Tell the real type of a download from its bytes.

Thai agency sites serve PDFs from ``download.php`` as ``text/html``, HTML error pages saved as
``.pdf``, and .docx files named ``.doc``; the extension and the Content-Type header are only used
to break ties (an unreadable zip or OLE file whose contents cannot be listed).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from urllib.parse import urlsplit

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_MARKERS = re.compile(
    rb"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|title[\s>]|meta\s|frameset[\s>]|script[\s>]"
    rb"|iframe[\s>]|table[\s>]|div[\s>]|p[\s>]|a\s|br\s*/?>|font[\s>]|h[1-6][\s>]|style[\s>]|link\s)",
    re.IGNORECASE,
)
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_STRONG_HTML = re.compile(rb"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|title[\s>]|frameset[\s>])", re.I)
_ODF_KINDS = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.text-template": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.spreadsheet-template": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
    b"application/vnd.oasis.opendocument.presentation-template": "odp",
    b"application/vnd.oasis.opendocument.graphics": "odg",
}
# Office 2003 XML, written by Word/Excel and by many web applications' "export to Excel" as .xls/.doc.
_WORD_XML = re.compile(
    rb'progid\s*=\s*"Word\.Document"|<(w:)?wordDocument\s[^>]*schemas\.microsoft\.com/office/word/2003/wordml', re.I)
_EXCEL_XML = re.compile(
    rb'progid\s*=\s*"Excel\.Sheet"|<(ss:)?Workbook\s[^>]*urn:schemas-microsoft-com:office:spreadsheet', re.I)
_ZIP_MARKERS = (
    (b"word/document.xml", "docx"), (b"xl/workbook.xml", "xlsx"), (b"ppt/presentation.xml", "pptx"),
    (b"mimetypeapplication/vnd.oasis.opendocument.text", "odt"),
    (b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet", "ods"),
)
# What the URL or header claims, used only when the bytes cannot decide.
_EXT_KINDS = {
    "pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "pptx": "pptx", "doc": "doc", "xls": "xls", "ppt": "ppt",
    "odt": "odt", "ods": "ods", "csv": "csv", "tsv": "csv", "zip": "archive", "rar": "archive", "7z": "archive",
}
_CT_KINDS = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/zip": "archive",
    "text/csv": "csv",
    "application/csv": "csv",
    "text/comma-separated-values": "csv",
    "text/tab-separated-values": "csv",
}


def claimed_kind(url: str, content_type: str | None) -> str | None:
    """The type the server or the file name claims (not trusted, only a tie-breaker)."""
    path = urlsplit(url).path.lower() if url else ""
    ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    if ext in _EXT_KINDS:
        return _EXT_KINDS[ext]
    ct = (content_type or "").split(";", 1)[0].strip().lower()
    return _CT_KINDS.get(ct)


def _zip_kind(body: bytes, claimed: str | None) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            names = zf.namelist()
            if "mimetype" in names:
                with zf.open("mimetype") as fh:  # bounded read: the member itself could be a bomb
                    mime = fh.read(100).strip()
                if mime in _ODF_KINDS:
                    return _ODF_KINDS[mime]
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        # Truncated or damaged: member names are still readable in the local headers, so the error
        # can say "DOCX" even for a cut-off download.php response.
        for marker, kind in _ZIP_MARKERS:
            if marker in body[:1_000_000]:
                return kind
        return claimed if claimed in {"docx", "xlsx", "pptx", "odt", "ods"} else "archive"
    name_set = set(names)
    if "word/document.xml" in name_set or any(n.startswith("word/") for n in names[:50]):
        return "docx"
    if "xl/workbook.xml" in name_set or any(n.startswith("xl/") for n in names[:50]):
        return "xlsx"
    if "ppt/presentation.xml" in name_set or any(n.startswith("ppt/") for n in names[:50]):
        return "pptx"
    if "content.xml" in name_set and claimed in {"odt", "ods"}:
        return claimed
    return "archive"


def _ole_kind(body: bytes, claimed: str | None) -> str:
    """OLE2 compound file: look for the stream names (UTF-16LE in the directory sectors)."""
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in body

    if has("EncryptedPackage"):
        return "encrypted-ooxml"  # a password-protected .docx/.xlsx is stored as OLE2
    if has("WordDocument"):
        return "doc"
    if has("Workbook") or has("Book\x00"):
        return "xls"
    if has("PowerPoint Document"):
        return "ppt"
    if has("Quill"):
        return "pub"  # Publisher (LibreOffice reads it)
    if has("VisioDocument"):
        return "vsd"
    return claimed if claimed in {"doc", "xls", "ppt"} else "other"


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (Excel's "Unicode Text"): judge the characters
        chars = head[: len(head) // 2 * 2].decode("utf-16", "replace")
        return bool(chars) and sum(1 for c in chars if c < "\t" or "\r" < c < " ") / len(chars) > 0.05
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def sniff(body: bytes, url: str = "", content_type: str | None = None) -> str:
    """Kind of document: html pdf docx xlsx pptx doc xls ppt odt ods odp odg rtf csv feed image archive
    text other, plus "encrypted-ooxml" for password-protected Office 2007+ files and the formats only
    LibreOffice reads: wpd (WordPerfect), pub (Publisher), vsd (Visio), doc-xml and xls-xml (Office 2003
    XML)."""
    claimed = claimed_kind(url, content_type)
    head = body[:1024]
    pdf_at = head.find(b"%PDF-")
    if pdf_at == 0 or (pdf_at > 0 and not _STRONG_HTML.search(head[:pdf_at])):
        return "pdf"  # the header may follow a few junk bytes (whitespace echoed by a PHP download script)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(body, claimed)
    if head.startswith(OLE2):
        return _ole_kind(body, claimed)
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")):
        return "image"
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":  # BMP: reserved fields are zero
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")):
        return "archive"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"\xffWPC"):
        return "wpd"
    text_head = head.replace(b"\x00", b"")  # UTF-16 pages: sniff the ASCII markup anyway
    if not _STRONG_HTML.search(text_head):  # before the HTML test: SpreadsheetML has <Table> elements
        if _EXCEL_XML.search(text_head):
            return "xls-xml"
        if _WORD_XML.search(text_head):
            return "doc-xml"
    if _FEED.search(text_head) and not re.search(rb"<html[\s>]", text_head, re.IGNORECASE):
        return "feed"
    if _STRONG_HTML.search(text_head):
        return "html"
    if _looks_binary(head):
        return "other"
    stripped = text_head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<") and _HTML_MARKERS.search(text_head):
        return "html"
    ct = (content_type or "").lower()
    if "html" in ct and _HTML_MARKERS.search(text_head):
        return "html"
    # Text named .xls is a web application's tab- or comma-separated export: read it as the table it is.
    return "csv" if claimed in {"csv", "xls", "xlsx", "ods"} else "text"
