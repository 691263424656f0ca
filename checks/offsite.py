"""Where off-site evidence lives, and whether an assessor could open it at all.

The criteria fail evidence kept off the main website (reason ``offsite``), except live channels such
as E-Service and complaint systems linked from it. What the officer needs to hear is where it is
(a Google Drive folder, a Facebook post, e-GP) and whether it even opens for an outsider: a Drive file
shared only inside the agency shows "Request access", a Facebook post behind a login shows a login.
"""

from __future__ import annotations

import re

from crawler.documents import Document
from crawler.scope import host_key

# (host pattern, path pattern, name shown to the officer); the first match wins.
_KINDS: list[tuple[str, str, str]] = [
    (r"drive\.google\.com", "", "Google Drive"),
    (r"docs\.google\.com", r"^/forms/", "Google Forms"),
    (r"forms\.gle", "", "Google Forms"),
    (r"docs\.google\.com", r"^/spreadsheets/", "Google Sheets"),
    (r"docs\.google\.com", r"^/presentation/", "Google Slides"),
    (r"docs\.google\.com", "", "Google Docs"),
    (r"sites\.google\.com", "", "Google Sites"),
    (r"(onedrive\.live\.com|1drv\.ms|[\w-]+\.sharepoint\.com)", "", "OneDrive/SharePoint"),
    (r"dropbox\.com", "", "Dropbox"),
    (r"(facebook\.com|fb\.com|fb\.me|fb\.watch)", "", "Facebook"),
    (r"(messenger\.com|m\.me)", "", "Messenger"),
    (r"(youtube\.com|youtu\.be)", "", "YouTube"),
    (r"(line\.me|lin\.ee)", "", "LINE"),
    (r"(gprocurement\.go\.th|process\d*\.gprocurement\.go\.th)", "", "egp"),
    (r"(nacc\.go\.th|itas\.nacc\.go\.th)", "", "nacc"),
    (r"(anyflip\.com|fliphtml5\.com|issuu\.com|canva\.com|scribd\.com)", "", "publishing"),
    (r"(go|or|ac|mi)\.th", "", "agency"),
]
# Kinds that are not a product name, in the officer's language.
_PLAIN = {"egp": ("ระบบ e-GP ของกรมบัญชีกลาง", "e-GP (the Comptroller General's Department)"),
          "nacc": ("เว็บไซต์ของ ป.ป.ช.", "the NACC's website"),
          "publishing": ("บริการเผยแพร่เอกสารภายนอก", "a publishing service"),
          "agency": ("เว็บไซต์ของหน่วยงานอื่น", "another agency's website"),
          "other": ("เว็บไซต์อื่น", "another website")}

_WALL = re.compile(
    r"(request access|you need (access|permission)|ขอสิทธิ์(ในการ)?เข้าถึง|คุณต้องมีสิทธิ์|ต้องได้รับสิทธิ์"
    r"|log in to (facebook|continue)|log into facebook|sign in to continue|ลงชื่อเข้าใช้เพื่อดำเนินการต่อ"
    r"|เข้าสู่ระบบ facebook|this content isn.t available|เนื้อหานี้ไม่พร้อมใช้งาน|video unavailable"
    r"|วิดีโอนี้ไม่พร้อมใช้งาน|sorry, the file you have requested does not exist)", re.I)


def offsite_kind(url: str, lang: str = "th") -> str:
    """The service or kind of host an off-site URL is on, for the officer ("Google Drive", "e-GP" …)."""
    host = host_key(url)
    path = re.sub(r"^https?://[^/]+", "", url)
    name = next((name for host_re, path_re, name in _KINDS
                 if re.search(rf"(^|\.){host_re}$", host) and (not path_re or re.search(path_re, path))), "other")
    plain = _PLAIN.get(name)
    return (plain[1] if lang == "en" else plain[0]) if plain else name


def walled(doc: Document) -> bool:
    """The page asks for access rights or a login instead of showing the document."""
    ex = doc.extraction
    return bool(_WALL.search(ex.title + " " + ex.text[:2000]))


def offsite_detail(doc: Document, lang: str = "th") -> str:
    detail = f"hosted outside the main website: {offsite_kind(doc.final_url, lang)} ({host_key(doc.final_url)})"
    if doc.ok and walled(doc):
        detail += "; it asks for access rights or a login, so an assessor cannot open it"
    return detail
