"""Recency classes (criteria §3): is a document of the right period for FY F on as_of?

Dates are read in the criteria's order (§2): the document itself (its cover/title area first,
then dates it states as issue or data-as-of dates), then the page and link that present it, then
the file name or URL. The first source that gives a period wins, so a file labelled "2568" that is
the 2567 plan is judged as the 2567 plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checks.dates import Found, find_dates
from checks.fiscal import fiscal_year, fy_bounds

PERIOD_KINDS = ("fy", "fy_range", "range", "month")


@dataclass
class Period:
    status: str  # pass | stale | incomplete | not_yet_due
    detail: str = ""
    shown: list[str] | None = None  # the date texts the decision rests on


@dataclass
class DateSources:
    title: list[Found]  # cover / title area of the document
    body: list[Found]  # the whole document
    label: list[Found]  # link text, row context, presenting page heading
    url: list[Found]  # file name and path
    published: date | None = None  # page metadata date (news posts)


def sources(title_text: str, body: list[Found], labels: list[str], url_words: str,
            published: str | None, title_len: int) -> DateSources:
    pub = None
    if published:
        try:
            pub = date.fromisoformat(published[:10])
        except ValueError:
            pub = None
    label_found: list[Found] = []
    for lab in labels:
        label_found += find_dates(lab)
    return DateSources(
        title=[f for f in body if f.pos < title_len] or find_dates(title_text),
        body=body, label=label_found, url=find_dates(url_words), published=pub,
    )


def _fys(found: list[Found], kinds: tuple[str, ...] = ("fy",)) -> set[int]:
    return {fiscal_year(f.end) for f in found if f.kind in kinds}


def _show(found: list[Found]) -> list[str]:
    return list(dict.fromkeys(f.text.strip() for f in found))[:4]


def _stated(src: DateSources, kinds: tuple[str, ...]) -> tuple[list[Found], str]:
    """The first source that states a period of these kinds."""
    for name, found in (("document", src.title), ("label", src.label), ("url", src.url)):
        hit = [f for f in found if f.kind in kinds]
        if hit:
            return hit, name
    return [], ""


def cfy(src: DateSources, fy: int, as_of: date, news: bool = False) -> Period:
    start, end = fy_bounds(fy)
    last = min(as_of, end)
    issued = [f for f in src.body if f.kind == "day" and f.role == "issued"]
    if any(f.start > as_of for f in issued):
        return Period("stale", "dated after the audit date", _show(issued))
    if not news:
        stated, where = _stated(src, ("fy", "fy_range", "year"))
        years = {fiscal_year(f.end) for f in stated if f.kind != "fy_range"}
        ranges = [f for f in stated if f.kind == "fy_range"]
        if fy in years or any(f.start <= start and f.end >= end for f in ranges):
            return Period("pass", f"states FY {fy} ({where})", _show(stated))
        if stated:
            return Period("stale", f"states FY {', '.join(map(str, sorted(years)))} instead of {fy}",
                          _show(stated))
    if not news:
        plans = [f for f in src.body if f.kind == "fy_range"]
        if plans and not any(f.start <= start and f.end >= end for f in plans):
            return Period("stale", "its stated period does not include the current fiscal year", _show(plans))
    days: list[Found] = []
    if src.published:
        days = [Found("day", src.published, src.published, src.published.isoformat(), 0)]
    days = days or issued or [f for f in src.title if f.kind == "day"] or [f for f in src.label if f.kind == "day"]
    if not days and news:
        days = [f for f in src.body if f.kind == "day"][:3]
    if days:
        inside = [f for f in days if start <= f.start <= last]
        if inside:
            return Period("pass", "dated in the current fiscal year", _show(inside))
        if any(f.start > as_of for f in days):
            return Period("stale", "dated after the audit date", _show(days))
        return Period("stale", "dated before the current fiscal year", _show(days))
    if news is False:
        stated, where = _stated(src, ("fy", "year", "fy_range", "range", "month"))
        if stated:
            years = _fys(stated, ("fy", "year", "month", "range"))
            if fy in years:
                return Period("pass", f"FY {fy} ({where})", _show(stated))
            return Period("stale", f"FY {', '.join(map(str, sorted(years)))} instead of {fy} ({where})",
                          _show(stated))
    return Period("incomplete", "no date or fiscal year could be found")


def pfy(src: DateSources, fy: int) -> Period:
    want = fy - 1
    stated, where = _stated(src, ("fy", "range", "year"))
    if not stated:
        return Period("incomplete", "no fiscal year could be found")
    years = set()
    for f in stated:
        if f.kind == "range":
            s, e = fy_bounds(want)
            if f.start <= s + (e - s) / 12 and f.end >= e - (e - s) / 12:
                years.add(want)
            else:
                years.add(fiscal_year(f.end))
        else:
            years.add(fiscal_year(f.end))
    if want in years:
        return Period("pass", f"covers FY {want} ({where})", _show(stated))
    return Period("stale", f"covers FY {', '.join(map(str, sorted(years)))}, not {want}", _show(stated))


def h1(src: DateSources, fy: int, as_of: date) -> Period:
    start, end = fy_bounds(fy)
    march = date(start.year + 1, 3, 31)
    if as_of < date(start.year + 1, 4, 1):
        return Period("not_yet_due", "six-month data is due from 1 April")
    for found, where in ((src.title + src.body, "document"), (src.label, "label"), (src.url, "url")):
        periods = [f for f in found if f.kind in ("range", "month", "fy") or f.role == "as_of"]
        if not periods:
            continue
        this_year = [f for f in periods if start <= f.end <= end or (f.kind == "fy" and fiscal_year(f.end) == fy)]
        covering = [f for f in this_year if f.end >= march and f.kind != "fy"]
        if covering:
            return Period("pass", f"covers October–March of FY {fy} ({where})", _show(covering))
        if this_year:
            concrete = [f for f in this_year if f.kind != "fy"]
            if concrete:
                return Period("stale", f"FY {fy} data ends before March", _show(concrete))
            continue  # FY F stated; look for the coverage in the next source
        return Period("stale", "covers an earlier fiscal year", _show(periods))
    return Period("incomplete", "the period covered could not be found")


def my(src: DateSources, fy: int) -> Period:
    stated, where = _stated(src, ("fy_range",))
    if not stated:
        single, _ = _stated(src, ("fy",))
        if single:
            return Period("incomplete", "a one-year plan, not a multi-year plan", _show(single))
        return Period("incomplete", "the plan's period could not be found")
    s, e = fy_bounds(fy)
    if any(f.start <= s and f.end >= e for f in stated):
        return Period("pass", f"multi-year period includes FY {fy} ({where})", _show(stated))
    return Period("stale", "the plan's period does not include the current fiscal year", _show(stated))


def ev(src: DateSources, fy: int) -> Period:
    """Evergreen: only a stated validity period that excludes FY F makes it stale."""
    validity = [f for f in src.title if f.kind in ("fy", "fy_range")]
    if not validity:
        return Period("pass", "in force (no validity period stated)")
    s, e = fy_bounds(fy)
    if any(f.start <= s and f.end >= e for f in validity):
        return Period("pass", f"validity includes FY {fy}", _show(validity))
    return Period("stale", "stated validity period does not include the current fiscal year", _show(validity))


def judge(recency: str, src: DateSources, fy: int, as_of: date, news: bool = False) -> Period:
    if recency == "CFY":
        return cfy(src, fy, as_of, news)
    if recency == "PFY":
        return pfy(src, fy)
    if recency == "H1":
        return h1(src, fy, as_of)
    if recency == "MY":
        return my(src, fy)
    return ev(src, fy)
