"""Turn one fetched resource (bytes + URL + Content-Type) into an :class:`Extraction`.

The real type is sniffed from the bytes (``sniff``); each format has its own small reader (``html``,
``pdf``, ``office``, ``sheets``, ``rtf``). ``extract`` never raises: an unreadable document comes back
with ``error`` set to "<code>: <detail>", where code is one of empty, encrypted, corrupt, too_large,
unsupported, timeout.
"""

from __future__ import annotations

from crawler.documents import Extraction

from .common import ExtractError, clean_text, failed
from .decode import decode_bytes
from .feed import extract_feed
from .html import extract_html
from .libreoffice import FOREIGN, extract_foreign
from .ocr import with_ocr
from .office import extract_doc, extract_docx, extract_odf, extract_ppt, extract_pptx
from .pdf import extract_pdf
from .rtf import extract_rtf
from .sheets import extract_csv, extract_ods, extract_xls, extract_xlsx
from .sniff import claimed_kind, sniff

__all__ = ["EXTRACTOR_VERSION", "extract", "sniff"]

# Bump when a change to any reader would change what a stored document extracts to: the extraction
# cache (crawler/cache.py) is keyed by it.
EXTRACTOR_VERSION = "2026.11.22c"  # csv kind, B.E. years typed into Gregorian Excel, LibreOffice fallbacks

# Sniffed types without an Extraction kind of their own.
_KIND = {"ppt": "other", "odp": "other", "rtf": "doc", "encrypted-ooxml": "other", "feed": "text"}


def _text(body: bytes, content_type: str | None) -> Extraction:
    text, _ = decode_bytes(body, content_type, html=False)
    return Extraction(kind="text", text=clean_text(text), pages=1, method="text")


def _dispatch(sniffed: str, body: bytes, url: str, content_type: str | None, max_pages: int,
              timeout: float) -> Extraction:
    match sniffed:
        case "html":
            return extract_html(body, url, content_type)
        case "pdf":
            return extract_pdf(body, max_pages=max_pages, timeout=timeout)
        case "docx":
            return extract_docx(body)
        case "xlsx":
            return extract_xlsx(body)
        case "pptx":
            return extract_pptx(body)
        case "odt" | "odp" | "odg":
            return extract_odf(body, sniffed)
        case "ods":
            return extract_ods(body)
        case "doc":
            return extract_doc(body, timeout=timeout)
        case "xls":
            return extract_xls(body, timeout=timeout)
        case "ppt":
            return extract_ppt(body, timeout=timeout)
        case "rtf":
            return extract_rtf(body)
        case "feed":
            return extract_feed(body, url)
        case "encrypted-ooxml":
            claimed = claimed_kind(url, content_type)
            kind = claimed if claimed in {"docx", "xlsx", "pptx"} else "other"
            return failed(kind, "encrypted: password-protected Office document")
        case "image":
            return with_ocr(Extraction(kind="image", images=1, method="image"), body)
        case "archive":
            # Not an error: the checker treats an archive as evidence a visitor cannot open directly.
            return Extraction(kind="archive", method="archive")
        case "csv":
            return extract_csv(body, content_type)
        case "text":
            return _text(body, content_type)
        case foreign if foreign in FOREIGN:  # formats only LibreOffice reads
            return extract_foreign(foreign, body, max_pages=max_pages, timeout=timeout)
    return failed("other", "unsupported: unrecognised binary content")


def extract(body: bytes, url: str, content_type: str | None = None, *, max_pages: int = 300,
            timeout: float = 60.0) -> Extraction:
    """Extract text, links and structure from a fetched document. Never raises.

    ``max_pages`` caps PDF pages read; ``timeout`` bounds each external tool (pdftotext, catdoc ...).
    """
    if not body:
        return failed(claimed_kind(url, content_type) or "other", "empty: zero-length body")
    sniffed = "other"
    try:
        sniffed = sniff(body, url, content_type)
        ex = _dispatch(sniffed, body, url, content_type, max_pages, timeout)
        if ex.text and not ex.source:
            ex.source = "text"
        return ex
    except ExtractError as exc:
        return failed(_KIND.get(sniffed, sniffed), str(exc))
    except RecursionError:
        return failed(_KIND.get(sniffed, sniffed), "corrupt: structure nested too deeply")
    except MemoryError:
        return failed(_KIND.get(sniffed, sniffed), "too_large: out of memory while reading")
    except Exception as exc:  # a reader bug or a library choking on hostile input must not stop a crawl
        return failed(_KIND.get(sniffed, sniffed), f"corrupt: {type(exc).__name__}: {exc}")
