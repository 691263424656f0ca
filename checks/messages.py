"""Thai wording of the engine's one-line explanations (English is the canonical form in code)."""

from __future__ import annotations

import re

_WHERE = {"document": "จากตัวเอกสาร", "label": "จากข้อความลิงก์/หน้าที่นำเสนอ", "url": "จากชื่อไฟล์/URL"}

_THAI: list[tuple[str, str]] = [
    (r"dated after the audit date", "ลงวันที่หลังวันที่ตรวจ จึงยังไม่นับ"),
    (r"states FY (\d+) \((\w+)\)", "ระบุปีงบประมาณ {0} ({w1})"),
    (r"states FY ([\d, ]+) instead of (\d+)", "ระบุปีงบประมาณ {0} ไม่ใช่ปีงบประมาณ {1}"),
    (r"its stated period does not include the current fiscal year", "ช่วงเวลาที่ระบุไม่ครอบคลุมปีงบประมาณที่ประเมิน"),
    (r"dated in the current fiscal year", "ลงวันที่ในปีงบประมาณที่ประเมิน"),
    (r"dated before the current fiscal year", "ลงวันที่ก่อนปีงบประมาณที่ประเมิน"),
    (r"FY (\d+) \((\w+)\)", "ปีงบประมาณ {0} ({w1})"),
    (r"FY ([\d, ]+) instead of (\d+) \((\w+)\)", "ปีงบประมาณ {0} ไม่ใช่ปีงบประมาณ {1} ({w2})"),
    (r"no date or fiscal year could be found", "ไม่พบวันที่หรือปีงบประมาณ"),
    (r"no fiscal year could be found", "ไม่พบปีงบประมาณ"),
    (r"covers FY (\d+) \((\w+)\)", "ครอบคลุมปีงบประมาณ {0} ({w1})"),
    (r"covers FY ([\d, ]+), not (\d+)", "ครอบคลุมปีงบประมาณ {0} ไม่ใช่ปีงบประมาณ {1}"),
    (r"six-month data is due from 1 April", "ข้อมูลรอบ 6 เดือนถึงกำหนดตั้งแต่ 1 เมษายน"),
    (r"covers October–March of FY (\d+) \((\w+)\)", "ครอบคลุม ต.ค.–มี.ค. ของปีงบประมาณ {0} ({w1})"),
    (r"FY (\d+) data ends before March", "ข้อมูลปีงบประมาณ {0} สิ้นสุดก่อนเดือนมีนาคม"),
    (r"covers an earlier fiscal year", "เป็นข้อมูลของปีงบประมาณก่อนหน้า"),
    (r"the period covered could not be found", "ไม่พบช่วงเวลาที่ข้อมูลครอบคลุม"),
    (r"a one-year plan, not a multi-year plan", "เป็นแผนปีเดียว ไม่ใช่แผนหลายปี"),
    (r"the plan's period could not be found", "ไม่พบระยะเวลาของแผน"),
    (r"multi-year period includes FY (\d+) \((\w+)\)", "ระยะเวลาของแผนครอบคลุมปีงบประมาณ {0} ({w1})"),
    (r"the plan's period does not include the current fiscal year", "ระยะเวลาของแผนไม่ครอบคลุมปีงบประมาณที่ประเมิน"),
    (r"in force \(no validity period stated\)", "ใช้บังคับอยู่ (ไม่ได้ระบุช่วงเวลาใช้บังคับ)"),
    (r"validity includes FY (\d+)", "ช่วงเวลาใช้บังคับครอบคลุมปีงบประมาณ {0}"),
    (r"stated validity period does not include the current fiscal year",
     "ช่วงเวลาใช้บังคับที่ระบุไม่ครอบคลุมปีงบประมาณที่ประเมิน"),
    (r"read by OCR \((.+)\); a person should check the scan",
     "อ่านจากภาพสแกนด้วย OCR ({0}) ควรให้เจ้าหน้าที่ตรวจภาพสแกนอีกครั้ง"),
    (r"read by OCR with low confidence \((\d+)%\); a person should check the scan",
     "อ่านจากภาพสแกนด้วย OCR ความมั่นใจต่ำ ({0}%) ควรให้เจ้าหน้าที่ตรวจภาพสแกนอีกครั้ง"),
    (r"no URL submitted for this item", "ไม่ได้ระบุ URL ที่จะส่งสำหรับข้อนี้"),
    (r"the submitted URLs do not show it", "URL ที่จะส่งไม่แสดงข้อมูลนี้"),
    (r"required elements missing", "ขาดองค์ประกอบที่กำหนด"),
    (r"the head shown is not the one who signs FY (\d+) documents",
     "ผู้บริหารสูงสุดที่แสดงไม่ใช่ผู้ลงนามในเอกสารปีงบประมาณ {0} (อาจพ้นจากตำแหน่งแล้ว)"),
    (r"an account on a social or chat platform", "เป็นบัญชีบนสื่อสังคมออนไลน์หรือช่องทางแชท"),
    (r"nothing found", "ไม่พบ"),
    (r"hosted outside the main website: (.+) \((.+)\); it asks for access rights or a login, so an assessor "
     r"cannot open it", "อยู่นอกเว็บไซต์หลัก บน {0} ({1}) และต้องขอสิทธิ์หรือเข้าสู่ระบบก่อน ผู้ประเมินจึงเปิดดูไม่ได้"),
    (r"hosted outside the main website: (.+) \((.+)\)", "อยู่นอกเว็บไซต์หลัก บน {0} ({1})"),
    (r"hosted outside the main website \((.+)\)", "อยู่นอกเว็บไซต์หลัก ({0})"),
    (r"placeholder link '(.*)'", "ลิงก์ที่ไม่มีปลายทาง '{0}'"),
    (r"placeholder link", "ลิงก์ที่ไม่มีปลายทาง"),
    (r"a login for staff, not open to the public", "เป็นหน้าเข้าสู่ระบบของเจ้าหน้าที่ ประชาชนใช้ไม่ได้"),
    (r"a working form", "มีแบบฟอร์มที่ประชาชนใช้งานได้"),
    (r"e-mail channel", "ช่องทางอีเมล"),
    (r"the page describes the service but has no form", "หน้านี้อธิบายบริการแต่ไม่มีแบบฟอร์มให้ใช้งาน"),
    (r"no month is due yet", "ยังไม่มีเดือนที่ถึงกำหนด"),
    (r"(\d+) required months present", "มีครบ {0} เดือนที่กำหนด"),
    (r"no month of the current fiscal year", "ไม่มีเดือนใดของปีงบประมาณที่ประเมิน"),
    (r"a required month is missing between months present", "ขาดบางเดือนระหว่างเดือนที่มี"),
    (r"the series stops early", "ข้อมูลรายเดือนหยุดก่อนเดือนล่าสุดที่กำหนด"),
    (r"no text layer \(scanned or image\): needs OCR or a person to read it",
     "ไม่มีข้อความในไฟล์ (เป็นภาพสแกน) ต้องให้เจ้าหน้าที่อ่านตรวจ"),
    (r"HTTP (\w+)", "เปิดไม่ได้ (HTTP {0})"),
]
_COMPILED = [(re.compile(f"^{p}$"), t) for p, t in _THAI]


def say(detail: str, lang: str) -> str:
    """The explanation in the report's language; an untranslated detail stays as written."""
    if lang != "th" or not detail:
        return detail
    for pattern, template in _COMPILED:
        m = pattern.match(detail)
        if m:
            groups = tuple(say(g, lang) for g in m.groups())  # a nested explanation is translated too
            where = {f"w{i}": _WHERE.get(g, g) for i, g in enumerate(groups)}
            return template.format(*groups, **where)
    return detail
