"""Find required phrases in Thai text: exact on the skeleton, fuzzy on the tone-free skeleton.

Measured (docs/extraction.md §4): on the tone-mark-free skeleton a threshold of 88 separates true
matches in OCR and broken text layers (≥ 89.7) from near-miss phrases (≤ 83.3). Fuzzy matching is
used only for noisy text (PDF, OCR) and phrases long enough for a ratio to mean something.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from checks.thai import skeleton, skeleton_with_map, tone_free

FUZZY_THRESHOLD = 88.0
FUZZY_MIN_LEN = 8


@lru_cache(maxsize=4096)
def phrase_key(phrase: str) -> str:
    return skeleton(phrase)


class Text:
    """A document's display text with its skeleton, ready for repeated phrase look-ups."""

    def __init__(self, display: str, noisy: bool = False) -> None:
        self.display = display
        self.skel, self.index = skeleton_with_map(display)
        self.noisy = noisy
        self._tone_free: str | None = None

    def without(self, phrase: str, first: bool = False) -> Text:
        """The same text with a phrase blanked out (a heading that repeats the item's whole title
        names every component; it must not count as their content); ``first``: only where it first
        occurs (the document's own heading)."""
        key = phrase_key(phrase)
        if not key or key not in self.skel:
            return self
        other = Text.__new__(Text)
        other.display, other.index, other.noisy, other._tone_free = self.display, self.index, self.noisy, None
        other.skel = self.skel.replace(key, "\x00" * len(key), 1 if first else -1)
        return other

    def find(self, phrase: str) -> int:
        """Position of the phrase in the skeleton, or -1."""
        key = phrase_key(phrase)
        if not key:
            return -1
        pos = self.skel.find(key)
        if pos >= 0 or not self.noisy or len(key) < FUZZY_MIN_LEN:
            return pos
        if self._tone_free is None:
            self._tone_free = tone_free(self.skel)
        tf_key = tone_free(key)
        r = fuzz.partial_ratio_alignment(tf_key, self._tone_free, score_cutoff=FUZZY_THRESHOLD)
        if r is None:
            return -1
        # Extraction noise sits inside words; a different first or last word is another phrase
        # ("มาตรการจัดการเรื่องร้องเรียน" is not "แนวปฏิบัติการจัดการเรื่องร้องเรียน").
        found = self._tone_free[r.dest_start:r.dest_end]
        if not (found.startswith(tf_key[:2]) and found.endswith(tf_key[-2:])):
            return -1
        # Tone-free offsets differ from the skeleton's only by removed marks: good enough for a snippet.
        return min(r.dest_start, len(self.skel) - 1)

    def snippet(self, pos: int, width: int = 90) -> str:
        if pos < 0 or not self.index:
            return ""
        at = self.index[min(pos, len(self.index) - 1)]
        start = max(0, at - width // 3)
        end = min(len(self.display), at + width)
        text = " ".join(self.display[start:end].split())
        return ("…" if start > 0 else "") + text + ("…" if end < len(self.display) else "")


@dataclass
class Hit:
    phrase: str
    pos: int


def find_any(text: Text, phrases: list[str]) -> list[Hit]:
    hits = []
    for p in phrases:
        pos = text.find(p)
        if pos >= 0:
            hits.append(Hit(p, pos))
    return hits
