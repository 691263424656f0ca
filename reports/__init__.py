"""Render an ``AuditResult`` for people (terminal table, HTML) or programs (JSON)."""

from __future__ import annotations

from checks.results import AuditResult
from reports.i18n import check_lang

FORMATS = ("table", "json", "html", "itas")


def render(result: AuditResult, fmt: str, lang: str = "th", *, color: bool = False) -> str:
    """``fmt`` is table | json | html | itas (CSV; XLSX via ``reports.itas.write_itas_xlsx``); ``lang`` th | en
    (JSON is language-neutral); ``color`` for table."""
    check_lang(lang)
    if fmt == "table":
        from reports.table import render_table

        return render_table(result, lang, color=color)
    if fmt == "json":
        from reports.json_report import render_json

        return render_json(result)
    if fmt == "html":
        # Imported lazily: Jinja2 is only needed for HTML.
        from reports.html_report import render_html

        return render_html(result, lang)
    if fmt == "itas":
        from reports.itas import render_itas_csv

        return render_itas_csv(result, lang)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "render"]
