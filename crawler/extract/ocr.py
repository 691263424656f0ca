"""OCR for scanned PDFs and images: Debian's tesseract (``tha+eng``) run as a subprocess, one page at a time.

PDF pages are rendered with pypdfium2 at 300 dpi in grayscale and piped to tesseract as PGM; PNG, JPEG
and GIF images are piped as they are (after reading their size from the header, so a decompression bomb
is refused before anything decodes it). Options chosen by measurement (``bench/ocr.py``; the
extraction research notes, §2): ``--psm 4`` (one column of variable-size text) read generated Thai
announcements best (CER 3.3 % against 4.3 % for psm 3 and 4.1 % for psm 6, which also lost every
indented date line); 300 dpi is slightly better than 200 (3.3 % against 3.5 %, 1.4 s against 1.0 s a
page); ``OMP_THREAD_LIMIT=1`` because tesseract's OpenMP threads spin against each other (3–4× slower
on two cores). Thai digits stay unreliable (๖ read as ๒, ๔ as ๕): treat years read by OCR as
low-confidence. Nothing here raises: a missing binary or language, a hostile file or a budget that runs
out comes back as an :class:`OcrResult` with ``reason`` set.

Only whole documents are OCRed: a PDF whose text layer is empty as a whole (``pdf-no-text-layer``)
and image documents; single scanned pages inside a PDF with text are not (yet).

Environment: ``OITCHECK_OCR=0`` turns OCR off, ``OITCHECK_OCR_PAGES`` caps pages per document
(default 20), ``OITCHECK_OCR_SECONDS`` is the time budget per document (default 60).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass

import pypdfium2 as pdfium

from crawler.documents import Extraction

from .common import clean_text, first_line
from .pdf import _PDFIUM_LOCK

log = logging.getLogger(__name__)

DPI = 300
PSM = "4"
LANGS = ("tha", "eng")  # eng is optional: Latin names, URLs and e-mail addresses in Thai memos
MAX_PIXELS = 40_000_000  # an A4 page at 600 dpi is 35 MP; beyond this, refuse (images) or render smaller (PDF)
MIN_SIDE = 12  # narrower or lower than this cannot hold a line of text
DEFAULT_PAGES = 20
DEFAULT_SECONDS = 60.0
# Whether OCR text is worth keeping: tesseract "reads" rules, stamps and photos as a few low-confidence
# marks. Below these the document stays a scan without text (the checker sends it to review).
MIN_LETTERS = 10
MIN_CONFIDENCE = 45.0

_LETTER = re.compile(r"[A-Za-z\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]")
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


@dataclass
class OcrResult:
    """What OCR made of one document."""

    text: str = ""  # normalised (NFC + Thai repairs, never NFKC), pages joined by newlines
    pages_total: int = 0  # pages in the document (1 for an image)
    pages_done: int = 0  # pages OCRed
    skipped_cap: int = 0  # pages beyond max_pages
    skipped_budget: int = 0  # pages not read (or cut off) because the time budget ran out
    pages_failed: int = 0  # pages tesseract could not read
    confidence: float | None = None  # mean tesseract word confidence, 0–100, over the words read
    words: int = 0  # words the confidence is the mean of
    seconds: float = 0.0
    reason: str = ""  # why there is no text or only part of it; "" when every page within the cap was read
    page_texts: dict[int, str] = dataclasses.field(default_factory=dict)  # page index → normalised text
    page_confidence: dict[int, float] = dataclasses.field(default_factory=dict)  # page index → mean word conf.

    @property
    def pages_skipped(self) -> int:
        return self.skipped_cap + self.skipped_budget + self.pages_failed

    @property
    def letters(self) -> int:
        return len(_LETTER.findall(self.text))


# ---------------------------------------------------------------- tesseract


def _env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


@functools.lru_cache(maxsize=8)
def _probe(exe: str) -> tuple[str, str]:
    """(``-l`` value, "") when ``exe`` can read Thai, else ("", reason)."""
    try:
        proc = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=20, env=_env(), check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return "", f"ocr unavailable: {exe} does not run ({type(exc).__name__}: {exc})"
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace").splitlines()
    have = {line.strip() for line in out if line.strip() and " " not in line.strip()}
    if "tha" not in have:
        return "", "ocr unavailable: tesseract has no Thai language data 'tha' (install tesseract-ocr-tha)"
    return "+".join(lang for lang in LANGS if lang in have), ""


def tesseract(exe: str | None = None) -> tuple[str | None, str, str]:
    """(path, ``-l`` value, "") if tesseract with Thai is usable, else (path or None, "", reason)."""
    path = exe or shutil.which("tesseract")
    if not path:
        return None, "", "ocr unavailable: tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-tha)"
    langs, reason = _probe(path)
    return path, langs, reason


@dataclass
class _Page:
    text: str
    confidences: list[float]


def _parse_tsv(tsv: str) -> list[float]:
    """Word confidences (level 5 rows with text) from tesseract's TSV output."""
    confs = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        if conf >= 0:
            confs.append(conf)
    return confs


