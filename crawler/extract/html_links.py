"""Every way an HTML page points somewhere: anchors, image maps, frames, embeds, objects, images,
meta refresh, script navigation (onclick, javascript: hrefs, redirect scripts) and documents carried
inside viewer URLs, each with the row/list-item text around it."""

from __future__ import annotations

import re

from crawler.documents import Link

from .common import collapse
from .html_text import BLOCK, Renderer, tag_of
from .urls import (
    clean_href,
    is_placeholder_href,
    js_redirects,
    js_targets,
    resolve,
    same_page,
    viewer_targets,
)

_CONTEXT_TAGS = {"tr", "li", "dt", "dd"}
_REFRESH = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(?P<url>.+?)\1\s*$", re.IGNORECASE)
_CONTEXT_LIMIT = 300


def _render_context(el, dt=None) -> str:
    r = Renderer(drop_chrome=False, budget=_CONTEXT_LIMIT * 2)
    if dt is not None:
        r.render(dt, inline=True)
    r.render(el, inline=True)
    return collapse(r.text().replace("\n", " "))


def _context(el, cache: dict[object, str], heading_before=None) -> str:
    """Text of the enclosing table row / list item / dt-dd, else the nearest block: the item label
    that index pages put beside a generic "คลิก" link."""
    row = block = None
    for anc in (el, *el.iterancestors()):  # el itself too: <tr onclick=...> is its own row
        tag = tag_of(anc)
        if tag in _CONTEXT_TAGS:
            row = anc
            break
        if block is None and (tag in BLOCK or tag in {"td", "th"}):
            block = anc
    # Keyed by the element itself (which keeps its proxy alive): id() of a dead lxml proxy is reused.
    for holder in (row, block):
        if holder is None:
            continue
        if holder not in cache:
            dt = None
            if tag_of(holder) == "dd":  # a definition's label is in the <dt> before it
                dt = holder.getprevious()
                while dt is not None and tag_of(dt) != "dt":
                    dt = dt.getprevious()
            cache[holder] = _render_context(holder, dt)
        text = cache[holder]
        if len(text) <= _CONTEXT_LIMIT:
            return text
        if holder is row and block is not None:
            continue  # a long row is a layout table (the whole page in one <tr>): the nearer block says more
        # A long block (an iframe in the article body): the heading above it names the embed.
        if heading_before is not None:
            return collapse(heading_before.text_content() or "")[:_CONTEXT_LIMIT] or text[:_CONTEXT_LIMIT]
        return text[:_CONTEXT_LIMIT]
    return ""


def _anchor_text(el) -> str:
    parts = [el.text_content() or "", el.get("title") or "", el.get("alt") or ""]  # alt: <area>
    for img in el.iter("img"):
        parts += [img.get("alt") or "", img.get("title") or ""]
    seen: list[str] = []
    for p in map(collapse, parts):
        if p and p not in seen:
            seen.append(p)
    return " ".join(seen)


def tab_labels(root) -> dict[str, str]:
    """Panel id → the text of the tab that shows it (``href="#y2568"``, ``data-bs-target``,
    ``aria-controls``): year tabs on an ITA index page put each year's table in a panel."""
    out: dict[str, str] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        target = el.get("aria-controls") or el.get("data-bs-target") or el.get("data-target") or ""
        href = el.get("href") or ""
        if not target and href.startswith("#") and len(href) > 1:
            target = href
        target = target.lstrip("#").strip()
        if not target or target in out:
            continue
        label = collapse(el.text_content() or "")  # only for tab-like elements: text_content() of <body> is the page
        if label:
            out[target] = label[:80]
    return out


