"""Benchmark: OCR of scanned Thai pages with known text, against the text layer of a born-digital PDF.

    python bench/ocr.py [--fonts Norasi,Loma,Garuda] [--dpi 150,200,300] [--psm 3,4,6] [--quick]

Renders the two announcements of ``tests/fixtures/make_docs.py`` (16 pt, emblem, signature, stamp,
slight skew and blur) as grayscale JPEG scans at each scan resolution, wraps each page in an
image-only PDF and reads it back with ``crawler.extract.ocr.ocr_pdf`` rendering at each dpi. Prints the
character error rate (Levenshtein on normalised text with whitespace removed; Thai digits kept as they
are), how many Thai digits and how many of the two B.E. date lines came through, tesseract's mean word
confidence and seconds per OCR page; then the psm comparison at 300 dpi; then ``pdftotext -raw`` pages
per second on ``tests/fixtures/docs/manual.pdf`` for comparison. Needs Pillow (dev extra), tesseract
with ``tha`` and fonts-thai-tlwg-ttf.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "fixtures"))

from make_docs import SCAN_PAGES, render_scan  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

import crawler.extract.ocr as ocr  # noqa: E402
from checks.thai import normalize_thai  # noqa: E402

FONTS = "/usr/share/fonts/truetype/tlwg/{}.ttf"
THAI_DIGITS = set("๐๑๒๓๔๕๖๗๘๙")
DATE_LINES = ("ประกาศณวันที่15ตุลาคม2563", "ประกาศณวันที่๑๕ตุลาคม๒๕๖๓")


def squeeze(text: str) -> str:
    return "".join(normalize_thai(text).split())


def scan_pdf(page: list[tuple[str, str]], dpi: int, seed: int, font: str) -> bytes:
    """One page scanned at ``dpi`` in grayscale, stored as JPEG (quality 60) in an image-only PDF."""
    img = render_scan(page, dpi, seed, font_path=FONTS.format(font))
    buf = io.BytesIO()
    img.save(buf, "PDF", resolution=float(dpi), quality=60)
    return buf.getvalue()


def score(truth: str, text: str) -> dict[str, float]:
    """CER %, Thai digits in the truth and how many were read right, date lines in the truth and found."""
    ref, hyp = squeeze(truth), squeeze(text)
    right = 0
    for tag, i1, i2, _, _ in Levenshtein.opcodes(ref, hyp):
        if tag == "equal":
            right += sum(1 for c in ref[i1:i2] if c in THAI_DIGITS)
    return {"cer": Levenshtein.distance(ref, hyp) / len(ref) * 100,
            "digits": sum(1 for c in ref if c in THAI_DIGITS), "right": right,
            "arabic": int(DATE_LINES[0] in ref), "arabic_ok": int(DATE_LINES[0] in ref and DATE_LINES[0] in hyp),
            "thai": int(DATE_LINES[1] in ref), "thai_ok": int(DATE_LINES[1] in ref and DATE_LINES[1] in hyp)}


def run(pdfs: list[tuple[bytes, str]], dpi: int, psm: str) -> dict[str, float | str]:
    ocr.DPI, ocr.PSM = dpi, psm
    rows = []
    for data, truth in pdfs:
        res = ocr.ocr_pdf(data, max_pages=1, time_budget=120)
        assert res.pages_done == 1, res.reason
        rows.append({**score(truth, res.text), "s": res.seconds, "conf": res.confidence or 0.0})
    total = {k: sum(r[k] for r in rows) for k in rows[0]}
    return {"cer": total["cer"] / len(rows), "worst": max(r["cer"] for r in rows), "s": total["s"] / len(rows),
            "conf": total["conf"] / len(rows), "pages": len(rows),
            "digits": total["right"] / total["digits"] * 100 if total["digits"] else 0.0,
            "dates": f"{total['arabic_ok']}/{total['arabic']} + {total['thai_ok']}/{total['thai']}"}


def pdftotext_rate(path: Path, runs: int = 30) -> tuple[float, float]:
    exe = shutil.which("pdftotext")
    if not exe:
        return 0.0, 0.0
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(str(path)))
    start = time.perf_counter()
    for _ in range(runs):
        subprocess.run([exe, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    per_call = (time.perf_counter() - start) / runs
    return pages / per_call, per_call


def text_layer_rate(pages: int = 50, runs: int = 5) -> tuple[float, float]:
    """Pages per second of the whole PDF extraction (pdftotext, per-page triage, repair) on a born-digital
    Thai PDF of ``pages`` pages, and the same for a letter-spaced one that every page repairs."""
    from fpdf import FPDF

    from crawler.extract.pdf import extract_pdf

    rates = []
    for spacing in (0, 3):
        pdf = FPDF()
        pdf.add_font("Thai", fname=FONTS.format("Norasi"))
        pdf.set_font("Thai", size=14)
        pdf.set_char_spacing(spacing)
        for _ in range(pages):
            pdf.add_page()
            for _, line in SCAN_PAGES[0]:
                pdf.cell(0, 9, line, new_x="LMARGIN", new_y="NEXT")
        data = bytes(pdf.output())
        start = time.perf_counter()
        for _ in range(runs):
            ex = extract_pdf(data)
        rates.append(pages * runs / (time.perf_counter() - start))
        assert ex.source == ("repaired" if spacing else "text"), ex.source
    return rates[0], rates[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fonts", default="Norasi,Loma,Garuda")
    ap.add_argument("--dpi", default="150,200,300", help="scan resolutions, also the render dpi tried")
    ap.add_argument("--psm", default="3,4,6", help="page segmentation modes compared at 300 dpi")
    ap.add_argument("--quick", action="store_true", help="Norasi only, scans at 300 dpi only")
    args = ap.parse_args()
    path, langs, reason = ocr.tesseract()
    if reason:
        print(f"skipped: {reason}")
        return 0
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    fonts = ["Norasi"] if args.quick else args.fonts.split(",")
    dpis = [int(d) for d in args.dpi.split(",")]
    scan_dpis = [300] if args.quick else dpis
    print(f"{version}, -l {langs}, OMP_THREAD_LIMIT=1, {os.cpu_count()} CPUs; fonts {', '.join(fonts)}; "
          f"{len(SCAN_PAGES)} pages per font, 16 pt\n")
    scans = {sd: [(scan_pdf(page, sd, seed, font), "\n".join(line for _, line in page))
                  for font in fonts for seed, page in enumerate(SCAN_PAGES, start=1)] for sd in scan_dpis}
    default_psm = ocr.PSM
    print(f"psm {default_psm}: scan dpi x render dpi")
    head = "CER mean  CER worst  Thai digits right  date lines (Arabic + Thai digits)  conf   s/page"

    def line(r: dict[str, float | str]) -> str:
        return (f"{r['cer']:7.2f}%  {r['worst']:8.2f}%  {r['digits']:16.0f}%  {r['dates']:>33}  {r['conf']:4.1f}"
                f"  {r['s']:6.2f}")

    print("scan  render  pages  " + head)
    for sd in scan_dpis:
        for rd in dpis:
            print(f"{sd:>4}  {rd:>6}  {len(scans[sd]):>5}  " + line(run(scans[sd], rd, default_psm)))
    base = max(scan_dpis)
    print(f"\nby font, scans at {base} dpi rendered at 300 dpi, psm {default_psm}")
    print("font    " + head)
    for i, font in enumerate(fonts):
        pages = scans[base][i * len(SCAN_PAGES):(i + 1) * len(SCAN_PAGES)]
        print(f"{font:<8}" + line(run(pages, 300, default_psm)))
    print(f"\npsm comparison, scans at {base} dpi rendered at 300 dpi")
    print("psm  " + head)
    for psm in args.psm.split(","):
        print(f"{psm:>3}  " + line(run(scans[base], 300, psm)))
    dense = [(kind, text) for page in SCAN_PAGES for kind, text in page if kind in "pi"] * 2
    dense_pdf = scan_pdf([("c", SCAN_PAGES[0][0][1]), *dense], base, 1, fonts[0])
    r = run([(dense_pdf, "\n".join([SCAN_PAGES[0][0][1], *(t for _, t in dense)]))], 300, default_psm)
    print(f"\ndense page ({len(dense) + 1} lines, {fonts[0]}, {base} dpi): CER {r['cer']:.2f}%, {r['s']:.2f} s/page")
    rate, per_call = pdftotext_rate(REPO / "tests" / "fixtures" / "docs" / "manual.pdf")
    print(f"\ntext layer for comparison: pdftotext -raw on manual.pdf: {rate:.0f} pages/s "
          f"({per_call * 1000:.1f} ms per call, mostly process start; research: 386–746 pages/s on 51-page PDFs)")
    clean, spaced = text_layer_rate()
    print(f"text-layer extraction with per-page triage (extract_pdf, 50-page Thai PDF): {clean:.0f} pages/s clean, "
          f"{spaced:.0f} pages/s letter-spaced (every page repaired)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