def _run(exe: str, langs: str, image: bytes, timeout: float) -> _Page | None:
    """OCR one page image (any format leptonica reads from memory); None on timeout or failure."""
    with tempfile.TemporaryDirectory(prefix="oit-ocr-") as tmp:
        base = os.path.join(tmp, "page")
        try:
            subprocess.run(
                [exe, "-", base, "-l", langs, "--psm", PSM, "-c", "tessedit_create_txt=1",
                 "-c", "tessedit_create_tsv=1"],
                input=image, capture_output=True, timeout=max(0.01, timeout), env=_env(), check=False,
            )
        except (OSError, subprocess.SubprocessError):  # TimeoutExpired: run() has killed the child
            return None
        try:
            with open(base + ".txt", encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            with open(base + ".tsv", encoding="utf-8", errors="replace") as fh:
                confs = _parse_tsv(fh.read())
        except OSError:
            return None
    return _Page(text, confs)


def _finish(result: OcrResult, pages: list[_Page], start: float, indices: list[int] | None = None) -> OcrResult:
    result.text = clean_text("\n".join(p.text for p in pages))
    for i, page in zip(indices or range(len(pages)), pages, strict=False):
        result.page_texts[i] = clean_text(page.text)
        if page.confidences:
            result.page_confidence[i] = sum(page.confidences) / len(page.confidences)
    confs = [c for p in pages for c in p.confidences]
    result.words = len(confs)
    result.confidence = round(sum(confs) / len(confs), 1) if confs else None
    result.seconds = round(time.monotonic() - start, 3)
    if not result.reason:
        if result.skipped_budget:
            result.reason = (f"time budget: {result.skipped_budget} of {result.pages_total} pages not read "
                             f"within the budget")
        elif result.pages_failed:
            result.reason = f"ocr failed: tesseract could not read {result.pages_failed} of {result.pages_total} pages"
        elif result.skipped_cap:
            result.reason = f"page cap: only the first {result.pages_done} of {result.pages_total} pages read"
    return result


# ---------------------------------------------------------------- PDF


def _pgm(doc: pdfium.PdfDocument, index: int) -> bytes:
    """Page ``index`` rendered grayscale at DPI (less for giant pages) as a binary PGM."""
    page = doc[index]
    try:
        width, height = page.get_size()
        scale = DPI / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = math.sqrt(MAX_PIXELS / max(1.0, width * height))
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            w, h, stride = bitmap.width, bitmap.height, bitmap.stride
            raw = bytes(bitmap.buffer)
            if bitmap.n_channels != 1:  # not expected with grayscale=True; take one channel
                step = bitmap.n_channels
                raw = b"".join(raw[y * stride: y * stride + w * step: step] for y in range(h))
            elif stride != w:
                raw = b"".join(raw[y * stride: y * stride + w] for y in range(h))
        finally:
            bitmap.close()
    finally:
        page.close()
    return b"P5\n%d %d\n255\n" % (w, h) + raw


def ocr_pdf(data: bytes, *, max_pages: int = DEFAULT_PAGES, time_budget: float = DEFAULT_SECONDS,
            exe: str | None = None, pages: list[int] | None = None) -> OcrResult:
    """OCR the first ``max_pages`` pages of a PDF (of ``pages`` when given: the pages whose text layer
    is missing or broken) within ``time_budget`` seconds. Never raises."""
    start = time.monotonic()
    deadline = start + time_budget
    result = OcrResult()
    path, langs, reason = tesseract(exe)
    if reason or not path:
        result.reason = reason
        return _finish(result, [], start)
    wanted = pages
    read: list[_Page] = []
    done: list[int] = []
    try:
        with _PDFIUM_LOCK:
            doc = pdfium.PdfDocument(data)
    except Exception as exc:  # password, corrupt: pdf.py has already said so
        result.reason = f"ocr skipped: PDF cannot be opened ({type(exc).__name__})"
        return _finish(result, [], start)
    try:
        with _PDFIUM_LOCK:
            count = len(doc)
        candidates = [i for i in (wanted if wanted is not None else range(count)) if 0 <= i < count]
        result.pages_total = len(candidates)
        todo = candidates[:max(0, max_pages)]
        result.skipped_cap = len(candidates) - len(todo)
        for n, i in enumerate(todo):
            if time.monotonic() >= deadline:
                result.skipped_budget = len(todo) - n
                break
            with _PDFIUM_LOCK:
                image = _pgm(doc, i)
            page = _run(path, langs, image, deadline - time.monotonic())
            del image
            if page is None:
                if time.monotonic() >= deadline:
                    result.skipped_budget = len(todo) - n
                    break
                result.pages_failed += 1  # tesseract failed on this page; the others may still read
                continue
            read.append(page)
            done.append(i)
            result.pages_done += 1
    except MemoryError:
        result.reason = "too_large: out of memory while rendering a page for OCR"
    except Exception as exc:  # a PDFium failure on one hostile page must not lose the pages already read
        result.reason = f"ocr stopped: {type(exc).__name__}: {exc}"[:300]
    finally:
        with _PDFIUM_LOCK:
            doc.close()
    return _finish(result, read, start, done)


# ---------------------------------------------------------------- images


def image_size(data: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) of a PNG, JPEG or GIF from its header, without decoding; None if not one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data.startswith((b"GIF87a", b"GIF89a")) and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return "gif", width, height
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 <= len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker == 0xFF:  # fill byte
                i += 1
                continue
            if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # no length field
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2:i + 4])
            if marker in _JPEG_SOF:
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return "jpeg", width, height
            if length < 2:
                return None
            i += 2 + length
    return None


