"""Visible text of an HTML page without navigation chrome.

Text, headings and image counts come only from the content left after dropping nav/header/footer/
aside and menu/sidebar/breadcrumb blocks, so that menu labels such as "แผนปฏิบัติราชการ" do not look
like evidence on every page. Table rows come out as "a | b | c".
"""

from __future__ import annotations

import re

from .common import collapse

BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
}
# Never visible as text (select: only the chosen option shows; iframe/object children are fallback).
_SKIP = {"script", "style", "noscript", "template", "head", "title", "select", "datalist", "svg", "math",
         "iframe", "object", "embed", "frame", "canvas", "audio", "video", "textarea", "map"}
_HEADINGS = {"h1", "h2", "h3", "h4"}
_NAV_TAGS = {"nav", "aside"}
_NAV_ROLES = {"navigation", "banner", "contentinfo", "complementary", "menu", "menubar"}
_NAV_TOKEN = re.compile(
    r"^(?:\w*menu\w*|nav|navi|navbar\w*|navigation|\w+nav|nav\w+|\w*footer\w*|\w*sidebar\w*|\w*breadcrumbs?\w*"
    r"|topbar|toolbar|header|site-header|masthead)$"
)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_MAP_SRC = re.compile(
    r"google\.[a-z.]+/maps|maps\.google\.|goo\.gl/maps|maps\.app\.goo\.gl|openstreetmap\.org|map\.longdo\.com"
    r"|bing\.com/maps|mapsengine\.google",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
CELL = "\x1f"  # cell separator inside a rendered table row, turned into " | " at the end


def tag_of(el) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def is_map(src: str | None) -> bool:
    return bool(src and _MAP_SRC.search(src))


def has_ancestor(el, tags: set[str]) -> bool:
    return any(tag_of(a) in tags for a in el.iterancestors())


def _holds_main_content(el) -> bool:
    for d in el.iterdescendants():
        tag = tag_of(d)
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
    tag = tag_of(el)
    if tag in {"html", "body", "main", "article"} or el.get("role") == "main":
        return False
    semantic = tag in _NAV_TAGS or (el.get("role") or "").lower() in _NAV_ROLES
    if tag in {"header", "footer"} and not has_ancestor(el, {"article", "main"}):
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


# Image sources that are page decoration, not content (icons, bullets, spacers, logos).
_DECORATION = re.compile(r"(icon|bullet|spacer|blank|arrow|logo|banner|button|\.svg$|^data:)", re.I)


class Renderer:
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
        tag = tag_of(el)
        if not tag:  # comments and processing instructions: never visible
            return
        if tag in _SKIP or (self.drop_chrome and is_boilerplate(el)):
            # A map is evidence of the office location even when it sits in the page footer.
            if any(is_map(e.get("src") or e.get("data")) for e in el.iter("iframe", "embed", "object")):
                self.add(" [แผนที่] ")
            return
        if tag == "img":
            if self.drop_chrome:
                self.images += 1
            alt = collapse(el.get("alt") or "")
            if alt:
                self.add(f" [ภาพ: {alt}] ")
            elif not _DECORATION.search(el.get("src") or ""):
                self.add(" [ภาพ] ")  # a photo without alt text is still a photo beside its caption
            return
        if tag == "br":
            self.add(" " if inline else "\n")
            return
        sep = " " if inline else "\n"
        block = tag in BLOCK
        cell = tag in {"td", "th"}
        start = len(self.out)
        if cell:  # cells of one row share a line unless they hold blocks of their own
            self.add(CELL)
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
            heading = collapse("".join(self.out[start:]).replace(CELL, " "))
            if heading:
                self.headings.append(heading)

    def text(self) -> str:
        lines = []
        for line in "".join(self.out).split("\n"):
            cells = [c.strip() for c in line.split(CELL)]
            lines.append(" | ".join(c for c in cells if c))
        return "\n".join(lines)
