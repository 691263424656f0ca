from datetime import date, timedelta

import pytest

from checks.fiscal import (
    ENGLISH_MONTHS,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    be_to_ce,
    ce_to_be,
    fiscal_year,
    fy_bounds,
    fy_month,
    h1_due,
    month_end,
    month_label,
    quarter_bounds,
    required_months,
)


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2024, 9, 30), 2567),  # last day of FY 2567
        (date(2024, 10, 1), 2568),  # first day of FY 2568
        (date(2024, 12, 31), 2568),
        (date(2025, 1, 1), 2568),
        (date(2025, 9, 30), 2568),
        (date(2025, 10, 1), 2569),
        (date(2024, 2, 29), 2567),  # leap day
    ],
)
def test_fiscal_year(d: date, fy: int) -> None:
    assert fiscal_year(d) == fy


@pytest.mark.parametrize(
    ("fy", "bounds"),
    [
        (2568, (date(2024, 10, 1), date(2025, 9, 30))),
        (2567, (date(2023, 10, 1), date(2024, 9, 30))),
        (2570, (date(2026, 10, 1), date(2027, 9, 30))),
    ],
)
def test_fy_bounds(fy: int, bounds: tuple[date, date]) -> None:
    assert fy_bounds(fy) == bounds
    start, end = bounds
    assert fiscal_year(start) == fiscal_year(end) == fy
    assert fiscal_year(start - timedelta(days=1)) == fy - 1
    assert fiscal_year(end + timedelta(days=1)) == fy + 1


def test_be_ce_conversion() -> None:
    assert be_to_ce(2568) == 2025
    assert ce_to_be(2024) == 2567
    assert be_to_ce(ce_to_be(1999)) == 1999


def _months(first: tuple[int, int], n: int) -> list[tuple[int, int]]:
    y, m = first
    out = []
    for _ in range(n):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@pytest.mark.parametrize(
    ("fy", "as_of", "cap", "expected"),
    [
        # README §3 example: as_of 20 May 2025 -> Oct 2024..Apr 2025; H1-capped -> ..Mar 2025.
        (2568, date(2025, 5, 20), False, _months((2024, 10), 7)),
        (2568, date(2025, 5, 20), True, _months((2024, 10), 6)),
        (2568, date(2024, 10, 1), False, []),  # October of FY F: nothing due yet
        (2568, date(2024, 10, 31), False, []),
        (2568, date(2024, 11, 1), False, [(2024, 10)]),
        (2568, date(2025, 1, 15), False, [(2024, 10), (2024, 11), (2024, 12)]),  # across new year
        (2568, date(2025, 2, 1), True, _months((2024, 10), 4)),  # cap not reached yet
        (2568, date(2025, 4, 1), True, _months((2024, 10), 6)),
        (2568, date(2025, 9, 30), False, _months((2024, 10), 11)),
        (2568, date(2025, 10, 5), False, _months((2024, 10), 12)),  # re-check after year end
        (2568, date(2026, 3, 1), False, _months((2024, 10), 12)),  # never beyond September
        (2568, date(2026, 3, 1), True, _months((2024, 10), 6)),
        (2568, date(2024, 5, 1), False, []),  # as_of before the fiscal year started
    ],
)
def test_required_months(fy: int, as_of: date, cap: bool, expected: list[tuple[int, int]]) -> None:
    assert required_months(fy, as_of, cap_march=cap) == expected


def test_required_months_default_is_uncapped() -> None:
    assert required_months(2568, date(2025, 8, 2)) == _months((2024, 10), 10)


@pytest.mark.parametrize(
    ("fy", "as_of", "due"),
    [
        (2568, date(2025, 3, 31), False),
        (2568, date(2025, 4, 1), True),
        (2568, date(2025, 9, 30), True),
        (2568, date(2024, 4, 1), False),  # 1 April of the previous fiscal year
        (2567, date(2025, 1, 1), True),  # an earlier fiscal year is long due
    ],
)
def test_h1_due(fy: int, as_of: date, due: bool) -> None:
    assert h1_due(fy, as_of) is due


def test_month_tables() -> None:
    assert len(THAI_MONTHS) == len(THAI_MONTHS_ABBR) == len(ENGLISH_MONTHS) == 12
    assert THAI_MONTHS[0] == "มกราคม"
    assert THAI_MONTHS[9] == "ตุลาคม"
    assert THAI_MONTHS_ABBR[2] == "มี.ค."
    assert THAI_MONTHS_ABBR[9] == "ต.ค."
    assert THAI_MONTHS_ABBR[11] == "ธ.ค."


@pytest.mark.parametrize(
    ("year", "month", "lang", "label"),
    [
        (2024, 10, "th", "ตุลาคม 2567"),
        (2025, 3, "th", "มีนาคม 2568"),
        (2024, 10, "en", "October 2024"),
        (2025, 2, "en", "February 2025"),
    ],
)
def test_month_label(year: int, month: int, lang: str, label: str) -> None:
    assert month_label(year, month, lang) == label


def test_month_label_default_is_thai_and_rejects_bad_input() -> None:
    assert month_label(2025, 1) == "มกราคม 2568"
    with pytest.raises(ValueError):
        month_label(2025, 13)
    with pytest.raises(ValueError):
        month_label(2025, 1, "fr")


def test_month_end() -> None:
    assert month_end(2024, 2) == date(2024, 2, 29)
    assert month_end(2025, 2) == date(2025, 2, 28)
    assert month_end(2024, 12) == date(2024, 12, 31)


@pytest.mark.parametrize(
    ("k", "ym"),
    [(1, (2024, 10)), (3, (2024, 12)), (4, (2025, 1)), (6, (2025, 3)), (12, (2025, 9))],
)
def test_fy_month(k: int, ym: tuple[int, int]) -> None:
    assert fy_month(2568, k) == ym


@pytest.mark.parametrize(
    ("q", "bounds"),
    [
        (1, (date(2024, 10, 1), date(2024, 12, 31))),
        (2, (date(2025, 1, 1), date(2025, 3, 31))),
        (3, (date(2025, 4, 1), date(2025, 6, 30))),
        (4, (date(2025, 7, 1), date(2025, 9, 30))),
    ],
)
def test_quarter_bounds(q: int, bounds: tuple[date, date]) -> None:
    assert quarter_bounds(2568, q) == bounds


def test_quarter_and_fy_month_reject_out_of_range() -> None:
    with pytest.raises(ValueError):
        quarter_bounds(2568, 5)
    with pytest.raises(ValueError):
        fy_month(2568, 0)