def ocr_image(data: bytes, *, time_budget: float = DEFAULT_SECONDS, exe: str | None = None) -> OcrResult:
    """OCR one PNG, JPEG or GIF image (the first frame of an animation). Never raises."""
    start = time.monotonic()
    result = OcrResult(pages_total=1)
    size = image_size(data)
    if size is None:
        result.reason = "ocr skipped: not a PNG, JPEG or GIF image (or its header is unreadable)"
        return _finish(result, [], start)
    fmt, width, height = size
    if width * height > MAX_PIXELS:
        result.reason = (f"too_large: {fmt} image {width}×{height} is {width * height / 1e6:.0f} megapixels, "
                         f"over the OCR limit of {MAX_PIXELS // 1_000_000}")
        return _finish(result, [], start)
    if min(width, height) < MIN_SIDE:
        result.reason = f"ocr skipped: {fmt} image {width}×{height} is too small to hold text"
        return _finish(result, [], start)
    path, langs, reason = tesseract(exe)
    if reason or not path:
        result.reason = reason
        return _finish(result, [], start)
    try:
        page = _run(path, langs, data, time_budget - (time.monotonic() - start))
    except Exception as exc:  # never raise from OCR
        result.reason = f"ocr stopped: {type(exc).__name__}: {exc}"[:300]
        return _finish(result, [], start)
    if page is None:
        if time.monotonic() - start >= time_budget:
            result.skipped_budget = 1
        else:
            result.pages_failed = 1
        return _finish(result, [], start)
    result.pages_done = 1
    return _finish(result, [page], start)


