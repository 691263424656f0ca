"""HTML pages: visible text without navigation chrome, every way the page links somewhere, forms.

Links come from the whole page (menus are how the crawler finds OIT pages); text, headings and image
counts come only from the content that is left after dropping nav/header/footer/aside/menus, so
that menu labels such as "แผนปฏิบัติราชการ" do not look like evidence on every page.
"""

from __future__ import annotations

import re
from datetime import date

import lxml.etree
import lxml.html

from crawler.documents import Extraction, Link

from .common import clean_text, collapse
from .decode import decode_bytes
from .urls import (
    clean_href,
    is_placeholder_href,
    js_redirects,
    js_targets,
    resolve,
    same_page,
    viewer_targets,
)

_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
}
# Never visible as text (select: only the chosen option shows; iframe/object children are fallback).
_SKIP = {"script", "style", "noscript", "template", "head", "title", "select", "datalist", "svg", "math",
         "iframe", "object", "embed", "frame", "canvas", "audio", "video", "textarea", "map"}
_HEADINGS = {"h1", "h2", "h3", "h4"}
_CONTEXT_TAGS = {"tr", "li", "dt", "dd"}
_NAV_TAGS = {"nav", "aside"}
_NAV_ROLES = {"navigation", "banner", "contentinfo", "complementary", "menu", "menubar"}
_NAV_TOKEN = re.compile(
    r"^(?:\w*menu\w*|nav|navi|navbar\w*|navigation|\w+nav|nav\w+|\w*footer\w*|\w*sidebar\w*|\w*breadcrumbs?\w*"
    r"|topbar|toolbar)$"
)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_MAP_SRC = re.compile(
    r"google\.[a-z.]+/maps|maps\.google\.|goo\.gl/maps|maps\.app\.goo\.gl|openstreetmap\.org|map\.longdo\.com"
    r"|bing\.com/maps|mapsengine\.google",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_CELL = "\x1f"  # cell separator inside a rendered table row, turned into " | " at the end
_FIELD_TYPES = {"", "text", "email", "tel", "number", "date", "datetime-local", "month", "week", "time",
                "url", "file", "search", "password"}
_SEARCH_NAMES = re.compile(r"^(q|s|k|kw|query|search\w*|keywords?|searchword|txtsearch|find|ค้นหา)$", re.I)
_SEARCH_HINT = re.compile(r"search|ค้นหา|srch", re.IGNORECASE)
_REFRESH = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(?P<url>.+?)\1\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "date", "dc.date",
                   "dc.date.issued", "dcterms.issued", "pubdate", "publish_date", "publishdate")
_CONTEXT_LIMIT = 300


def _tag(el) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _is_map(src: str | None) -> bool:
    return bool(src and _MAP_SRC.search(src))


def _has_ancestor(el, tags: set[str]) -> bool:
    return any(_tag(a) in tags for a in el.iterancestors())


def _holds_main_content(el) -> bool:
    for d in el.iterdescendants():
        tag = _tag(d)
        if tag in {"main", "article", "h1"} or d.get("role") == "main":
            return True
    return False


def _link_density(el) -> tuple[int, float]:
    total = len(_SPACE.sub("", el.text_content() or ""))
    if not total:
        return 0, 1.0
    linked = sum(len(_SPACE.sub("", a.text_content() or "")) for a in el.iterdescendants("a"))
    return total, linked / total


def is_boilerplate(el) -> bool:
    """Navigation chrome: nav/aside, page header/footer, and menu/nav/footer/sidebar/breadcrumb blocks."""
    tag = _tag(el)
    if tag in {"html", "body", "main", "article"} or el.get("role") == "main":
        return False
    semantic = tag in _NAV_TAGS or (el.get("role") or "").lower() in _NAV_ROLES
    if tag in {"header", "footer"} and not _has_ancestor(el, {"article", "main"}):
        semantic = True
    named = False
    if not semantic:
        tokens = _TOKEN_SPLIT.split(f"{el.get('id') or ''} {el.get('class') or ''}".lower())
        named = any(t and _NAV_TOKEN.match(t) for t in tokens)
    if not (semantic or named):
        return False
    if _holds_main_content(el):  # a layout wrapper such as <div class="with-sidebar"> around the content
        return False
    if named:
        size, density = _link_density(el)
        if size >= 300 and density < 0.3:  # mostly prose, not a link list: keep it
            return False
    return True


class _Renderer:
    """Visible text of a subtree: blocks on their own lines, table rows as "a | b | c"."""

    def __init__(self, drop_chrome: bool, budget: int | None = None) -> None:
        self.drop_chrome = drop_chrome
        self.budget = budget
        self.out: list[str] = []
        self.size = 0
        self.images = 0
        self.headings: list[str] = []

    def add(self, s: str) -> None:
        self.out.append(s)
        self.size += len(s)

    def full(self) -> bool:
        return self.budget is not None and self.size > self.budget

    def _text(self, s: str | None, pre: bool) -> None:
        if s:
            self.add(s if pre else _SPACE.sub(" ", s))

    def render(self, el, inline: bool = False, pre: bool = False) -> None:
        if self.full():
            return
        tag = _tag(el)
        if not tag:  # comments and processing instructions: never visible
            return
        if tag in _SKIP or (self.drop_chrome and is_boilerplate(el)):
            # A map is evidence of the office location even when it sits in the page footer.
            if any(_is_map(e.get("src") or e.get("data")) for e in el.iter("iframe", "embed", "object")):
                self.add(" [แผนที่] ")
            return
        if tag == "img":
            if self.drop_chrome:
                self.images += 1
            alt = collapse(el.get("alt") or "")
            if alt:
                self.add(f" [ภาพ: {alt}] ")
            return
        if tag == "br":
            self.add(" " if inline else "\n")
            return
        sep = " " if inline else "\n"
        block = tag in _BLOCK
        cell = tag in {"td", "th"}
        start = len(self.out)
        if cell:  # cells of one row share a line unless they hold blocks of their own
            self.add(_CELL)
        elif block:
            self.add(sep)
        pre = pre or tag == "pre"
        self._text(el.text, pre)
        for child in el:
            self.render(child, inline, pre)
            self._text(child.tail, pre)
        if block:
            self.add(sep)
        if tag in _HEADINGS:
            heading = collapse("".join(self.out[start:]).replace(_CELL, " "))
            if heading:
                self.headings.append(heading)

    def text(self) -> str:
        lines = []
        for line in "".join(self.out).split("\n"):
            cells = [c.strip() for c in line.split(_CELL)]
            lines.append(" | ".join(c for c in cells if c))
        return "\n".join(lines)


