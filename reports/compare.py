"""The batch comparison: many agency sites side by side (sites × items), with roll-ups per group.

A supervising office audits a batch of sites and wants one view: a heat map per rule pack (one row per
site, one column per item), scores, and per-group statistics. One self-contained HTML file (inline
CSS and a small inline script for sorting; nothing loads from anywhere), or the same table as CSV
(UTF-8 with a BOM, so Excel shows Thai) or XLSX (fills by status, a second sheet with the roll-up).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from checks.results import AuditResult, ItemVerdict
from reports.html_report import ICONS, TEMPLATES, safe_href
from reports.i18n import check_lang, code_label, fmt_date, fmt_num, t

INDICATORS = ("9", "10")  # the two OIT indicators every pack scores
STATUSES = ("pass", "fail", "review")
NA_ICON = "·"  # item not in this site's audit
RANK = {"fail": 0, "review": 1, "pass": 2}  # sort key of a heat-map cell: the worst first
# Pass-rate buckets (lower bound, class) shared by the HTML heat row and the XLSX fills.
RATE_BUCKETS = ((1.0, "q5"), (0.8, "q4"), (0.6, "q3"), (0.4, "q2"), (0.2, "q1"), (0.0, "q0"))
RATE_FILLS = {"q5": "8FD19E", "q4": "C6EFCE", "q3": "E6F2C2", "q2": "FFEB9C", "q1": "FCD5B4", "q0": "FFC7CE"}
STATUS_FILLS = {"pass": "C6EFCE", "fail": "FFC7CE", "review": "FFEB9C"}
NA_FILL = "E0E0E0"

# Same setup as reports.html_report: everything from the sites is escaped.
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "j2", "html.j2"], default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class SiteOutcome:
    name: str  # agency name from the batch CSV (Thai usually)
    url: str
    group: str  # zone / province / "" ; used for per-group roll-ups
    framework: str  # rule pack id, e.g. bma-district-2568
    result: AuditResult | None  # None when the site could not be audited
    error: str | None = None  # why it could not be audited (shown in the row)
    report: str | None = None  # href of the site's own HTML report, relative to the comparison file


@dataclass
class RollUp:
    """Statistics of the sites of one group (``total``: of all groups) within one framework ("" = all)."""

    framework: str
    group: str
    total: bool
    sites: int
    audited: int
    mean: float | None
    min: float | None
    max: float | None
    pass_rate: dict[str, float | None] = field(default_factory=dict)  # item id -> share of audited that pass


# -- shared helpers ---------------------------------------------------------------------------------

def _framework(s: SiteOutcome) -> str:
    return s.framework or (s.result.framework if s.result else "")


def _name(s: SiteOutcome) -> str:
    return s.name or (s.result.agency if s.result else "") or s.url


def _indicator(result: AuditResult, ind: str) -> float | None:
    return next((g.score for g in result.score.indicators if g.id == ind), None)


def _pages(result: AuditResult) -> int:
    return result.coverage.pages + result.coverage.documents


def _frameworks(sites: list[SiteOutcome]) -> dict[str, list[SiteOutcome]]:
    """Sites by framework, frameworks in first-seen order."""
    out: dict[str, list[SiteOutcome]] = {}
    for s in sites:
        out.setdefault(_framework(s), []).append(s)
    return out


def _item_ids(sites: list[SiteOutcome]) -> list[str]:
    """Union of item ids over the audited sites, in first-seen (pack) order."""
    return list(dict.fromkeys(i.id for s in sites if s.result for i in s.result.items))


def _items(result: AuditResult) -> dict[str, ItemVerdict]:
    return {i.id: i for i in result.items}


def _groups(sites: list[SiteOutcome]) -> list[str]:
    """Groups in first-seen order; sites without a group come last."""
    named = list(dict.fromkeys(s.group.strip() for s in sites if s.group.strip()))
    return named + ([""] if any(not s.group.strip() for s in sites) else [])


def _stats(framework: str, group: str, total: bool, sites: list[SiteOutcome], ids: list[str]) -> RollUp:
    results = [s.result for s in sites if s.result]
    scores = [r.score.oit for r in results]
    verdicts = [_items(r) for r in results]
    rates: dict[str, float | None] = {}
    for iid in ids:
        having = [v[iid] for v in verdicts if iid in v]
        rates[iid] = sum(1 for i in having if i.status == "pass") / len(having) if having else None
    return RollUp(framework, group, total, len(sites), len(results),
                  sum(scores) / len(scores) if scores else None,
                  min(scores) if scores else None, max(scores) if scores else None, rates)


def roll_up(sites: list[SiteOutcome]) -> list[RollUp]:
    """Per framework: one row per group (first-seen order, no group last), then the framework's total.

    With more than one framework, the same across all frameworks follows (``framework`` ""), without
    pass rates: item ids of different packs are not the same items.
    """
    rows: list[RollUp] = []
    by_fw = _frameworks(sites)
    for fw, members in by_fw.items():
        ids = _item_ids(members)
        for g in _groups(members):
            rows.append(_stats(fw, g, False, [s for s in members if s.group.strip() == g], ids))
        rows.append(_stats(fw, "", True, members, ids))
    if len(by_fw) > 1:
        for g in _groups(sites):
            rows.append(_stats("", g, False, [s for s in sites if s.group.strip() == g], []))
        rows.append(_stats("", "", True, sites, []))
    return rows


def _group_label(row: RollUp, lang: str) -> str:
    if row.total:
        return t("compare.overall", lang)
    return row.group or t("compare.no_group", lang)


def rate_class(rate: float | None) -> str:
    if rate is None:
        return "na"
    return next(cls for low, cls in RATE_BUCKETS if rate >= low - 1e-9)


def _pct(rate: float | None) -> str:
    return "" if rate is None else fmt_num(rate * 100, 0) + "%"


# -- HTML -------------------------------------------------------------------------------------------

@dataclass
class _Column:
    id: str
    title: str


@dataclass
class _Cell:
    cls: str  # pass | fail | review | na
    sym: str
    tip: str
    rank: int | str  # sort key ("" sorts last)


@dataclass
class _Row:
    site: SiteOutcome
    name: str
    url_href: str
    report_href: str
    oit: float | None
    indicators: list[float | None]
    band: str
    pages: int | None
    cells: list[_Cell] | None  # None when the site could not be audited
    error: str


@dataclass
class _Section:
    framework: str
    title: str
    columns: list[_Column]
    rows: list[_Row]
    has_reports: bool
    rollup: list[RollUp]


@dataclass
class _TopItem:
    id: str
    title: str
    framework: str
    failed: int
    audited: int


def _report_href(href: str | None) -> str:
    """A relative path or a web link; ``javascript:`` and other schemes are not made clickable."""
    if not href:
        return ""
    scheme = urlsplit(href).scheme.lower()
    return href if scheme in ("", "http", "https") else ""


def _item_title(item: ItemVerdict, lang: str) -> str:
    return (item.title_en or item.title) if lang == "en" else item.title


def _cell(item: ItemVerdict | None, col: _Column, lang: str) -> _Cell:
    if item is None:
        return _Cell("na", NA_ICON, f"{col.id} · {t('compare.not_applicable', lang)}", "")
    verdict = f"{code_label('status_short', item.status, lang)}: {code_label('reason', item.reason, lang)}"
    tip = f"{col.id} {col.title} — {verdict}"
    return _Cell(item.status if item.status in STATUSES else "na", ICONS.get(item.status, NA_ICON), tip,
                 RANK.get(item.status, ""))


def _row(s: SiteOutcome, columns: list[_Column], lang: str) -> _Row:
    r = s.result
    if r is None:
        return _Row(s, _name(s), safe_href(s.url), _report_href(s.report), None, [None] * len(INDICATORS), "",
                    None, None, s.error or "")
    items = _items(r)
    return _Row(s, _name(s), safe_href(s.url), _report_href(s.report), r.score.oit,
                [_indicator(r, i) for i in INDICATORS], r.score.band, _pages(r),
                [_cell(items.get(c.id), c, lang) for c in columns], s.error or "")


def _sections(sites: list[SiteOutcome], rollups: list[RollUp], lang: str) -> list[_Section]:
    out = []
    for fw, members in _frameworks(sites).items():
        titles: dict[str, str] = {}
        for s in members:
            for i in s.result.items if s.result else []:
                titles.setdefault(i.id, _item_title(i, lang))
        columns = [_Column(iid, titles[iid]) for iid in _item_ids(members)]
        pack_title = next((s.result.framework_title for s in members if s.result and s.result.framework_title), "")
        out.append(_Section(fw, pack_title, columns, [_row(s, columns, lang) for s in members],
                            any(_report_href(s.report) for s in members),
                            [u for u in rollups if u.framework == fw]))
    return out


def _top_failed(sites: list[SiteOutcome], lang: str, n: int = 5) -> list[_TopItem]:
    counts: dict[tuple[str, str], _TopItem] = {}
    for s in sites:
        if s.result is None:
            continue
        for item in s.result.items:
            key = (_framework(s), item.id)
            top = counts.setdefault(key, _TopItem(item.id, _item_title(item, lang), key[0], 0, 0))
            top.audited += 1
            top.failed += item.status == "fail"
    ranked = sorted((c for c in counts.values() if c.failed), key=lambda c: -c.failed)  # stable: pack order
    return ranked[:n]


def render_compare_html(sites: list[SiteOutcome], lang: str = "th", title: str | None = None,
                        generated: str | None = None) -> str:
    check_lang(lang)
    rollups = roll_up(sites)
    scores = [s.result.score.oit for s in sites if s.result]
    generated = generated or datetime.now(UTC).isoformat(timespec="seconds")
    sections = _sections(sites, rollups, lang)
    return _env.get_template("compare.html.j2").render(
        lang=lang,
        T=partial(t, lang=lang),
        code=partial(code_label, lang=lang),
        num=fmt_num,
        pct=_pct,
        rate_class=rate_class,
        group_label=partial(_group_label, lang=lang),
        icons={**ICONS, "na": NA_ICON},
        statuses=STATUSES,
        indicators=INDICATORS,
        title=title or t("compare.heading", lang),
        generated=fmt_date(generated, lang, with_time=True),
        n_sites=len(sites),
        n_audited=len(scores),
        mean=sum(scores) / len(scores) if scores else None,
        low=min(scores) if scores else None,
        high=max(scores) if scores else None,
        top_failed=_top_failed(sites, lang),
        multi=len(sections) > 1,
        sections=sections,
        rollup_all=[u for u in rollups if u.framework == ""] if len(sections) > 1 else [],
    )


# -- CSV and XLSX -----------------------------------------------------------------------------------

def _header(lang: str, ids: list[str]) -> list[str]:
    return [t("label.agency", lang), t("compare.group", lang), t("label.url", lang), t("label.framework", lang),
            t("compare.audit_status", lang), t("compare.error", lang), t("label.oit", lang),
            *(f"{t('label.indicator', lang)} {i}" for i in INDICATORS), t("label.band", lang), *ids]


FIXED_COLUMNS = 10  # columns before the item ids


def compare_rows(sites: list[SiteOutcome], lang: str = "th") -> tuple[list[str], list[list]]:
    """Header and one row per site: name, group, url, framework, status (audited | error), error, OIT score,
    indicator 9, indicator 10, band, then each item's status (pass | fail | review; None where it does not
    apply). Item ids are the union over all sites in first-seen order. Missing values are None."""
    check_lang(lang)
    ids = _item_ids(sites)
    rows: list[list] = []
    for s in sites:
        r = s.result
        head = [_name(s), s.group, s.url, _framework(s), "audited" if r else "error", s.error or None]
        if r is None:
            rows.append([*head, None, *(None for _ in INDICATORS), None, *(None for _ in ids)])
            continue
        items = _items(r)
        rows.append([*head, r.score.oit, *(_indicator(r, i) for i in INDICATORS), r.score.band or None,
                     *(items[i].status if i in items else None for i in ids)])
    return _header(lang, ids), rows


def write_compare_csv(sites: list[SiteOutcome], path: Path, lang: str = "th") -> None:
    header, rows = compare_rows(sites, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    # utf-8-sig writes the BOM Excel needs to read the file as UTF-8.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def _rollup_table(sites: list[SiteOutcome], lang: str) -> tuple[list[str], list[list]]:
    ids = _item_ids(sites)
    header = [t("label.framework", lang), t("compare.group", lang), t("compare.sites", lang),
              t("compare.audited", lang), t("compare.mean_short", lang), t("compare.min", lang),
              t("compare.max", lang), *ids]
    rows = []
    for u in roll_up(sites):
        mean = float(fmt_num(u.mean)) if u.mean is not None else None
        rows.append([u.framework or t("compare.all_frameworks", lang), _group_label(u, lang), u.sites, u.audited,
                     mean, u.min, u.max, *(u.pass_rate.get(i) for i in ids)])
    return header, rows


def write_compare_xlsx(sites: list[SiteOutcome], path: Path, lang: str = "th") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    def fill(rgb: str) -> PatternFill:
        return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)

    header, rows = compare_rows(sites, lang)
    book = Workbook()
    sheet = book.active
    sheet.title = t("compare.sheet_sites", lang)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        if row[4].value == "error":
            row[4].fill = fill(NA_FILL)
        for cell in row[FIXED_COLUMNS:]:
            cell.fill = fill(STATUS_FILLS.get(cell.value, NA_FILL))
            cell.alignment = Alignment(horizontal="center")
        for cell in row[6:9]:
            cell.number_format = "0.00"
    widths = (34, 18, 36, 20, 10, 30, 10, 10, 10, 18)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    for col in range(FIXED_COLUMNS + 1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 7
    sheet.freeze_panes = "B2"  # header row and the agency name stay in view
    sheet.auto_filter.ref = sheet.dimensions

    groups = book.create_sheet(t("compare.sheet_groups", lang))
    g_header, g_rows = _rollup_table(sites, lang)
    groups.append(g_header)
    for row in g_rows:
        groups.append(row)
    for cell in groups[1]:
        cell.font = Font(bold=True)
    for row in groups.iter_rows(min_row=2):
        if row[1].value == t("compare.overall", lang):
            for cell in row:
                cell.font = Font(bold=True)
        for cell in row[4:7]:
            cell.number_format = "0.00"
        for cell in row[7:]:
            if cell.value is not None:
                cell.number_format = "0%"
                cell.fill = fill(RATE_FILLS[rate_class(cell.value)])
    for col, width in enumerate((22, 24, 8, 8, 9, 9, 9), start=1):
        groups.column_dimensions[get_column_letter(col)].width = width
    for col in range(8, len(g_header) + 1):
        groups.column_dimensions[get_column_letter(col)].width = 7
    groups.freeze_panes = "C2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


__all__ = ["SiteOutcome", "RollUp", "roll_up", "compare_rows", "render_compare_html", "write_compare_csv",
           "write_compare_xlsx"]
