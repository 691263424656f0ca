"""PDF: pypdfium2 decides whether the file opens (as a browser's PDF viewer would) and counts pages;
``pdftotext -raw`` gives the text (keeps Thai marks in stored order and table rows together, see
docs/extraction.md §1); pypdfium2 text is the fallback when poppler is missing or fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from crawler.documents import Extraction

from .common import clean_text, first_line, meaningful_title
from .textlayer import triage

# PDFium is not thread-safe; the crawler may extract from a thread pool.
_PDFIUM_LOCK = threading.Lock()
_LETTER = re.compile(r"[A-Za-z\u0e01-\u0e4e]")


def _pdftotext(body: bytes, max_pages: int, timeout: float) -> str | None:
    """Text from poppler, pages separated by form feeds; None if unavailable or failed."""
    exe = shutil.which("pdftotext")
    if not exe:
        return None
    with tempfile.TemporaryDirectory(prefix="oit-pdf-") as tmp:
        path = os.path.join(tmp, "doc.pdf")
        with open(path, "wb") as fh:
            fh.write(body)
        try:
            proc = subprocess.run(
                [exe, "-raw", "-enc", "UTF-8", "-l", str(max_pages), path, "-"],
                capture_output=True, timeout=timeout, check=False,
            )
        except (subprocess.TimeoutExpired, OSError):
            return None
    if proc.returncode != 0 and not proc.stdout.strip():
        return None
    return proc.stdout.decode("utf-8", "replace")


def _truncated(body: bytes) -> bool:
    """A complete PDF ends with %%EOF (maybe followed by whitespace or NUL padding)."""
    return b"%%EOF" not in body.rstrip(b"\x00 \t\r\n")[-2048:]


def _open(body: bytes) -> tuple[pdfium.PdfDocument | None, str | None]:
    try:
        return pdfium.PdfDocument(body), None
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            return None, "encrypted: password-protected PDF"
        if _truncated(body):
            return None, "corrupt: truncated PDF (no %%EOF, xref unreadable)"
        return None, f"corrupt: PDF cannot be opened ({exc})"
    except Exception as exc:  # pdfium raising anything else still means "will not open"
        return None, f"corrupt: PDF cannot be opened ({type(exc).__name__})"


def _pdfium_text(doc: pdfium.PdfDocument, max_pages: int, deadline: float) -> tuple[list[str], bool]:
    """Per-page text from PDFium; second value False if the time budget ran out."""
    pages = []
    for i in range(min(len(doc), max_pages)):
        if time.monotonic() > deadline:
            return pages, False
        page = doc[i]
        try:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded().replace("\r\n", "\n"))
            textpage.close()
        except pdfium.PdfiumError:
            pages.append("")
        finally:
            page.close()
    return pages, True


def _count_images(doc: pdfium.PdfDocument, max_pages: int, deadline: float) -> list[int]:
    """Image objects per page (a scanned page is one big image)."""
    counts = []
    for i in range(min(len(doc), max_pages)):
        if time.monotonic() > deadline:
            break
        page = doc[i]
        try:
            counts.append(sum(1 for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2)))
        except pdfium.PdfiumError:
            counts.append(0)
        finally:
            page.close()
    return counts


def _read_pages(body: bytes, raw_pages: list[str], images: list[int], ex: Extraction) -> str:
    """Triage each page's text layer; OCR the pages that need it; set the extraction's provenance.
    Returns the document text."""
    from . import ocr  # ocr imports this module's lock

    pages = [triage(raw, images[i] if i < len(images) else 0) for i, raw in enumerate(raw_pages)]
    texts = [p.text for p in pages]
    actions = [p.action for p in pages]
    need = [i for i, p in enumerate(pages) if p.action == "ocr"]
    enabled, cap, seconds = ocr.settings()
    if need and enabled:
        result = ocr.ocr_pdf(body, max_pages=cap, time_budget=seconds, pages=need)
        if result.reason.startswith("ocr unavailable"):
            ocr.warn_once(result.reason)
        elif result.reason:
            ex.notes.append(f"OCR: {result.reason}")
        confs = []
        for i in need:
            text, conf = result.page_texts.get(i, ""), result.page_confidence.get(i)
            if ocr.usable_page(text, conf):
                texts[i], actions[i] = text, "ocr-read"
                confs.append((conf or 0.0, len(text)))
        if confs:
            ex.ocr_pages = len(confs)
            ex.ocr_confidence = round(sum(c * n for c, n in confs) / max(1, sum(n for _, n in confs)), 1)
    with_text = [a for a, t in zip(actions, texts, strict=True) if _LETTER.search(t)]
    if not with_text:
        ex.source = ""
    elif all(a == "ocr-read" for a in with_text):
        ex.source = "ocr"
    elif "ocr-read" in with_text:
        ex.source = "mixed"
    elif "repaired" in with_text:
        ex.source = "repaired"
    else:
        ex.source = "text"
    return clean_text("\n".join(texts))


def extract_pdf(body: bytes, *, max_pages: int = 300, timeout: float = 60.0) -> Extraction:
    start = time.monotonic()
    deadline = start + timeout
    with _PDFIUM_LOCK:
        doc, error = _open(body)
    if doc is None:
        assert error is not None
        if error.startswith("encrypted"):
            return Extraction(kind="pdf", error=error)
        # A browser will not show it, but salvage whatever text poppler's reconstruction finds.
        raw = _pdftotext(body, max_pages, timeout)
        text = clean_text((raw or "").replace("\f", "\n"))
        pages = raw.count("\f") if raw else 0
        return Extraction(kind="pdf", title=first_line(text), text=text, pages=pages,
                          method="pdftotext" if text else "", error=error)

    try:
        with _PDFIUM_LOCK:
            n_pages = len(doc)
            meta = doc.get_metadata_dict(skip_empty=True)
        raw = _pdftotext(body, max_pages, max(1.0, deadline - time.monotonic()))
        method = "pdftotext"
        if raw is not None:
            page_texts = raw.split("\f")
        else:
            with _PDFIUM_LOCK:
                page_texts, finished = _pdfium_text(doc, max_pages, deadline)
            method = "pypdfium2" if finished else "pypdfium2 (partial: timeout)"
        with _PDFIUM_LOCK:
            images = _count_images(doc, max_pages, deadline)
    finally:
        with _PDFIUM_LOCK:
            doc.close()

    read_pages = min(n_pages, max_pages)
    ex = Extraction(kind="pdf", pages=n_pages, images=sum(images))
    if n_pages > max_pages:
        ex.notes.append(f"page cap: only the first {max_pages} of {n_pages} pages read")
    text = _read_pages(body, page_texts[:read_pages], images, ex)
    if not _LETTER.search(text):
        method = "pdf-no-text-layer"  # scanned pages that OCR could not (or may not) read
    elif ex.source == "ocr":
        method = "tesseract"
    elif ex.source == "mixed":
        method += "+tesseract"
    ex.text, ex.method = text, method
    from .ocr import ocr_title  # ocr imports this module's lock

    ex.title = meaningful_title(meta.get("Title")) or (ocr_title(text) if ex.source == "ocr" else first_line(text))
    # PDFium can rebuild a cut-off file's xref, but the download is still incomplete.
    ex.error = "corrupt: truncated PDF (no %%EOF)" if _truncated(body) else None
    return ex