def _render_context(el, dt=None) -> str:
    r = _Renderer(drop_chrome=False, budget=_CONTEXT_LIMIT * 2)
    if dt is not None:
        r.render(dt, inline=True)
    r.render(el, inline=True)
    return collapse(r.text().replace("\n", " "))


def _context(el, cache: dict[object, str], heading_before=None) -> str:
    """Text of the enclosing table row / list item / dt-dd, else the nearest block: the item label
    that index pages put beside a generic "คลิก" link."""
    row = block = None
    for anc in el.iterancestors():
        tag = _tag(anc)
        if tag in _CONTEXT_TAGS:
            row = anc
            break
        if block is None and (tag in _BLOCK or tag in {"td", "th"}):
            block = block or anc
    if row is None and block is None:
        block = next((a for a in el.iterancestors() if _tag(a) in _BLOCK), None)
    # Keyed by the element itself (which keeps its proxy alive): id() of a dead lxml proxy is reused.
    for holder in (row, block):
        if holder is None:
            continue
        if holder not in cache:
            dt = None
            if _tag(holder) == "dd":  # a definition's label is in the <dt> before it
                dt = holder.getprevious()
                while dt is not None and _tag(dt) != "dt":
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


class _LinkCollector:
    def __init__(self, page_url: str, base: str, encoding: str) -> None:
        self.page_url = page_url
        self.base = base
        self.encoding = encoding
        self.links: list[Link] = []
        self._ctx_cache: dict[object, str] = {}
        self.last_heading = None  # elements arrive in document order: the heading above the current one

    def context(self, el) -> str:
        return _context(el, self._ctx_cache, self.last_heading)

    def placeholder(self, el, raw: str, text: str, kind: str = "a") -> None:
        ctx = self.context(el)
        self.links.append(Link(url="", text=text, kind=kind, context=ctx, placeholder=True, raw=raw))

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
        if is_placeholder_href(href):
            self.placeholder(el, raw, text, kind)
            return
        url = resolve(self.base, href, self.encoding)
        if url is None:  # unparseable: keep it as written so the checker reports it broken
            self.links.append(Link(url=href, text=text, kind=kind, context=self.context(el), raw=raw))
            return
        if same_page(url, self.page_url):
            self.placeholder(el, raw, text, kind)
            return
        ctx = self.context(el)
        self.links.append(Link(url=url, text=text, kind=kind, context=ctx, raw=raw))
        for inner in viewer_targets(url):
            self.links.append(Link(url=inner, text=text, kind="viewer", context=ctx, raw=raw))

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
        tag = _tag(el)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.last_heading = el
        if tag in {"a", "area"}:
            if el.get("href") is not None:
                self.anchor(el, el.get("href") or "")
                return
        elif tag in {"iframe", "frame"} and el.get("src"):
            self.add(el, el.get("src") or "", collapse(el.get("title") or ""), "iframe")
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


def _not_for_citizens(fields: list, container) -> bool:
    """Site-search boxes and staff log-ins are on every page; they are not forms a citizen fills in."""
    if container is not None:
        hints = [container.get("role"), container.get("action"), container.get("id"), container.get("class")]
        if any(h and _SEARCH_HINT.search(h) for h in hints):
            return True
    types = [(f.get("type") or "").strip().lower() for f in fields]
    if "password" in types and len(fields) <= 3:
        return True
    if len(fields) != 1 or _tag(fields[0]) != "input":
        return False
    f = fields[0]
    if types[0] == "search" or _SEARCH_NAMES.match(f.get("name") or f.get("id") or ""):
        return True
    hints = (f.get("placeholder"), f.get("aria-label"), f.get("title"))
    return any(h and _SEARCH_HINT.search(h) for h in hints)


def _user_fields(elements) -> list:
    fields = []
    for f in elements:
        tag = _tag(f)
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
    outside = (f for f in root.iter("input", "textarea", "select") if not _has_ancestor(f, {"form"}))
    loose = _user_fields(outside)
    return bool(loose) and not _not_for_citizens(loose, None)  # JS apps post fields without a <form>


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
    for el in root.xpath("//*[@itemprop='datePublished'] | //time[@datetime]"):
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

    renderer = _Renderer(drop_chrome=True)
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
    collector = _LinkCollector(url, base, encoding)
    templates = root.find(".//template") is not None  # <template> content is never shown as is
    for el in root.iter():
        if isinstance(el.tag, str) and not (templates and _has_ancestor(el, {"template"})):
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

