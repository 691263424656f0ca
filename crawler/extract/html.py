"""HTML pages: decode, parse once with lxml, then text (``html_text``), links (``html_links``), forms
(``html_forms``) and page metadata (title, headings, publication date)."""

from __future__ import annotations

import re
from datetime import date

import lxml.etree
import lxml.html

from crawler.documents import Extraction

from .common import clean_text, collapse
from .decode import decode_bytes
from .html_forms import has_user_form
from .html_links import LinkCollector, tab_labels
from .html_text import Renderer, has_ancestor, is_boilerplate
from .urls import resolve

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "date", "dc.date",
                   "dc.date.issued", "dcterms.issued", "pubdate", "publish_date", "publishdate")


def _iso_date(value: str | None) -> str | None:
    m = _ISO_DATE.search(value or "")
    if not m:
        return None
    year, month, day = map(int, m.groups())
    if year > 2400:  # Thai sites sometimes write B.E. years into machine-readable dates
        year -= 543
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _published(root) -> str | None:
    metas = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and key not in metas:
            metas[key] = meta.get("content")
    for key in _PUBLISHED_META:
        found = _iso_date(metas.get(key))
        if found:
            return found
    for el in root.xpath("//*[@itemprop='datePublished'] | //time[@datetime]")[:20]:
        if any(is_boilerplate(a) for a in el.iterancestors()):
            continue  # a "latest news" sidebar dates other pages
        found = _iso_date(el.get("datetime") or el.get("content") or el.text)
        if found:
            return found
    return None


def _meta_content(root, prop: str) -> str:
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == prop:
            return collapse(meta.get("content") or "")
    return ""


def parse_html(text: str):
    """lxml tree for a decoded page (comments dropped), or None for an empty document."""
    text = text.replace("\x00", "")
    if text.lstrip().startswith("<?xml"):  # lxml refuses str input that carries an encoding declaration
        text = text.lstrip().split("?>", 1)[-1]
    if not text.strip():
        return None
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def extract_html(body: bytes, url: str, content_type: str | None = None) -> Extraction:
    text, encoding = decode_bytes(body, content_type, html=True)
    return extract_html_text(text, url, encoding)


def extract_html_text(text: str, url: str, encoding: str = "utf-8") -> Extraction:
    root = parse_html(text)
    if root is None:
        return Extraction(kind="html", pages=1, method="html")
    if encoding.startswith("utf-"):
        encoding = "utf-8"  # the query of a link is percent-encoded in the page's own encoding

    title_el = root.xpath("//head/title") or root.xpath("//title[not(ancestor::svg)]")
    title = collapse(title_el[0].text_content()) if title_el else ""

    renderer = Renderer(drop_chrome=True)
    try:
        renderer.render(root)
        page_text = clean_text(renderer.text())
    except RecursionError:  # absurdly deep markup: fall back to flat text
        page_text = clean_text(root.text_content() or "")
    headings = list(dict.fromkeys(renderer.headings))
    og_title = _meta_content(root, "og:title")
    if og_title and og_title not in headings:
        headings.insert(0, og_title)
    if not title:
        h1 = root.xpath("//h1")
        title = collapse(h1[0].text_content()) if h1 else og_title

    base = url
    base_el = root.xpath("//base[@href]")
    if base_el:
        base = resolve(url, base_el[0].get("href") or "") or url
    collector = LinkCollector(url, base, encoding, tab_labels(root))
    templates = root.find(".//template") is not None  # <template> content is never shown as is
    for el in root.iter():
        if isinstance(el.tag, str) and not (templates and has_ancestor(el, {"template"})):
            collector.element(el)

    return Extraction(
        kind="html",
        title=title[:300],
        headings=headings,
        text=page_text,
        links=collector.links,
        pages=1,
        method="html",
        has_form=has_user_form(root),
        images=renderer.images,
        published=_published(root),
    )
