"""Small helpers shared by the format readers."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from checks.thai import normalize_thai
from crawler.documents import Extraction

_WS = re.compile(r"\s+")

# Producer-default or file-name titles that say nothing about the document.
_JUNK_TITLE = re.compile(
    r"^(untitled|no title|title|document\d*|microsoft word|book\d*|sheet\d*|slide\d*|powerpoint presentation"
    r"|เอกสาร\d*|ไม่มีชื่อ)$",
    re.IGNORECASE,
)
_FILE_NAME = re.compile(r"\.(docx?|xlsx?|pptx?|pdf|odt|ods|rtf|indd|ai|psd|jpe?g|png|tiff?)$", re.IGNORECASE)
_OFFICE_PREFIX = re.compile(r"^microsoft (word|excel|powerpoint) - ", re.IGNORECASE)


class ExtractError(Exception):
    """A document that cannot be read; ``str(exc)`` is the ``Extraction.error`` value ("code: detail")."""


def failed(kind: str, error: str, **fields) -> Extraction:
    return Extraction(kind=kind, error=error[:300], **fields)


def collapse(text: str) -> str:
    """One line, single spaces, normalised Thai: for link text, titles, headings and contexts."""
    return normalize_thai(_WS.sub(" ", text)).strip()


def clean_text(text: str) -> str:
    """Normalised display text with blank lines dropped (producers pad with empty paragraphs)."""
    lines = (line.strip() for line in normalize_thai(text).splitlines())
    return "\n".join(line for line in lines if line)


def meaningful_title(title: str | None) -> str:
    """Metadata title if it says something: not a producer default or a file name."""
    if not title:
        return ""
    title = _OFFICE_PREFIX.sub("", collapse(title))
    if len(title) < 3 or _JUNK_TITLE.match(title) or _FILE_NAME.search(title):
        return ""
    if not any(c.isalpha() for c in title):
        return ""
    return title[:300]


def first_line(text: str, limit: int = 200) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:limit]
    return ""


def thai_date(value: date | datetime) -> str:
    """Spreadsheet dates are C.E. values; Thai readers and our date rules expect d/m/B.E.

    A year from 2400 on is already B.E.: typed as "2/10/2567" where Excel runs on the Gregorian
    calendar, it is stored as the year 2567 C.E. and must not gain another 543 years.
    """
    year = value.year if value.year >= 2400 else value.year + 543
    text = f"{value.day}/{value.month}/{year}"
    if isinstance(value, datetime) and value.time() != time(0, 0):
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text


def cell_text(value: object) -> str:
    """Render one spreadsheet cell value the way a reader sees it (dates in B.E.)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return thai_date(value)
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}"
    return str(value).strip()
