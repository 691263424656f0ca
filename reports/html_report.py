"""One self-contained HTML report (inline CSS, no external resources), Thai by default."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from checks.results import AuditResult, ComponentVerdict, Evidence, GroupScore, ItemVerdict
from reports.i18n import (
    cause_label,
    check_lang,
    code_label,
    fiscal_year_text,
    fmt_date,
    fmt_num,
    has,
    recency_label,
    t,
)

TEMPLATES = Path(__file__).with_name("templates")
ICONS = {"pass": "✓", "fail": "✗", "review": "?", "not_yet_due": "–"}

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "j2", "html.j2"], default=True),
    undefined=StrictUndefined,  # a typo in the template should fail tests, not render blank
    trim_blocks=True,
    lstrip_blocks=True,
)


def _phrase_pattern(phrase: str) -> str:
    # Thai text is spaced inconsistently between sites and extractors: let any gap match any spacing.
    return r"\s*".join(re.escape(w) for w in phrase.split())


def highlight(snippet: str, phrases: Iterable[str]) -> Markup:
    """Escape plain-text ``snippet`` and wrap each matched phrase in ``<mark>``.

    Matching runs on the raw text and each piece is escaped on its own, so a phrase can never match
    inside an entity (``&amp;``) and snippet text can never become markup.
    """
    pats = sorted({p.strip() for p in phrases if p and p.strip()}, key=len, reverse=True)
    if not pats:
        return escape(snippet)
    rx = re.compile("|".join(_phrase_pattern(p) for p in pats), re.IGNORECASE)
    out: list[Markup] = []
    pos = 0
    for m in rx.finditer(snippet):
        if m.end() == m.start():
            continue
        out.append(escape(snippet[pos : m.start()]))
        out.append(Markup("<mark>%s</mark>") % m.group(0))
        pos = m.end()
    out.append(escape(snippet[pos:]))
    return Markup("").join(out)


def safe_href(url: str) -> str:
    """Only web links become clickable; ``javascript:``, ``#`` and the like are shown as text."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def share_pct(weight: float) -> str:
    """Group weights are shares of the parent (0–1); tolerate a producer that already gives percent."""
    pct = fmt_num(weight * 100 if weight <= 1 else weight)
    return pct.rstrip("0").rstrip(".") + "%"  # 75% and 21.25%, not 75.00%


@dataclass
class ComponentView:
    comp: ComponentVerdict
    evidence: list[Evidence]


@dataclass
class ItemView:
    item: ItemVerdict
    title: str
    title_alt: str
    subindicator: str
    missing: list[str]
    components: list[ComponentView]
    other_evidence: list[Evidence] = field(default_factory=list)


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _item_view(item: ItemVerdict, subs: dict[str, GroupScore], lang: str) -> ItemView:
    th, en = item.title, item.title_en or item.title
    title, alt = (en, th) if lang == "en" else (th, en)
    sub = subs.get(item.subindicator)
    sub_text = f"{item.subindicator} {sub.name}" if sub and sub.name else item.subindicator
    # The action box: the item's own list, else what its components lack.
    missing = _dedupe(item.missing) or _dedupe(m for c in item.components for m in c.missing)
    comps = [ComponentView(c, c.evidence) for c in item.components]
    shown = {(e.url, e.component) for c in item.components for e in c.evidence}
    shown_urls = {e.url for c in item.components for e in c.evidence}
    other = [e for e in item.evidence if (e.url, e.component) not in shown and e.url not in shown_urls]
    return ItemView(item, title, alt if alt != title else "", sub_text, missing, comps, other)


def _bands(result: AuditResult) -> list[tuple[str, str, bool]]:
    """(label, range text, is current) from the highest band down.

    Bands that share a minimum (2566+ "ผ่านดี" and "ผ่าน" both start at 85, told apart by per-tool
    conditions) share the same score range.
    """
    rows = []
    upper, prev_low = 100.0, None
    for label, low in sorted(result.score.bands, key=lambda b: -b[1]):
        if prev_low is not None and low < prev_low:
            upper = prev_low - 0.01
        rows.append((label, f"{fmt_num(low)}–{fmt_num(upper)}", label == result.score.band))
        prev_low = low
    return rows


def render_html(result: AuditResult, lang: str = "th") -> str:
    check_lang(lang)
    subs = {s.id: s for s in result.score.subindicators}
    review = [i for i in result.items if i.status == "review"]
    high = min(100.0, result.score.oit + sum(i.weight for i in review))
    generated = result.generated or datetime.now(UTC).isoformat(timespec="seconds")
    template = _env.get_template("report.html.j2")
    return template.render(
        r=result,
        lang=lang,
        T=partial(t, lang=lang),
        has=has,
        code=partial(code_label, lang=lang),
        cause=partial(cause_label, lang=lang),
        recency=partial(recency_label, lang=lang),
        num=fmt_num,
        date=partial(fmt_date, lang=lang),
        highlight=highlight,
        href=safe_href,
        share=share_pct,
        icons=ICONS,
        fy_text=fiscal_year_text(result.fiscal_year, lang),
        generated=fmt_date(generated, lang, with_time=True),
        items=[_item_view(i, subs, lang) for i in result.items],
        review_count=len(review),
        incomplete=bool(review) or not result.score.complete,
        oit_high=high,
        bands=_bands(result),
        counts={s: sum(1 for i in result.items if i.status == s) for s in ("pass", "fail", "review")},
    )
