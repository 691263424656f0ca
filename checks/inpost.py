"""Who is in post: the head an executives page shows against who signs the year's documents.

Criteria README §3, EV (c): an evergreen page that names people no longer in post is stale, "as shown
by FY F documents on the same site signed by someone else in that post". An acting or delegated
signer ("รักษาราชการแทน", "ปฏิบัติราชการแทน", "รักษาการในตำแหน่ง") does not show a change.
"""

from __future__ import annotations

import re

# A Thai personal name: a title, a given name and a surname ("นางสาวรัตนา ทดสอบสมมุติ").
_TITLE = r"(?:นางสาว|นาง|นาย|ดร\.|ว่าที่\s?ร\.?[ตทอ]\.?(?:หญิง)?|ว่าที่ร้อยตรี(?:หญิง)?)"
_NAME = rf"{_TITLE}\s?[ก-๙]+\s+[ก-๙]+"
_ACTING = ("รักษาราชการแทน", "ปฏิบัติราชการแทน", "รักษาการในตำแหน่ง", "รักษาการแทน", "ปฏิบัติหน้าที่แทน")
_DEPUTY = ("รอง", "ผู้ช่วย")


def name_key(name: str) -> str:
    """A name without spaces and title, for comparison ("นาย สมชาย  ใจดี" → "สมชายใจดี"); spaces go
    first because PDF text layers put them inside words."""
    name = re.sub(r"\s+", "", name)
    return re.sub(rf"^{_TITLE}", "", name)


def _position_at(text: str, start: int, positions: list[str]) -> str:
    """The head-of-agency position (not a deputy's) written right after ``start``, or ""."""
    rest = text[start:start + 120].lstrip(" \t\n()")
    m = re.match(r"[ก-๙]+(?:[ \t]+[ก-๙]+)*", rest)  # Thai words on the same line
    line = re.split(r"\s*(?:โทร|อีเมล|มือถือ|ติดต่อ|e-mail)", m.group(0) if m else "")[0]
    if any(line.startswith(p) for p in positions) and not line.startswith(_DEPUTY):
        return re.sub(r"\s+", "", line)[:40]
    return ""


def heads_shown(text: str, positions: list[str]) -> list[tuple[str, str]]:
    """(name, position) pairs an executives page presents as the agency's head."""
    out = []
    for m in re.finditer(_NAME, text):
        position = _position_at(text, m.end(), positions)
        if position:
            out.append((name_key(m.group(0)), position))
    return out


def signers_as(text: str, position: str) -> set[str]:
    """Names that sign as ``position`` in their own right: "(name)" then the position, not acting."""
    out = set()
    for m in re.finditer(r"\(([^()\n]{4,60})\)", text):
        if not re.match(_TITLE, re.sub(r"\s+", "", m.group(1))):
            continue
        after = text[m.end():m.end() + 160]
        signed = re.sub(r"\s+", "", after.lstrip(" \t\n"))
        if signed.startswith(position[:30]) and not any(a in signed[:100] for a in _ACTING):
            out.add(name_key(m.group(1)))
    return out
