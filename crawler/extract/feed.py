"""RSS/Atom feeds (e-GP publishes procurement announcements as RSS): one line per item and a link per
item, so announcements listed only in a feed are still seen."""

from __future__ import annotations

import html
import re

from crawler.documents import Extraction, Link

from .common import clean_text, collapse
from .safezip import parse_xml
from .urls import resolve

_TAGS = re.compile(r"<[^>]+>")


def _local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def _child_text(item, *names: str) -> str:
    for child in item:
        if _local(child) in names:
            return collapse(html.unescape(_TAGS.sub(" ", "".join(child.itertext()))))
    return ""


def _item_link(item) -> str:
    for child in item:
        if _local(child) == "link":
            return (child.get("href") or child.text or "").strip()  # Atom uses href=, RSS the text
    return ""


def extract_feed(body: bytes, url: str) -> Extraction:
    root = parse_xml(body)  # the XML declaration carries the encoding (e-GP feeds are TIS-620)
    if root is None:
        return Extraction(kind="text", text=clean_text(body.decode("utf-8", "replace")), method="text")
    title = ""
    lines: list[str] = []
    links: list[Link] = []
    for el in root.iter():
        name = _local(el)
        if name in {"channel", "feed"} and not title:
            title = _child_text(el, "title")
        if name not in {"item", "entry"}:
            continue
        item_title = _child_text(el, "title")
        when = _child_text(el, "pubdate", "published", "updated", "date")
        summary = _child_text(el, "description", "summary", "content")
        lines.append(" | ".join(p for p in (item_title, when, summary[:500]) if p))
        href = _item_link(el)
        target = resolve(url, href) if href else None
        if target:
            links.append(Link(url=target, text=item_title, kind="a", context=lines[-1][:300], raw=href))
    if not title and root is not None:
        title = _child_text(root, "title")
    return Extraction(kind="text", title=title, text=clean_text("\n".join(lines)), links=links, pages=1,
                      method="feed")