class LinkCollector:
    def __init__(self, page_url: str, base: str, encoding: str, tabs: dict[str, str] | None = None) -> None:
        self.tabs = tabs or {}
        self.page_url = page_url
        self.base = base
        self.encoding = encoding
        self.links: list[Link] = []
        self._ctx_cache: dict[object, str] = {}
        self.last_heading = None  # elements arrive in document order: the heading above the current one
        self._heading_text: tuple[object, str] = (None, "")

    def context(self, el) -> str:
        return _context(el, self._ctx_cache, self.last_heading)

    def section(self, el) -> str:
        """The tab whose panel holds ``el``, else the heading above it."""
        if self.tabs:
            for anc in el.iterancestors():
                label = self.tabs.get(anc.get("id") or "")
                if label:
                    return label
        if self.last_heading is not None:
            if self._heading_text[0] is not self.last_heading:  # many links sit under one heading
                self._heading_text = (self.last_heading, collapse(self.last_heading.text_content() or "")[:120])
            return self._heading_text[1]
        return ""

    def placeholder(self, el, raw: str, text: str, kind: str = "a") -> None:
        ctx = self.context(el)
        self.links.append(Link(url="", text=text, kind=kind, context=ctx, placeholder=True, raw=raw,
                               section=self.section(el)))

    def add(self, el, raw: str, text: str, kind: str) -> None:
        """A navigable reference: resolve it, flag self-links, and add the document inside a viewer."""
        href = clean_href(raw)
        lowered = href.lower()
        if lowered.startswith(("mailto:", "tel:")):
            scheme = lowered.split(":", 1)[0]
            self.links.append(Link(url=href, text=text, kind=scheme, context=self.context(el), raw=raw))
            return
        if lowered.startswith(("data:", "about:", "blob:")):
            return
        if is_placeholder_href(href) or lowered.startswith(("javascript:", "vbscript:")):
            self.placeholder(el, raw, text, kind)
            return
        url = resolve(self.base, href, self.encoding)
        if url is None:  # unparseable: keep it as written so the checker reports it broken
            self.links.append(Link(url=href, text=text, kind=kind, context=self.context(el), raw=raw))
            return
        if same_page(url, self.page_url):
            self.placeholder(el, raw, text, kind)
            return
        ctx, section = self.context(el), self.section(el)
        self.links.append(Link(url=url, text=text, kind=kind, context=ctx, raw=raw, section=section))
        for inner in viewer_targets(url):
            if same_page(inner, self.page_url):  # share buttons carry ?url=<this page>
                continue
            self.links.append(Link(url=inner, text=text, kind="viewer", context=ctx, raw=raw, section=section))

    def anchor(self, el, raw: str) -> None:
        text = _anchor_text(el)
        handler = js_targets(el.get("onclick") or "")
        href = clean_href(raw)
        if href.lower().startswith("javascript:"):
            targets = js_targets(href[len("javascript:"):])
            for target in targets:
                self.add(el, target, text, "onclick")
            if not targets and not handler:
                self.placeholder(el, raw, text)
        elif is_placeholder_href(href) and handler:
            pass  # href="#" onclick="window.open(...)": the handler below is the real link
        else:
            self.add(el, raw, text, "a")
        for target in handler:
            self.add(el, target, text, "onclick")

    def element(self, el) -> None:
        tag = tag_of(el)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.last_heading = el
        if tag in {"a", "area"}:
            if el.get("href") is not None:
                self.anchor(el, el.get("href") or "")
                return
        elif tag in {"iframe", "frame"}:
            src = el.get("src") or ""
            if not src.strip() or src.startswith("about:"):  # lazy-loaded embeds keep the URL aside
                src = el.get("data-src") or el.get("data-lazy-src") or src
            if src.strip():
                self.add(el, src, collapse(el.get("title") or ""), "iframe")
        elif tag == "embed" and el.get("src"):
            self.add(el, el.get("src") or "", collapse(el.get("title") or ""), "embed")
        elif tag == "object" and el.get("data"):
            self.add(el, el.get("data") or "", collapse(el.get("title") or ""), "object")
        elif tag == "img":
            src = el.get("src") or ""
            if not src or src.startswith("data:"):  # lazy loaders keep the real image elsewhere
                src = el.get("data-src") or el.get("data-lazy-src") or el.get("data-original") or src
            if src and not src.startswith("data:"):
                text = " ".join(filter(None, map(collapse, (el.get("alt") or "", el.get("title") or ""))))
                self.add(el, src, text, "img")
        elif tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            m = _REFRESH.match(el.get("content") or "")
            if m and not m.group("url").strip().isdigit():
                self.add(el, m.group("url"), "", "refresh")
            return
        elif tag == "script" and not el.get("src") and len(el.text or "") < 1000:
            for target in js_redirects(el.text or ""):  # index.html that only does location.href = "main.php"
                self.add(el, target, "", "refresh")
            return
        elif tag == "body" and el.get("onload"):
            for target in js_redirects(el.get("onload") or ""):
                self.add(el, target, "", "refresh")
        onclick = el.get("onclick")
        if onclick:
            text = collapse(el.text_content() or "") if tag not in {"html", "body"} else ""
            for target in js_targets(onclick):
                self.add(el, target, text or collapse(el.get("title") or el.get("value") or ""), "onclick")
