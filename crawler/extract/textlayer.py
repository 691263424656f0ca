"""Per-page triage of a PDF's text layer: keep it, repair it, or read the page by OCR instead.

Thai PDFs often carry a broken text layer (the extraction research notes, §1.2 and §1.5):
legacy tone-mark codes in the Private Use Area (U+F700–F71F, mapped back by ``normalize_thai``),
producer-invented PUA codes (U+E000…, unrecoverable), ``ำ`` stored as ``ํ`` + ``า``, letter-spaced
"Thai distributed" lines, and TIS-620 bytes shown through a Latin-1 font ("»ÃÐ¡ÒÈ" for "ประกาศ").
Scanner software adds an invisible OCR layer of its own that is often garbage. Each page is measured
and one of three actions chosen; thresholds are the measured ones of §1.5.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from checks.thai import normalize_thai

MIN_LETTERS = 20  # a page with fewer letters and an image is a scan (§1.5)
MAX_FOREIGN_PUA = 0.01  # share of letters in producer-specific PUA codes: the layer cannot be trusted
MAX_ORPHANS = 5.0  # marks per 1000 Thai characters with no base character: good layers 0–0.6, broken 20+
MIN_REPAIR = 1  # characters a repair must change to call the page "repaired"

_THAI_BASE = re.compile(r"[\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46]")  # consonants, vowels that stand alone
_THAI_MARK = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"  # above and below vowels
                       "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")  # tone marks and signs
_THAI = re.compile(r"[\u0e01-\u0e5b]")
_LETTER = re.compile(r"[A-Za-z\u0e01-\u0e4e]")
# A run of Latin-1 letters as TIS-620 bytes shown through a Latin-1 font: Thai letters are 0xA1–0xFB.
_MOJIBAKE_RUN = re.compile(r"[\u00a1-\u00fb][\u00a1-\u00fb\s\d.,:;()/-]*")


def _lines(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _is_foreign_pua(c: str) -> bool:
    o = ord(c)
    return 0xE000 <= o <= 0xF8FF and not 0xF700 <= o <= 0xF71F


def orphan_marks(text: str) -> float:
    """Thai marks not preceded by a consonant, vowel or mark, per 1000 Thai characters."""
    thai = orphans = 0
    prev = ""
    for c in text:
        if _THAI.match(c):
            thai += 1
            if c in _THAI_MARK and not (prev and (_THAI_BASE.match(prev) or prev in _THAI_MARK)):
                orphans += 1
        prev = c
    return 1000 * orphans / thai if thai else 0.0


def _demojibake(text: str) -> str:
    """TIS-620 bytes read as Latin-1 back to Thai, run by run, where the result is Thai."""
    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        try:
            thai = run.encode("latin-1").decode("cp874")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run
        return thai if len(_THAI.findall(thai)) >= 0.6 * len(run.strip()) else run
    return _MOJIBAKE_RUN.sub(fix, text)


def mojibake_share(text: str) -> float:
    """Share of letters that are Latin-1 supplement letters (Thai through a Latin-1 font)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u00a1" <= c <= "\u00fb") / len(letters)


@dataclass
class PageTriage:
    action: str  # text | repaired | ocr
    text: str  # the (repaired) text-layer text, normalised; kept even when OCR is asked for
    why: str = ""
    letters: int = 0


def triage(raw: str, images: int) -> PageTriage:
    """Decide what to do with one page's raw text layer (``pdftotext -raw`` output)."""
    raw = unicodedata.normalize("NFC", raw)
    source = _demojibake(raw) if mojibake_share(raw) > 0.3 else raw
    text = normalize_thai(source)
    letters = len(_LETTER.findall(text))
    foreign = sum(1 for c in text if _is_foreign_pua(c))
    if foreign > MAX_FOREIGN_PUA * (letters + foreign):
        return PageTriage("ocr", text, f"{foreign} characters in producer-specific codes", letters)
    if letters < MIN_LETTERS:
        if images:
            return PageTriage("ocr", text, "no text layer over an image", letters)
        return PageTriage("text", text, "", letters)
    if mojibake_share(text) > 0.3:
        return PageTriage("ocr", text, "legacy 8-bit text that does not decode to Thai", letters)
    orphans = orphan_marks(text)
    if orphans > MAX_ORPHANS and len(_THAI.findall(text)) >= MIN_LETTERS:
        return PageTriage("ocr", text, f"{orphans:.0f} stray marks per 1000 Thai characters", letters)
    before, after = _lines(raw), _lines(text)  # spacing counts: letter-spaced lines are a repair too
    changed = Levenshtein.distance(before, after) if before != after else 0
    if changed >= MIN_REPAIR:
        return PageTriage("repaired", text, f"{changed} characters repaired", letters)
    return PageTriage("text", text, "", letters)
