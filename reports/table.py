"""Plain-text summary for the terminal; columns aligned on display width, not on code points."""

from __future__ import annotations

import re
import unicodedata

from checks.results import AuditResult, ItemVerdict
from reports.i18n import cause_label, check_lang, code_label, fmt_date, fmt_num, t

_ANSI = {"pass": "\x1b[32m", "fail": "\x1b[31m", "review": "\x1b[33m", "bold": "\x1b[1m", "dim": "\x1b[2m"}
_RESET = "\x1b[0m"
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")

TITLE_WIDTH = 34
LAST_WIDTH = 56
GAP = "  "


def char_width(ch: str) -> int:
    """Terminal cells for one code point: Thai vowel/tone marks (Mn) take none, CJK wide takes two."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(c) for c in _ANSI_RE.sub("", text))


def truncate(text: str, width: int) -> str:
    """Cut to ``width`` cells with an ellipsis; combining marks stay with their base character."""
    text = " ".join(text.split())  # newlines/tabs would break the row
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            if w == 0 and out:  # keep a mark on the base it belongs to
                out.append(ch)
                continue
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def truncate_middle(text: str, width: int) -> str:
    """Cut from the middle, keeping both ends."""
    if display_width(text) <= width:
        return text
    head = truncate(text, width // 2)[:-1]
    room = width - display_width(head) - 1
    tail, used = "", 0
    for ch in reversed(text):
        w = char_width(ch)
        if used + w > room:
            break
        tail, used = ch + tail, used + w
    while tail and char_width(tail[0]) == 0:  # never start on a dangling mark
        tail = tail[1:]
    return head + "…" + tail


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _paint(text: str, style: str, color: bool) -> str:
    return f"{_ANSI[style]}{text}{_RESET}" if color and style in _ANSI else text


def _first_pointer(item: ItemVerdict) -> str:
    """What an officer should look at first: for a fail what to publish, else the evidence URL."""
    missing = [*item.missing, *(m for c in item.components for m in c.missing)]
    urls = [e.final_url or e.url for e in [*item.evidence, *(e for c in item.components for e in c.evidence)]]
    if item.status == "fail" and missing:
        return "- " + missing[0]
    if urls:
        return urls[0]
    return "- " + missing[0] if missing else ""


def _item_rows(result: AuditResult, lang: str) -> tuple[list[str], list[list[str]]]:
    head = [t("label.item", lang), t("label.status", lang), t("label.reason", lang), t("label.title", lang),
            t("label.weight", lang), t("label.evidence_or_missing", lang)]
    rows = []
    for item in result.items:
        title = item.title_en if lang == "en" and item.title_en else item.title
        pointer = _first_pointer(item)
        # A missing entry reads from the start; a URL keeps its end (the file name says most).
        cut = truncate if pointer.startswith("- ") else truncate_middle
        status = code_label("status_short", item.status, lang)
        reason = code_label("reason", item.reason, lang)
        rows.append([item.id, status, reason, truncate(title, TITLE_WIDTH), fmt_num(item.weight) + "%",
                     cut(pointer, LAST_WIDTH)])
    return head, rows


def render_table(result: AuditResult, lang: str = "th", color: bool = False) -> str:
    check_lang(lang)
    out: list[str] = []

    def bold(s: str) -> str:
        return _paint(s, "bold", color)

    agency = f"  ({result.agency})" if result.agency else ""
    out.append(bold(f"{t('label.site', lang)}: {result.site}") + agency)
    out.append(f"{t('label.framework', lang)}: {result.framework} — {result.framework_title}")
    fy, as_of = result.fiscal_year, fmt_date(result.as_of, lang)
    out.append(f"{t('label.fiscal_year', lang)}: {fy}    {t('label.as_of', lang)}: {as_of}")
    out.append("")

    head, rows = _item_rows(result, lang)
    widths = [max(display_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    right = {4}  # weights read better right-aligned

    def line(values: list[str], status: str = "") -> str:
        parts = []
        for i, (v, w) in enumerate(zip(values, widths, strict=True)):
            v = truncate(v, w)
            cell = " " * (w - display_width(v)) + v if i in right else pad(v, w)
            # Colour goes on after padding: escape codes have no width but would confuse the maths.
            parts.append(_paint(cell, status, color) if i == 1 and status else cell)
        return GAP.join(parts)

    out.append(bold(line(head)))
    out.append("-" * (sum(widths) + len(GAP) * (len(widths) - 1)))
    for item, row in zip(result.items, rows, strict=True):
        out.append(line(row, item.status))
    out.append("")

    score = result.score
    out.append(bold(t("heading.subindicators", lang)))
    sub_w = max((display_width(truncate(s.name, 40)) for s in score.subindicators), default=0)
    for s in score.subindicators:
        out.append(f"  {s.id:<5} {pad(truncate(s.name, 40), sub_w)}  {fmt_num(s.score):>6}")
    ind = "   ".join(f"{t('label.indicator', lang)} {g.id}: {fmt_num(g.score)}" for g in score.indicators)
    out.append(ind)
    band = f"   ({t('label.band_ref', lang)}: {score.band})" if score.band else ""
    out.append(bold(f"{t('label.oit', lang)}: {fmt_num(score.oit)}") + band)

    review = [i for i in result.items if i.status == "review"]
    if review or not score.complete:
        high = min(100.0, score.oit + sum(i.weight for i in review))
        msg = t("label.incomplete_score", lang, n=len(review), low=fmt_num(score.oit), high=fmt_num(high))
        out.append(_paint("! " + msg, "review", color))

    out.append(_coverage_line(result, lang))
    return "\n".join(out) + "\n"


def _coverage_line(result: AuditResult, lang: str) -> str:
    cov = result.coverage
    parts = [f"{t('label.pages', lang)} {cov.pages}", f"{t('label.documents', lang)} {cov.documents}",
             f"{t('label.offsite_fetched', lang)} {cov.offsite}"]
    if cov.errors:
        top = sorted(cov.errors.items(), key=lambda kv: -kv[1])[:3]
        detail = ", ".join(f"{cause_label(k, lang)} {v}" for k, v in top)
        parts.append(f"{t('label.errors', lang)} {sum(cov.errors.values())} ({detail})")
    if cov.skipped:
        parts.append(f"{t('label.skipped', lang)} {sum(cov.skipped.values())}")
    if cov.unparseable:
        parts.append(f"{t('label.unparseable', lang)} {len(cov.unparseable)}")
    if cov.ocr_pages:
        parts.append(f"{t('label.ocr_pages', lang)} {cov.ocr_pages}")
    if cov.cut_off:
        parts.append(f"{t('heading.cut_off', lang)} {len(cov.cut_off)}")
    if cov.finish_reason:
        parts.append(code_label("finish", cov.finish_reason, lang))
    return f"{t('label.coverage', lang)}: " + " · ".join(parts)
