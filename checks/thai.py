"""Thai text normalisation and the whitespace-free "skeleton" used for matching.

Extracted Thai text is noisy in known ways (see ``docs/extraction.md``): the sara am duplicate
``ำา`` from ignored ``/ActualText``, ``ํ`` + ``า`` from OCR, legacy PUA tone-mark codes, spaces
inserted before marks or between every letter, zero-width characters. ``normalize_thai`` repairs
the text for display; ``skeleton`` further maps Thai digits to Arabic and drops all whitespace so
that phrases match whatever the producer did with spaces and line breaks. Never NFKC: it splits ำ.
"""

from __future__ import annotations

import re
import unicodedata

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
TONES = dict.fromkeys(map(ord, "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"), None)  # ่ ้ ๊ ๋ ์

# Microsoft/WTT legacy glyph codes for shifted Thai marks (U+F700–U+F71F) mapped back.
_PUA = {
    0xF700: "\u0e10", 0xF701: "\u0e34", 0xF702: "\u0e35", 0xF703: "\u0e36", 0xF704: "\u0e37",
    0xF705: "\u0e48", 0xF706: "\u0e49", 0xF707: "\u0e4a", 0xF708: "\u0e4b", 0xF709: "\u0e4c",
    0xF70A: "\u0e48", 0xF70B: "\u0e49", 0xF70C: "\u0e4a", 0xF70D: "\u0e4b", 0xF70E: "\u0e4c",
    0xF70F: "\u0e0d", 0xF710: "\u0e31", 0xF711: "\u0e4d", 0xF712: "\u0e47", 0xF713: "\u0e48",
    0xF714: "\u0e49", 0xF715: "\u0e4a", 0xF716: "\u0e4b", 0xF717: "\u0e4c", 0xF718: "\u0e38",
    0xF719: "\u0e39", 0xF71A: "\u0e3a", 0xF71B: "\u0e0e", 0xF71C: "\u0e0f", 0xF71D: "\u0e10",
    0xF71E: "\u0e0d", 0xF71F: "\u0e10",
}

_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # above/below vowels, tone marks, thanthakhat ...
_TONE_CLASS = "\u0e48-\u0e4c"
_ABOVE_BELOW = "\u0e31\u0e34-\u0e3a\u0e47"
_SPACE_BEFORE_MARK = re.compile(rf"[ \t]+(?=[{_MARKS}\u0e33])")
_TONE_BEFORE_VOWEL = re.compile(rf"([{_TONE_CLASS}])([{_ABOVE_BELOW}])")
_NIKHAHIT_AA = re.compile(r"\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_DUP_MARK = re.compile(rf"([{_MARKS}])\1+")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_THAI_CHAR = re.compile(r"[\u0e01-\u0e5b]")


def _unspace_letters(line: str) -> str:
    """Undo "Thai distributed" letter-spacing (ส รุ ป ผ ล) on a line where most tokens are 1–2 Thai chars."""
    tokens = line.split(" ")
    if len(tokens) < 6:
        return line
    short = sum(1 for t in tokens if 0 < len(t) <= 2 and _THAI_CHAR.match(t))
    if short / len(tokens) < 0.6:
        return line
    return "".join(tokens)


def normalize_thai(text: str) -> str:
    """Repair extracted Thai text for display and matching (keeps Thai digits and line breaks)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(ZERO_WIDTH)
    if any(0xF700 <= ord(c) <= 0xF71F for c in text):
        text = "".join(_PUA.get(ord(c), c) for c in text)
    text = _SPACE_BEFORE_MARK.sub("", text)
    text = text.replace("\u0e33\u0e32", "\u0e33").replace("\u0e40\u0e40", "\u0e41")
    text = _NIKHAHIT_AA.sub(lambda m: m.group(1) + "\u0e33", text)
    text = _TONE_BEFORE_VOWEL.sub(r"\2\1", text)
    text = _DUP_MARK.sub(r"\1", text)
    lines = [_unspace_letters(_SPACES.sub(" ", line).strip()) for line in text.splitlines()]
    return "\n".join(lines)


def thai_digits_to_arabic(text: str) -> str:
    return text.translate(THAI_DIGITS)


def skeleton(text: str) -> str:
    """Normalised, Arabic digits, lower case, no whitespace: the form phrases are matched on."""
    text = thai_digits_to_arabic(normalize_thai(text)).lower()
    return "".join(text.split())


def skeleton_with_map(text: str) -> tuple[str, list[int]]:
    """``skeleton`` of already-normalised text plus, for every skeleton char, its index in ``text``.

    Lets a match found on the skeleton be shown as a snippet of the original (display) text.
    """
    chars: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        if c.isspace():
            continue
        chars.append(c.translate(THAI_DIGITS).lower())
        index.append(i)
    return "".join(chars), index


def tone_free(text: str) -> str:
    return text.translate(TONES)


def thai_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u0e01" <= c <= "\u0e5b") / len(letters)
