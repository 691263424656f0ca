"""Which links to fetch first: ITA/OIT pages and documents, so evidence is reached within budget."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from checks.thai import skeleton

# Cues that a link leads to OIT evidence; matched on the skeleton of text + context + URL.
_ITA_CUES = [
    "ita", "oit", "การเปิดเผยข้อมูล", "เปิดเผยข้อมูลสาธารณะ", "คุณธรรมและความโปร่งใส", "ประเมินคุณธรรม",
]
_EVIDENCE_CUES = [
    "โครงสร้าง", "ผู้บริหาร", "อำนาจหน้าที่", "ติดต่อ", "แผนปฏิบัติ", "แผนพัฒนา", "แผนการใช้จ่าย", "รายงานผล",
    "คู่มือ", "สถิติ", "จัดซื้อจัดจ้าง", "สขร", "งบประมาณ", "ข้อบัญญัติ", "ร้องเรียน", "ทุจริต", "สินบน",
    "ความเสี่ยง", "ดุลยพินิจ", "ทรัพย์สิน", "มาตรการ", "นโยบาย", "บริการ", "e-service", "eservice",
    "ประกาศ", "ข่าว", "โรงเรียน", "ทรัพยากรบุคคล", "หลักเกณฑ์", "checklist", "tracking", "ติดตามสถานะ",
    "ภาษี", "รายได้", "เงินอุดหนุน", "ของกลาง", "บริจาค", "nogift", "ของขวัญ", "จริยธรรม", "ข้อมูลพื้นฐาน",
]
_DOC_EXT = re.compile(r"\.(pdf|docx?|xlsx?|odt|ods|pptx?|csv|rtf)$", re.I)
_ARCHIVE_EXT = re.compile(r"\.(zip|rar|7z|gz|tar)$", re.I)
_MEDIA_EXT = re.compile(r"\.(jpe?g|png|gif|webp|bmp|svg|ico|css|js|mjs|woff2?|ttf|eot|mp4|mp3|avi|mov|wmv|flv)$", re.I)
_IMAGE_EXT = re.compile(r"\.(jpe?g|png|gif|webp)$", re.I)


def is_document_url(url: str) -> bool:
    return bool(_DOC_EXT.search(unquote(urlsplit(url).path)))


def is_archive_url(url: str) -> bool:
    return bool(_ARCHIVE_EXT.search(unquote(urlsplit(url).path)))


def is_media_url(url: str) -> bool:
    """Assets a person does not open as a page: styles, scripts, fonts, video (images kept apart)."""
    return bool(_MEDIA_EXT.search(unquote(urlsplit(url).path)))


def is_image_url(url: str) -> bool:
    return bool(_IMAGE_EXT.search(unquote(urlsplit(url).path)))


def link_priority(url: str, text: str, context: str = "", depth: int = 0) -> int:
    """Higher is fetched sooner (Scrapy priority)."""
    hay = skeleton(f"{text} {context[:200]} {unquote(url)}")
    score = 0
    if any(cue in hay for cue in _ITA_CUES):
        score += 50
    score += 10 * min(3, sum(1 for cue in _EVIDENCE_CUES if cue in hay))
    if is_document_url(url):
        score += 20
    if re.search(r"(page|paged|p|start|offset)=\d{2,}", url) or re.search(r"[?&](m|month|date|day|year)=\d", url):
        score -= 30  # deep pagination and calendars: rarely evidence, often traps
    return score - 5 * depth
