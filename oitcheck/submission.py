"""The URLs an agency plans to submit to ITAS, read from CSV or YAML for ``oitcheck verify``.

CSV: a header row naming an item column (``item``, ``ข้อ``, ``o``) and one or more URL columns (``url``,
``url1`` …, ``URL ที่ส่ง``), optionally ``explanation`` / ``คำอธิบาย``; a URL cell may hold several URLs
on separate lines (the ITAS sheet this tool exports reads back as is). YAML: a mapping from item to a
URL, a list of URLs, or ``{urls: [...], explanation: ...}``. Item labels are read as sites write them:
``O15``, ``o15``, ``O๑๕``, ``ข้อ 15``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from checks.pack import Pack
from checks.thai import thai_digits_to_arabic

_ITEM = re.compile(r"^\s*(?:o|ข้อ|ข้อที่|item)?\s*\.?\s*(\d{1,2})\s*$", re.I)
_URL_SPLIT = re.compile(r"[\s,]+")


class SubmissionError(ValueError):
    """A row or entry that cannot be used; the message names it."""


@dataclass
class Submission:
    urls: dict[str, list[str]] = field(default_factory=dict)  # item id → URLs, in the order given
    explanations: dict[str, str] = field(default_factory=dict)

    def site(self) -> str:
        """The main website the URLs point into: the most common scheme and host."""
        hosts: dict[str, int] = {}
        for urls in self.urls.values():
            for url in urls:
                parts = urlsplit(url)
                key = f"{parts.scheme}://{parts.netloc}/"
                hosts[key] = hosts.get(key, 0) + 1
        if not hosts:
            raise SubmissionError("no URL in the submission")
        return max(hosts, key=lambda k: hosts[k])


def item_id(label: object, pack: Pack, where: str) -> str:
    m = _ITEM.match(thai_digits_to_arabic(str(label)))
    ids = {i.id for i in pack.items}
    if not m or f"O{int(m.group(1))}" not in ids:
        raise SubmissionError(f"{where}: {label!r} is not an item of {pack.id} (O1–O{len(pack.items)})")
    return f"O{int(m.group(1))}"


def _urls(value: object, where: str) -> list[str]:
    items = value if isinstance(value, list) else _URL_SPLIT.split(str(value or ""))
    out = []
    for raw in items:
        url = str(raw).strip()
        if not url:
            continue
        if not url.startswith(("http://", "https://", "mailto:")):
            raise SubmissionError(f"{where}: {url!r} is not an absolute http(s) URL")
        out.append(url)
    return out


def _add(sub: Submission, item: str, urls: list[str], explanation: str) -> None:
    sub.urls.setdefault(item, [])
    sub.urls[item] += [u for u in urls if u not in sub.urls[item]]
    if explanation:
        sub.explanations[item] = explanation


def _from_csv(text: str, pack: Pack) -> Submission:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        raise SubmissionError("the CSV file is empty")
    head = [h.strip().lower() for h in rows[0]]
    item_col = next((i for i, h in enumerate(head) if h in ("item", "ข้อ", "o", "id")), None)
    url_cols = [i for i, h in enumerate(head) if h.startswith(("url", "ลิงก์", "link"))]
    text_col = next((i for i, h in enumerate(head) if h.startswith(("explanation", "คำอธิบาย", "note"))), None)
    if item_col is None or not url_cols:
        raise SubmissionError("CSV header: needs an item column (item / ข้อ) and a URL column (url / URL ที่ส่ง)")
    sub = Submission()
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"row {n}"
        cell = row[item_col] if item_col < len(row) else ""
        urls = [u for i in url_cols if i < len(row) for u in _urls(row[i], where)]
        explanation = row[text_col].strip() if text_col is not None and text_col < len(row) else ""
        _add(sub, item_id(cell, pack, where), urls, explanation)
    return sub


def _from_yaml(text: str, pack: Pack) -> Submission:
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise SubmissionError("YAML: expected a mapping from item (O1 …) to URLs")
    sub = Submission()
    for key, value in data.items():
        where = f"entry {key}"
        explanation = ""
        if isinstance(value, dict):
            explanation = str(value.get("explanation") or "")
            value = value.get("urls") or value.get("url") or []
        _add(sub, item_id(key, pack, where), _urls(value, where), explanation)
    return sub


def load_submission(path: Path, pack: Pack) -> Submission:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".yaml", ".yml"):
        return _from_yaml(text, pack)
    return _from_csv(text, pack)