# ---------------------------------------------------------------- the extraction hook


def settings() -> tuple[bool, int, float]:
    """(enabled, max pages, seconds per document) from OITCHECK_OCR, OITCHECK_OCR_PAGES, OITCHECK_OCR_SECONDS."""
    enabled = os.environ.get("OITCHECK_OCR", "1").strip().lower() not in {"0", "false", "no", "off"}
    try:
        pages = max(0, int(os.environ.get("OITCHECK_OCR_PAGES", DEFAULT_PAGES)))
    except ValueError:
        pages = DEFAULT_PAGES
    try:
        seconds = float(os.environ.get("OITCHECK_OCR_SECONDS", DEFAULT_SECONDS))
        seconds = seconds if math.isfinite(seconds) and seconds >= 0 else DEFAULT_SECONDS
    except ValueError:
        seconds = DEFAULT_SECONDS
    return enabled, pages, seconds


def usable_page(text: str, confidence: float | None) -> bool:
    """One page's OCR text worth keeping: enough letters, read with reasonable confidence."""
    return len(_LETTER.findall(text)) >= MIN_LETTERS and (confidence or 0.0) >= MIN_CONFIDENCE


def usable(result: OcrResult) -> bool:
    """Text worth giving the checker: enough letters, read with reasonable confidence."""
    return result.letters >= MIN_LETTERS and (result.confidence or 0.0) >= MIN_CONFIDENCE


def ocr_title(text: str, limit: int = 200) -> str:
    """The first line that reads as words: an emblem, a logo or a stamp above the heading comes out as
    a short run of stray marks ("6 a 1 ๐ 07 1")."""
    for line in text.splitlines():
        chars = "".join(line.split())
        letters = len(_LETTER.findall(chars))
        if letters >= 6 and letters >= 0.7 * len(chars):
            return line.strip()[:limit]
    return first_line(text, limit)


def with_ocr(ex: Extraction, body: bytes, *, max_pages: int = DEFAULT_PAGES) -> Extraction:
    """Give a scan (a PDF without a text layer, an image) the text OCR reads from it. Never raises.

    The extraction comes back unchanged when OCR is off, unavailable or reads nothing usable, so such a
    document still says "no text" (the checker then asks a person) rather than carrying OCR noise.
    """
    if ex.error or ex.method != "image":  # PDFs: pdf.py OCRs the pages whose text layer fails triage
        return ex
    try:
        enabled, pages, seconds = settings()
        if not enabled:
            return ex
        if ex.kind == "pdf":
            result = ocr_pdf(body, max_pages=min(pages, max_pages), time_budget=seconds)
        else:
            result = ocr_image(body, time_budget=seconds)
        if result.reason.startswith("ocr unavailable"):
            warn_once(result.reason)
        elif result.reason.startswith("too_large"):  # refused from its header: say so in the coverage
            ex = dataclasses.replace(ex, notes=[*ex.notes, f"OCR: {result.reason}"])
        if not usable(result):
            log.debug("OCR gave no usable text (%s letters, confidence %s): %s", result.letters,
                      result.confidence, result.reason)
            return ex
        title = ex.title
        if not title or title == first_line(ex.text):
            title = ocr_title(result.text)
        notes = [*ex.notes, f"OCR: {result.reason}"] if result.reason else ex.notes
        return dataclasses.replace(ex, text=result.text, method="tesseract", title=title, source="ocr",
                                   ocr_pages=result.pages_done, ocr_confidence=result.confidence, notes=notes)
    except Exception as exc:  # OCR is a bonus: never turn a readable scan into an error
        log.warning("OCR failed: %s: %s", type(exc).__name__, exc)
        return ex


@functools.lru_cache(maxsize=4)
def warn_once(reason: str) -> None:
    log.warning("%s; scanned documents are left without text", reason)
