"""Thai (default) and English labels for everything a report shows.

Keys are ``<group>.<code>`` where ``code`` is the machine value found in an ``AuditResult``
(``status.fail``, ``reason.stale``, ``conf.I``, ``cause.timeout``). Unknown keys fall back to the key
itself so a new code from the checks or the crawler still shows up instead of crashing a report.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

LANGS = ("th", "en")
DEFAULT_LANG = "th"

# (th, en) pairs; kept as one table so a missing translation is visible in review.
_PAIRS: dict[str, tuple[str, str]] = {
    # -- verdicts (criteria §6) -----------------------------------------------------------------
    "status.pass": ("ผ่าน", "Pass"),
    "status.fail": ("ไม่ผ่าน", "Fail"),
    "status.review": ("ต้องตรวจสอบโดยเจ้าหน้าที่", "Needs review by an officer"),
    "status.not_yet_due": ("ยังไม่ถึงกำหนด", "Not yet due"),
    # Short forms for the terminal table and the overview grid.
    "status_short.pass": ("ผ่าน", "Pass"),
    "status_short.fail": ("ไม่ผ่าน", "Fail"),
    "status_short.review": ("ต้องตรวจสอบ", "Review"),
    "status_short.not_yet_due": ("ยังไม่ถึงกำหนด", "Not due"),
    "reason.ok": ("ครบถ้วนตามเกณฑ์", "Meets the criteria"),
    "reason.not_yet_due": ("ยังไม่ถึงกำหนด", "Not yet due"),
    "reason.absent": ("ไม่พบข้อมูล", "Not found"),
    "reason.stale": ("ข้อมูลไม่เป็นปัจจุบัน/ไม่ตรงปีงบประมาณ", "Out of date / wrong fiscal year"),
    "reason.incomplete": ("ข้อมูลไม่ครบถ้วน", "Incomplete"),
    "reason.broken": ("ลิงก์เปิดไม่ได้", "Link cannot be opened"),
    "reason.offsite": ("อยู่นอกเว็บไซต์หลัก", "Only outside the main website"),
    "reason.unverified": ("ระบบอ่านเนื้อหาไม่ได้", "Content could not be read"),
    "reason_help.ok": ("พบหลักฐานบนเว็บไซต์หลักครบตามเกณฑ์", "Evidence on the main website meets the criteria."),
    "reason_help.not_yet_due": (
        "ยังไม่ถึงกำหนดเผยแพร่ ณ วันที่ตรวจ จึงนับว่าผ่าน",
        "Not yet required on the audit date, so it counts as a pass.",
    ),
    "reason_help.absent": (
        "ไม่พบหน้าเว็บหรือเอกสารที่เป็นหลักฐานของข้อนี้บนเว็บไซต์",
        "No page or document on the website serves as evidence for this item.",
    ),
    "reason_help.stale": (
        "พบข้อมูลบนเว็บไซต์หลัก แต่เป็นของช่วงเวลาหรือปีงบประมาณที่ไม่ตรงตามเกณฑ์",
        "Evidence is on the main website but covers the wrong period or fiscal year.",
    ),
    "reason_help.incomplete": (
        "พบข้อมูลของช่วงเวลาที่ถูกต้อง แต่ขาดองค์ประกอบที่เกณฑ์กำหนด",
        "Evidence of the right period exists but a required element is missing.",
    ),
    "reason_help.broken": (
        "มีลิงก์หรือไฟล์ แต่เปิดด้วยเว็บเบราว์เซอร์ไม่ได้ (เช่น ไม่พบหน้า ไฟล์เสีย ต้องเข้าสู่ระบบ หรือลิงก์ว่าง)",
        "A link or file exists but cannot be opened in a browser (not found, corrupt, login, placeholder).",
    ),
    "reason_help.offsite": (
        "พบหลักฐานเฉพาะนอกเว็บไซต์หลักของหน่วยงาน (เช่น Google Drive, Facebook) ต้องนำขึ้นเว็บไซต์หลัก",
        "Evidence exists only outside the agency's main website (Google Drive, Facebook ...).",
    ),
    "reason_help.unverified": (
        "ระบบไม่สามารถอ่านเนื้อหาเพื่อตัดสินได้ เจ้าหน้าที่ต้องเปิดดูและตัดสินเอง",
        "The checker could not read the content; an officer has to open it and decide.",
    ),
    # -- confidence codes (criteria §1): how sure the rule itself is ----------------------------
    "conf.Q": ("อ้างอิงจากเอกสารต้นทาง", "Quoted from a source document"),
    "conf.S": ("ข้อมูลทุติยภูมิ", "Second-hand source"),
    "conf.R": ("จากความจำคู่มือ", "Recalled from the NACC manuals"),
    "conf.I": ("อนุมาน", "Inferred"),
    "conf_help.Q": (
        "เกณฑ์ข้อนี้ยกมาหรือถอดความจากเอกสารต้นทาง (คู่มือ หรือรายงานของหน่วยงาน)",
        "The rule is quoted or closely paraphrased from a source document.",
    ),
    "conf_help.S": (
        "เกณฑ์ข้อนี้มาจากแหล่งรอง เช่น หน่วยงานหรือผู้ให้บริการที่คัดลอกเกณฑ์ หรืออนุมานจากคะแนนที่เผยแพร่",
        "The rule comes second-hand: copied by an agency or vendor, or worked out from published scores.",
    ),
    "conf_help.R": (
        "เกณฑ์ข้อนี้มาจากความจำเกี่ยวกับคู่มือ ป.ป.ช. ยังไม่มีเอกสารยืนยัน",
        "The rule is recalled from the NACC manuals; no source in hand confirms it.",
    ),
    "conf_help.I": (
        "เกณฑ์ข้อนี้อนุมานโดยเทียบเคียง ไม่ใช่เกณฑ์ที่เผยแพร่อย่างเป็นทางการ ผลอาจต่างจากผู้ประเมินจริง",
        "The rule is inferred by analogy, not a published rule; assessors may judge differently.",
    ),
    # -- recency classes (criteria §3) ------------------------------------------------------------
    "recency.CFY": ("ปีงบประมาณปัจจุบัน", "Current fiscal year"),
    "recency.H1": ("รอบ 6 เดือน (ต.ค.–มี.ค.)", "First half-year (Oct–Mar)"),
    "recency.PFY": ("ปีงบประมาณที่ผ่านมา", "Previous fiscal year"),
    "recency.MY": ("แผนหลายปี", "Multi-year plan"),
    "recency.EV": ("ใช้บังคับอยู่ (ไม่ต้องระบุวันที่)", "In force (no date needed)"),
    "recency.LIVE": ("ช่องทางออนไลน์ที่ใช้งานได้", "Working online channel"),
    "recency.MONTHLY": ("รายเดือน", "Monthly"),
    # -- crawl coverage: fetch errors, skips, unreadable documents -------------------------------
    "cause.dns": ("ไม่พบชื่อโดเมน (DNS)", "DNS lookup failed"),
    "cause.timeout": ("หมดเวลารอการตอบสนอง", "Timed out"),
    "cause.refused": ("เซิร์ฟเวอร์ปฏิเสธการเชื่อมต่อ", "Connection refused"),
    "cause.connection_lost": ("การเชื่อมต่อขาดระหว่างดาวน์โหลด", "Connection lost"),
    "cause.http_4xx": ("เปิดไม่ได้ (HTTP 4xx)", "Client error (HTTP 4xx)"),
    "cause.http_5xx": ("เซิร์ฟเวอร์ขัดข้อง (HTTP 5xx)", "Server error (HTTP 5xx)"),
    "cause.http": ("ข้อผิดพลาด HTTP", "HTTP error"),
    "cause.robots": ("ถูกห้ามโดย robots.txt", "Disallowed by robots.txt"),
    "cause.ignored": ("ไม่ได้ดาวน์โหลด", "Request ignored"),
    "cause.too_large": ("ไฟล์ใหญ่เกินกำหนด", "File too large"),
    "cause.unparseable": ("อ่านเนื้อหาไม่ได้", "Content could not be read"),
    "cause.redirect_loop": ("เปลี่ยนเส้นทางวนซ้ำ", "Redirect loop"),
    "cause.too_many_redirects": ("เปลี่ยนเส้นทางหลายครั้งเกินไป", "Too many redirects"),
    "cause.archive_not_opened": ("ไฟล์บีบอัด (ไม่เปิดอ่าน)", "Archive file (not opened)"),
    "cause.trap_suspected": ("สงสัยว่าเป็นลิงก์วนไม่สิ้นสุด", "Suspected crawler trap"),
    "cause.page_budget": ("เกินจำนวนหน้าที่กำหนด", "Page budget reached"),
    "cause.depth_budget": ("ลึกเกินระดับที่กำหนด", "Depth limit reached"),
    "cause.url_too_long": ("URL ยาวเกินไป", "URL too long"),
    "cause.offsite_budget": ("เกินโควตาหน้านอกเว็บไซต์หลัก", "Off-site page quota reached"),
    "cause.encrypted": ("ไฟล์มีรหัสผ่าน", "Password-protected file"),
    "cause.corrupt": ("ไฟล์เสีย", "Corrupt file"),
    "cause.empty": ("ไฟล์ว่างเปล่า", "Empty file"),
    "cause.unsupported": ("ไม่รองรับชนิดไฟล์", "Unsupported file type"),
    "cause.error": ("ข้อผิดพลาดอื่น", "Other error"),
    # why a site of a batch could not be audited (oitcheck.batch.Problem)
    "problem.store": ("ที่เก็บข้อมูลใช้งานไม่ได้: {detail}", "store: {detail}"),
    "problem.robots": ("robots.txt ของเว็บไซต์ห้ามเข้าหน้าแรก", "blocked: robots.txt forbids crawling the start page"),
    "problem.nothing": ("ไม่ได้ข้อมูลใดเลย (การตรวจหยุดก่อนถึงหน้าแรก)",
                        "nothing fetched (the crawl stopped before the start page)"),
    "problem.refused_crawler": ("เว็บไซต์ปฏิเสธโปรแกรมตรวจ ({detail})",
                                "blocked: the site refused the crawler ({detail})"),
    "problem.unreachable": ("เปิดหน้าแรกไม่ได้: {detail}", "start page unreachable: {detail}"),
    "problem.challenge": ("มีหน้ายืนยันตัวตนกันบอท (bot challenge) ขวางเว็บไซต์",
                          "blocked: a bot-challenge page stands in front of the site"),
    "problem.crashed": ("การตรวจขัดข้อง: {detail}", "crawl crashed: {detail}"),
    "problem.check_failed": ("ประมวลผลการตรวจไม่สำเร็จ: {detail}", "check failed: {detail}"),
    "finish.finished": ("ตรวจครบทุกหน้าที่พบ", "Crawl completed"),
    "finish.page_budget": ("หยุดเมื่อครบจำนวนหน้าที่กำหนด", "Stopped at the page budget"),
    "finish.closespider_timeout": ("หยุดเมื่อครบเวลาที่กำหนด", "Stopped at the time budget"),
    "finish.closespider_pagecount": ("หยุดเมื่อครบจำนวนหน้าที่กำหนด", "Stopped at the page count limit"),
    "finish.closespider_errorcount": ("หยุดเพราะข้อผิดพลาดมากเกินไป", "Stopped after too many errors"),
    "finish.shutdown": ("ผู้ใช้หยุดการทำงาน", "Stopped by the user"),
    "finish.cancelled": ("ยกเลิกการทำงาน", "Cancelled"),
    # -- headings --------------------------------------------------------------------------------
    "heading.report": ("รายงานผลการตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)", "OIT open-data compliance report"),
    "heading.summary": ("สรุปคะแนน", "Score summary"),
    "heading.overview": ("ภาพรวมรายข้อ", "Items at a glance"),
    "heading.items": ("ผลการตรวจรายข้อ", "Item details"),
    "heading.coverage": ("ขอบเขตการเก็บข้อมูลจากเว็บไซต์", "Crawl coverage"),
    "heading.subindicators": ("ตัวชี้วัดย่อย", "Sub-indicators"),
    "heading.indicators": ("ตัวชี้วัด", "Indicators"),
    "heading.bands": ("เกณฑ์ระดับผลการประเมิน (เพื่ออ้างอิง)", "Grade bands (for reference)"),
    "heading.errors": ("ข้อผิดพลาดในการเปิดหน้า", "Fetch errors"),
    "heading.error_samples": ("ตัวอย่าง URL ที่เปิดไม่ได้", "Sample URLs that failed"),
    "heading.skipped": ("URL ที่ข้าม", "Skipped URLs"),
    "heading.unparseable": ("เอกสารที่อ่านเนื้อหาไม่ได้", "Documents that could not be read"),
    # -- field labels ----------------------------------------------------------------------------
    "label.site": ("เว็บไซต์", "Website"),
    "label.agency": ("หน่วยงาน", "Agency"),
    "label.scope": ("ขอบเขตเว็บไซต์หลัก", "Main website scope"),
    "label.framework": ("เกณฑ์", "Framework"),
    "label.fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "label.as_of": ("ข้อมูล ณ วันที่", "As of"),
    "label.generated": ("สร้างรายงานเมื่อ", "Generated"),
    "label.run": ("รอบการเก็บข้อมูล", "Crawl run"),
    "label.item": ("ข้อ", "Item"),
    "label.status": ("ผลการตรวจ", "Status"),
    "label.reason": ("เหตุผล", "Reason"),
    "label.title": ("หัวข้อ", "Title"),
    "label.weight": ("น้ำหนัก", "Weight"),
    "label.weight_long": ("น้ำหนักของข้อนี้ในคะแนน OIT", "Weight of this item in the OIT score"),
    "label.evidence_or_missing": ("หลักฐาน / สิ่งที่ขาด", "Evidence / missing"),
    "label.subindicator": ("ตัวชี้วัดย่อย", "Sub-indicator"),
    "label.indicator": ("ตัวชี้วัดที่", "Indicator"),
    "label.oit": ("คะแนน OIT", "OIT score"),
    "label.score": ("คะแนน", "Score"),
    "label.band": ("ระดับ", "Band"),
    "label.range": ("ช่วงคะแนน", "Range"),
    "label.band_ref": ("ระดับเทียบเกณฑ์ (อ้างอิง)", "reference band"),
    "label.band_current": ("ระดับของคะแนน OIT นี้", "band of this OIT score"),
    "label.band_note": (
        "คะแนน OIT ไม่มีระดับผลการประเมินของตัวเอง ระดับจริงคิดจากคะแนน ITA (รวม IIT และ EIT) "
        "ตารางนี้แสดงไว้เพื่ออ้างอิงเท่านั้น",
        "The OIT score has no grade of its own; the real band is set on the ITA score (with IIT and "
        "EIT). The table is for reference only.",
    ),
    "label.confidence": ("ความน่าเชื่อถือของเกณฑ์", "Confidence in the rule"),
    "label.components": ("องค์ประกอบ", "Components"),
    "label.recency": ("ช่วงเวลาที่กำหนด", "Required period"),
    "label.missing": ("สิ่งที่ต้องเผยแพร่เพิ่มเติม", "What to publish"),
    "label.evidence": ("หลักฐานที่พบ", "Evidence found"),
    "label.other_evidence": ("หลักฐานอื่นของข้อนี้", "Other evidence for this item"),
    "label.no_evidence": ("ไม่พบหลักฐาน", "No evidence found"),
    "label.dates": ("วันที่/ช่วงเวลาที่อ่านได้", "Dates read"),
    "label.method": ("วิธีอ่านเนื้อหา", "Read with"),
    "label.source": ("ที่มาของข้อความ", "Where the text came from"),
    "label.alternatives": ("URL ที่ผ่านเกณฑ์ซึ่งพบที่อื่นบนเว็บไซต์ (ควรส่ง URL นี้แทน)",
                           "URLs elsewhere on the site that pass (submit these instead)"),
    "itas.item": ("ข้อ", "Item"),
    "itas.title": ("รายการ", "Title"),
    "itas.subindicator": ("ตัวชี้วัดย่อย", "Sub-indicator"),
    "itas.status": ("ผลตรวจ", "Result"),
    "itas.urls": ("URL ที่ส่ง", "URL(s) to submit"),
    "itas.explanation": ("คำอธิบาย (ตำแหน่งของข้อมูล)", "Explanation (where the evidence is)"),
    "itas.to_publish": ("สิ่งที่ต้องเผยแพร่ก่อนส่ง", "To publish before submitting"),
    "label.ocr_confidence": ("ความมั่นใจของ OCR", "OCR confidence"),
    "label.ocr_pages": ("หน้าที่อ่านด้วย OCR", "Pages read by OCR"),
    "heading.text_sources": ("ที่มาของข้อความในเอกสาร", "How document text was obtained"),
    "heading.cut_off": ("เอกสารที่อ่านได้ไม่ครบหรือไม่อ่าน", "Documents read in part or refused"),
    "source.text": ("ข้อความในไฟล์", "text layer"),
    "source.repaired": ("ข้อความในไฟล์ (ซ่อมอักขระแล้ว)", "text layer, repaired"),
    "source.ocr": ("อ่านจากภาพด้วย OCR", "read from images by OCR"),
    "source.mixed": ("ข้อความในไฟล์และ OCR บางหน้า", "text layer with some pages by OCR"),
    "source.none": ("ไม่มีข้อความ", "no text"),
    "label.redirected": ("ปลายทางจริง", "Lands on"),
    "label.offsite": ("นอกเว็บไซต์หลัก", "Off the main website"),
    "label.placeholders": ("ลิงก์ที่ไม่มีปลายทาง", "Links that go nowhere"),
    "label.placeholders_help": (
        "ลิงก์เหล่านี้มีชื่อตรงกับข้อนี้แต่ไม่ได้ชี้ไปยังข้อมูล ให้ใส่ลิงก์ไปยังเอกสารจริง",
        "These links are labelled for this item but point nowhere; link them to the real document.",
    ),
    "label.candidates": ("จำนวนหน้า/ไฟล์ที่พิจารณา", "Candidates considered"),
    "label.pages": ("หน้าเว็บ", "Pages"),
    "label.documents": ("เอกสาร", "Documents"),
    "label.offsite_fetched": ("หน้านอกเว็บไซต์หลัก", "Off-site pages"),
    "label.errors": ("ข้อผิดพลาด", "Errors"),
    "label.skipped": ("ข้าม", "Skipped"),
    "label.unparseable": ("อ่านไม่ได้", "Unreadable"),
    "label.finish_reason": ("การสิ้นสุดการเก็บข้อมูล", "How the crawl ended"),
    "label.cause": ("สาเหตุ", "Cause"),
    "label.count": ("จำนวน", "Count"),
    "label.url": ("URL", "URL"),
    "label.none": ("ไม่มี", "None"),
    "label.coverage": ("ขอบเขต", "Coverage"),
    "label.incomplete_score": (
        "คะแนนยังไม่สมบูรณ์: มี {n} ข้อที่ต้องตรวจสอบโดยเจ้าหน้าที่ ซึ่งนับเป็น 0 คะแนนจนกว่าจะตัดสิน "
        "คะแนน OIT จริงอยู่ระหว่าง {low} ถึง {high}",
        "Incomplete score: {n} item(s) need review by an officer and count as 0 until decided; "
        "the OIT score lies between {low} and {high}.",
    ),
    "label.of_oit": ("ของคะแนน OIT", "of the OIT score"),
    "label.fy_span": ("{start} – {end}", "{start} – {end}"),
    "label.count_items": ("{n} ข้อ", "{n} items"),
    # -- batch comparison: many sites in one view (reports/compare.py) ----------------------------
    "compare.heading": ("รายงานเปรียบเทียบผลการตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) หลายหน่วยงาน",
                        "OIT compliance comparison across agencies"),
    "compare.summary": ("สรุปภาพรวม", "Summary"),
    "compare.sites": ("จำนวนหน่วยงาน", "Sites"),
    "compare.audited": ("ตรวจได้", "Audited"),
    "compare.not_audited": ("ตรวจไม่ได้", "Could not be audited"),
    "compare.mean": ("คะแนน OIT เฉลี่ย", "Mean OIT score"),
    "compare.mean_short": ("เฉลี่ย", "Mean"),
    "compare.min": ("ต่ำสุด", "Min"),
    "compare.max": ("สูงสุด", "Max"),
    "compare.top_failed": ("ข้อที่ไม่ผ่านมากที่สุด", "Items failed by most sites"),
    "compare.failed_by": ("ไม่ผ่าน {n} จาก {m} แห่ง", "failed by {n} of {m} sites"),
    "compare.no_fails": ("ไม่มีข้อที่ไม่ผ่าน", "No item failed"),
    "compare.heatmap": ("ผลรายข้อของแต่ละหน่วยงาน", "Items by site"),
    "compare.rollup": ("สรุปตามกลุ่ม", "Roll-up by group"),
    "compare.rollup_all": ("สรุปตามกลุ่ม (ทุกเกณฑ์)", "Roll-up by group (all frameworks)"),
    "compare.pass_rate": ("ร้อยละของหน่วยงานที่ตรวจได้ซึ่งผ่านแต่ละข้อ", "Share of audited sites that pass each item"),
    "compare.group": ("กลุ่ม", "Group"),
    "compare.no_group": ("(ไม่ระบุกลุ่ม)", "(no group)"),
    "compare.overall": ("รวมทั้งหมด", "Overall"),
    "compare.all_frameworks": ("ทุกเกณฑ์", "All frameworks"),
    "compare.pages": ("หน้า/ไฟล์ที่ตรวจ", "Pages crawled"),
    "compare.report": ("รายงาน", "Report"),
    "compare.open_report": ("เปิด", "Open"),
    "compare.audit_status": ("สถานะการตรวจ", "Audit status"),
    "compare.error": ("สาเหตุที่ตรวจไม่ได้", "Why it could not be audited"),
    "compare.not_applicable": ("ไม่มีข้อนี้ในผลการตรวจ", "Not in this audit"),
    "compare.sort_hint": ("คลิกหัวคอลัมน์เพื่อเรียงลำดับ", "Click a column header to sort"),
    "compare.sheet_sites": ("รายหน่วยงาน", "Sites"),
    "compare.sheet_groups": ("สรุปตามกลุ่ม", "Groups"),
}

_MONTHS = {
    "th": ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """Label for ``key`` in ``lang``; the key itself when no label exists."""
    pair = _PAIRS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in _PAIRS


def code_label(group: str, code: str, lang: str = DEFAULT_LANG) -> str:
    """Label of a machine code, falling back to the bare code (more readable than ``group.code``)."""
    key = f"{group}.{code}"
    return t(key, lang) if key in _PAIRS else code


def cause_label(cause: str, lang: str = DEFAULT_LANG) -> str:
    """Label of a crawl error/skip cause; folds ``http_404`` into the 4xx label and keeps the code."""
    cause = cause.removeprefix("skipped:")
    if f"cause.{cause}" in _PAIRS:
        return t(f"cause.{cause}", lang)
    m = re.fullmatch(r"http_(\d)(\d\d)", cause)
    if m:
        family = f"cause.http_{m.group(1)}xx"
        base = t(family, lang) if family in _PAIRS else t("cause.http", lang)
        return f"{base}: {m.group(1)}{m.group(2)}"
    if cause.startswith("error:"):
        return f"{t('cause.error', lang)}: {cause[6:]}"
    return cause


def recency_label(recency: str, lang: str = DEFAULT_LANG) -> str:
    """``CFY+PFY`` / ``CFY|H1`` / ``CFY, PFY`` → each class labelled, joined the way it was written."""
    parts = re.split(r"(\s*[+|,/]\s*)", recency)
    return "".join(code_label("recency", p, lang) if i % 2 == 0 else p for i, p in enumerate(parts))


def fmt_num(value: float, places: int = 2) -> str:
    """Round half up for display (criteria §7); float rounding is half-even and would disagree."""
    q = Decimal(1).scaleb(-places)
    return str(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


def fmt_date(value: str, lang: str = DEFAULT_LANG, *, with_time: bool = False) -> str:
    """ISO date (or datetime) for people: Thai with B.E. year, English with C.E.; raw text otherwise."""
    if not value:
        return ""
    try:
        timed = with_time or "T" in value
        d: date | datetime = datetime.fromisoformat(value) if timed else date.fromisoformat(value)
    except ValueError:
        return value
    month = _MONTHS["en" if lang == "en" else "th"][d.month - 1]
    year = d.year if lang == "en" else d.year + 543
    text = f"{d.day} {month} {year}"
    if isinstance(d, datetime) and with_time:
        text += f" {d:%H:%M}"
    return text


def fiscal_year_text(fy: int, lang: str = DEFAULT_LANG) -> str:
    """FY N (B.E.) runs 1 Oct N−1 – 30 Sep N (criteria §2); spell out the span, English readers need it."""
    start, end = f"{fy - 1 - 543}-10-01", f"{fy - 543}-09-30"
    span = t("label.fy_span", lang, start=fmt_date(start, lang), end=fmt_date(end, lang))
    return f"พ.ศ. {fy} ({span})" if lang != "en" else f"{fy} B.E. ({span})"
