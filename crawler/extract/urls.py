"""URL handling for links found in pages: resolve like a browser, spot placeholders, JS navigation and
document viewers that carry the real file URL in a query parameter."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from w3lib.url import safe_url_string

_STRIP = re.compile(r"[\t\n\r]")
# Script that navigates: window.open('x'), location.href='x', window.location = "x",
# location.assign('x'), location.replace('x'), document.location.href="x", self.location ...
_JS_NAV = re.compile(
    r"""(?:window\.open|location\.assign|location\.replace)\s*\(\s*(['"])(?P<u1>[^'"]*)\1"""
    r"""|(?:(?:window|document|self|top|parent)\.)?location(?:\.href)?\s*=\s*(['"])(?P<u2>[^'"]*)\3""",
    re.IGNORECASE,
)
# A quoted string passed to a site's own function (openPdf('files/a.pdf')): only trust document-ish ones.
_JS_DOC = re.compile(
    r"""(['"])(?P<u>(?:https?://|/|\.\.?/)?[^'"\s()]+\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar)(?:\?[^'"\s]*)?)\1""",
    re.IGNORECASE,
)
_PLACEHOLDER_JS = re.compile(
    r"^javascript:\s*(void\s*\(?\s*0?\s*\)?|;|return\s+false;?|false;?|null;?)?\s*;?\s*$", re.IGNORECASE
)
_VIEWER_PARAMS = {"pdf", "file", "url", "src", "doc", "path"}
_DOC_EXT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar)(\?|$)", re.IGNORECASE)
_SKIP_SCHEMES = ("data:", "about:", "blob:", "javascript:", "vbscript:")


def clean_href(raw: str) -> str:
    """Browsers strip surrounding whitespace and drop tabs/newlines inside a URL."""
    return _STRIP.sub("", raw.strip())


def resolve(base: str, href: str, encoding: str = "utf-8") -> str | None:
    """Absolute, browser-escaped URL without fragment; None if it cannot be a web address."""
    href = clean_href(href)
    if not href or href.lower().startswith(_SKIP_SCHEMES):
        return None
    scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
    if scheme in ("", "http", "https"):
        path, sep, rest = href.partition("?")
        href = path.replace("\\", "/") + sep + rest  # browsers treat "\" as "/" in http URLs
    try:
        url = urljoin(base, href)
        url = urldefrag(url)[0]
        # Thai paths are UTF-8 percent-encoded; the query uses the page's encoding, like browsers.
        return safe_url_string(url, encoding=encoding)
    except (ValueError, UnicodeError, LookupError):
        return None


def same_page(url: str, page_url: str) -> bool:
    def key(u: str) -> tuple[str, str, str, str]:
        parts = urlsplit(u)
        return parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query

    try:
        return key(url) == key(page_url)
    except ValueError:
        return False


def is_placeholder_href(href: str) -> bool:
    """'', '#', '#!', '#top', 'javascript:void(0)', 'javascript:;': labelled but goes nowhere."""
    href = clean_href(href)
    return not href or href.startswith("#") or bool(_PLACEHOLDER_JS.match(href))


def js_targets(script: str) -> list[str]:
    """URLs a piece of inline script navigates to (onclick handlers, javascript: hrefs)."""
    found = [m.group("u1") if m.group("u1") is not None else m.group("u2") for m in _JS_NAV.finditer(script)]
    if not found:
        found = [m.group("u") for m in _JS_DOC.finditer(script)]
    return [u for u in found if u.strip()]


def js_redirects(script: str) -> list[str]:
    """Where a script sends the browser on its own (location changes, not pop-up windows)."""
    return [
        m.group("u1") if m.group("u1") is not None else m.group("u2")
        for m in _JS_NAV.finditer(script)
        if not m.group(0).lower().startswith("window.open") and (m.group("u1") or m.group("u2") or "").strip()
    ]


# Public Google Drive / Docs viewer pages and the address that serves the file itself.
_GOOGLE_FILE = [
    (re.compile(r"^https?://drive\.google\.com/file/d/([\w-]{10,})"), "https://drive.google.com/uc?export=download&id={}"),
    (re.compile(r"^https?://drive\.google\.com/open\?(?:.*&)?id=([\w-]{10,})"),
     "https://drive.google.com/uc?export=download&id={}"),
    (re.compile(r"^https?://docs\.google\.com/document/d/([\w-]{10,})"),
     "https://docs.google.com/document/d/{}/export?format=pdf"),
    (re.compile(r"^https?://docs\.google\.com/spreadsheets/d/([\w-]{10,})"),
     "https://docs.google.com/spreadsheets/d/{}/export?format=xlsx"),
    (re.compile(r"^https?://docs\.google\.com/presentation/d/([\w-]{10,})"),
     "https://docs.google.com/presentation/d/{}/export/pdf"),
]


def viewer_targets(url: str) -> list[str]:
    """Document URLs carried in a viewer's query (FlowPaper ?pdf=, Google Docs ?url=, pdf.js ?file=),
    resolved against the viewer URL itself; for a public Google Drive/Docs viewer page, the file itself
    (what is in it tells the officer what to move onto the main website)."""
    for pattern, template in _GOOGLE_FILE:
        m = pattern.match(url)
        if m:
            scheme = "http" if url.startswith("http:") else "https"  # keep the scheme as linked
            return [template.format(m.group(1)).replace("https:", scheme + ":", 1)]
    try:
        query = urlsplit(url).query
    except ValueError:
        return []
    targets = []
    for key, value in parse_qsl(query, keep_blank_values=False):
        value = value.strip()
        if key.lower() not in _VIEWER_PARAMS or not value:
            continue
        if value.lower().startswith(("http://", "https://", "//", "/")) or _DOC_EXT.search(value):
            inner = resolve(url, value)
            if inner and inner != url:
                targets.append(inner)
    return targets
