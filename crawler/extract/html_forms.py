"""Does a page offer a form a citizen can fill in (complaint, comment, request)?"""

from __future__ import annotations

import re

from .html_text import has_ancestor, tag_of

_FIELD_TYPES = {"", "text", "email", "tel", "number", "date", "datetime-local", "month", "week", "time",
                "url", "file", "search", "password"}
_SEARCH_NAMES = re.compile(r"^(q|s|k|kw|query|search\w*|keywords?|searchword|txtsearch|find|ค้นหา)$", re.I)
_SEARCH_HINT = re.compile(r"search|ค้นหา|srch", re.IGNORECASE)


def _not_for_citizens(fields: list, container) -> bool:
    """Site-search boxes and staff log-ins are on every page; they are not forms a citizen fills in."""
    if container is not None:
        hints = [container.get("role"), container.get("action"), container.get("id"), container.get("class")]
        if any(h and _SEARCH_HINT.search(h) for h in hints):
            return True
    types = [(f.get("type") or "").strip().lower() for f in fields]
    if "password" in types and len(fields) <= 3:
        return True
    if len(fields) != 1 or tag_of(fields[0]) != "input":
        return False
    f = fields[0]
    if types[0] == "search" or _SEARCH_NAMES.match(f.get("name") or f.get("id") or ""):
        return True
    hints = (f.get("placeholder"), f.get("aria-label"), f.get("title"))
    return any(h and _SEARCH_HINT.search(h) for h in hints)


def _user_fields(elements) -> list:
    fields = []
    for f in elements:
        tag = tag_of(f)
        if tag == "input":
            if (f.get("type") or "").strip().lower() in _FIELD_TYPES:
                fields.append(f)
        elif tag in {"textarea", "select"}:
            fields.append(f)
    return fields


def has_user_form(root) -> bool:
    """A form with at least one field a person types into; hidden/button-only forms, search boxes and
    log-ins do not count."""
    for form in root.iter("form"):
        fields = _user_fields(form.iter("input", "textarea", "select"))
        if fields and not _not_for_citizens(fields, form):
            return True
    outside = (f for f in root.iter("input", "textarea", "select") if not has_ancestor(f, {"form"}))
    loose = _user_fields(outside)
    return bool(loose) and not _not_for_citizens(loose, None)  # JS apps post fields without a <form>
