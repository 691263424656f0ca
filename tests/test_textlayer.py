"""Per-page triage of PDF text layers: kept, repaired or read by OCR, on PDFs broken the ways real
producers break them (tests/fixtures/make_broken_pdfs.py), with the character error rate against the
known text."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from crawler.extract import extract
from crawler.extract.textlayer import mojibake_share, orphan_marks, triage

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from make_broken_pdfs import BROKEN_TRUTH  # noqa: E402
from make_docs import SCAN_PAGES  # noqa: E402

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


def cer(got: str, truth: str) -> float:
    """Character error rate in %, whitespace ignored (layout is not what we check)."""
    a, b = "".join(got.split()), "".join(truth.split())
    return 100 * Levenshtein.distance(a, b) / len(b)


def load(name: str) -> bytes:
    return (FIXTURES / "docs" / name).read_bytes()


# -- the decision on strings -----------------------------------------------------------------------

GOOD = "ประกาศองค์การบริหารส่วนตำบลตัวอย่าง เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใส"


def test_a_good_layer_is_kept_as_it_is() -> None:
    t = triage(GOOD, images=0)
    assert (t.action, t.text) == ("text", GOOD)
    assert orphan_marks(GOOD) == 0


@pytest.mark.parametrize("broken", [
    " ".join(GOOD),  # letter-spaced
    GOOD.replace("\u0e48", "\uf70a").replace("\u0e4c", "\uf70e"),  # legacy PUA tone marks
    GOOD.replace("\u0e33", "\u0e4d\u0e32"),  # ำ split
    GOOD.encode("cp874").decode("latin-1"),  # TIS-620 through a Latin-1 font
])
def test_broken_layers_that_can_be_mended_are_repaired(broken: str) -> None:
    t = triage(broken, images=0)
    assert t.action == "repaired" and "".join(t.text.split()) == "".join(GOOD.split())


@pytest.mark.parametrize(("broken", "why"), [
    ("".join(chr(0xE000 + ord(c) % 40) if c.strip() else c for c in GOOD), "producer-specific codes"),
    ("ประกาศองa์การบfิหารm่วนตำบลrัวอe่าง เfื่อง เจตจำนงmุจfิตในการบfิหารงาน", "stray marks"),
])
def test_layers_that_cannot_be_trusted_go_to_ocr(broken: str, why: str) -> None:
    t = triage(broken, images=1)
    assert t.action == "ocr" and why in t.why


def test_an_empty_page_over_an_image_is_a_scan_and_a_blank_page_is_not() -> None:
    assert triage("  \n", images=1).action == "ocr"
    assert triage("  \n", images=0).action == "text"
    assert triage("12", images=0).action == "text"


def test_mojibake_share() -> None:
    assert mojibake_share("»ÃÐ¡ÒÈ") == 1.0 and mojibake_share(GOOD) == 0.0


# -- PDFs made by real producers -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["broken-spaced.pdf", "broken-pua.pdf", "broken-nikhahit.pdf",
                                  "broken-tis620.pdf"])
def test_repaired_layers_read_back_exactly(name: str) -> None:
    ex = extract(load(name), f"https://www.example.go.th/files/{name}")
    assert (ex.source, ex.error, ex.ocr_pages) == ("repaired", None, 0)
    assert cer(ex.text, "\n".join(BROKEN_TRUTH)) == 0.0
    assert ex.title == BROKEN_TRUTH[0]


def test_a_clean_layer_is_text() -> None:
    ex = extract(load("manual.pdf"), "https://www.example.go.th/files/manual.pdf")
    assert ex.source == "text" and ex.method == "pdftotext"


@needs_tesseract
def test_a_scanners_garbage_layer_is_replaced_by_ocr() -> None:
    ex = extract(load("broken-searchable-scan.pdf"), "https://www.example.go.th/files/o36.pdf")
    assert (ex.source, ex.method, ex.ocr_pages) == ("ocr", "tesseract", 1)
    assert cer(ex.text, "\n".join(line for _, line in SCAN_PAGES[0])) <= 5.0
    assert ex.ocr_confidence is not None and ex.ocr_confidence > 80


@needs_tesseract
def test_a_scanned_page_inside_a_born_digital_pdf_is_read_too() -> None:
    ex = extract(load("mixed-scan.pdf"), "https://www.example.go.th/files/mixed.pdf")
    assert (ex.source, ex.method, ex.ocr_pages, ex.pages) == ("mixed", "pdftotext+tesseract", 1, 2)
    assert BROKEN_TRUTH[1] in ex.text  # page 1, from its text layer
    assert "เจตจำนงสุจริต" in "".join(ex.text.split())  # page 2, by OCR


def test_without_ocr_a_mixed_pdf_keeps_its_text_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OITCHECK_OCR", "0")
    ex = extract(load("mixed-scan.pdf"), "https://www.example.go.th/files/mixed.pdf")
    assert (ex.source, ex.ocr_pages) == ("text", 0) and BROKEN_TRUTH[1] in ex.text


def test_a_long_pdf_is_cut_off_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OITCHECK_OCR", "0")
    ex = extract(load("mixed-scan.pdf"), "https://www.example.go.th/files/mixed.pdf", max_pages=1)
    assert (ex.pages, ex.notes) == (2, ["page cap: only the first 1 of 2 pages read"])
    assert BROKEN_TRUTH[0] in ex.text


def test_a_pdf_of_thousands_of_pages_is_cut_off_in_bounded_time() -> None:
    import time

    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("Thai", fname="/usr/share/fonts/truetype/tlwg/Norasi.ttf")
    pdf.set_font("Thai", size=12)
    for n in range(3000):
        pdf.add_page()
        pdf.cell(0, 10, f"หน้า {n + 1} {BROKEN_TRUTH[3]}")
    data = bytes(pdf.output())
    start = time.monotonic()
    ex = extract(data, "https://www.example.go.th/files/huge.pdf")  # default cap: 300 pages
    assert time.monotonic() - start < 30
    assert (ex.pages, ex.source, ex.error) == (3000, "text", None)
    assert ex.notes == ["page cap: only the first 300 of 3000 pages read"]
    assert "หน้า 300 " in ex.text and "หน้า 301 " not in ex.text
