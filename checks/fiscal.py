"""Thai fiscal-year arithmetic (frameworks README §2 and §3).

Fiscal years are numbered in the Buddhist Era (B.E. = C.E. + 543). FY N runs from 1 October of
B.E. N-1 to 30 September of B.E. N, so FY 2568 = 2024-10-01 .. 2025-09-30. All ``date`` objects
here are Gregorian; B.E. appears only as plain ``int`` fiscal-year numbers and in labels.
"""

from __future__ import annotations

import calendar
from datetime import date

BE_OFFSET = 543

THAI_MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]
THAI_MONTHS_ABBR = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]
# Hard-coded rather than calendar.month_name, which follows the process locale.
ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


def be_to_ce(year: int) -> int:
    return year - BE_OFFSET


def ce_to_be(year: int) -> int:
    return year + BE_OFFSET


def fiscal_year(d: date) -> int:
    """B.E. fiscal year containing ``d``: October starts the next fiscal year."""
    return d.year + BE_OFFSET + (1 if d.month >= 10 else 0)


def fy_bounds(fy: int) -> tuple[date, date]:
    """First and last day of B.E. fiscal year ``fy``: FY 2568 -> (2024-10-01, 2025-09-30)."""
    ce = be_to_ce(fy)
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def fy_month(fy: int, k: int) -> tuple[int, int]:
    """(CE year, month) of the k-th month of fiscal year ``fy``; k = 1 is October of FY-1."""
    if not 1 <= k <= 12:
        raise ValueError(f"fiscal month index out of range: {k}")
    month = (k + 8) % 12 + 1
    return (be_to_ce(fy) - 1 if month >= 10 else be_to_ce(fy)), month


def quarter_bounds(fy: int, q: int) -> tuple[date, date]:
    """Quarter ``q`` (1-4) of fiscal year ``fy``: Q1 = Oct-Dec of the previous CE year."""
    if not 1 <= q <= 4:
        raise ValueError(f"quarter out of range: {q}")
    y1, m1 = fy_month(fy, 3 * q - 2)
    y3, m3 = fy_month(fy, 3 * q)
    return date(y1, m1, 1), month_end(y3, m3)


def required_months(fy: int, as_of: date, cap_march: bool = False) -> list[tuple[int, int]]:
    """Months a MONTHLY component must show on ``as_of`` (README §3), as (CE year, month).

    From October of FY-1 through the month before as_of's month, never beyond September of FY
    (or March when ``cap_march``, for H1-capped items). Empty when nothing is due yet.
    """
    first = (be_to_ce(fy) - 1, 10)
    # The month in progress is never required: its entry cannot exist yet.
    last = (as_of.year, as_of.month - 1) if as_of.month > 1 else (as_of.year - 1, 12)
    cap = (be_to_ce(fy), 3 if cap_march else 9)
    last = min(last, cap)
    months: list[tuple[int, int]] = []
    y, m = first
    while (y, m) <= last:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def h1_due(fy: int, as_of: date) -> bool:
    """Half-year (รอบ 6 เดือน) items are due from 1 April of FY ``fy``."""
    return as_of >= date(be_to_ce(fy), 4, 1)


def month_label(year_ce: int, month: int, lang: str = "th") -> str:
    """``month_label(2024, 10)`` -> "ตุลาคม 2567"; with ``lang="en"`` -> "October 2024"."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    if lang == "th":
        return f"{THAI_MONTHS[month - 1]} {ce_to_be(year_ce)}"
    if lang == "en":
        return f"{ENGLISH_MONTHS[month - 1]} {year_ce}"
    raise ValueError(f"unsupported language: {lang!r}")
