from datetime import date

import pytest

from checks.dates import Found, find_dates

TODAY = date(2025, 6, 1)  # steers 2-digit years only


def _find(text: str, today: date = TODAY) -> list[Found]:
    found = find_dates(text, today=today)
    for f in found:  # every match must point into the caller's string unchanged
        assert text[f.pos : f.pos + len(f.text)] == f.text
        assert f.start <= f.end
    assert [f.pos for f in found] == sorted(f.pos for f in found)
    return found


def _one(text: str, today: date = TODAY) -> Found:
    found = _find(text, today)
    assert len(found) == 1, found
    return found[0]


D = date


# --------------------------------------------------------------------------- single dates

DAYS = [
    # (text, expected date, expected matched text or None for "the whole input")
    ("ประกาศ ณ วันที่ ๑๕ ตุลาคม พ.ศ. ๒๕๖๗", D(2024, 10, 15), "๑๕ ตุลาคม พ.ศ. ๒๕๖๗"),
    ("15 ตุลาคม 2567", D(2024, 10, 15), None),
    ("วันพุธที่ ๒๒ มกราคม ๒๕๖๘", D(2025, 1, 22), "๒๒ มกราคม ๒๕๖๘"),
    ("สิ้นสุด ๓๑ ธันวาคม ๒๕๖๗ เวลา ๑๖.๓๐ น.", D(2024, 12, 31), "๓๑ ธันวาคม ๒๕๖๗"),
    ("ภายในวันที่ 15 พ.ค.2568", D(2025, 5, 15), "15 พ.ค.2568"),
    ("วันที่ 22 เดือนมกราคม พ.ศ. 2568", D(2025, 1, 22), "22 เดือนมกราคม พ.ศ. 2568"),
    ("29 ก.พ. 2567", D(2024, 2, 29), None),  # leap day: valid only once 2567 -> 2024
    ("๒๙ กุมภาพันธ์ ๒๕๖๗", D(2024, 2, 29), None),
    ("๓๑ มีนาคม\n๒๕๖๘", D(2025, 3, 31), None),  # PDF line break between month and year
    ("31มี.ค.68", D(2025, 3, 31), None),  # no spaces at all
    ("31 มี.ค 68", D(2025, 3, 31), None),  # final dot missing
    ("31 มีค 68", D(2025, 3, 31), None),  # no dots
    ("1 ต. ค. 2567", D(2024, 10, 1), None),  # spaces inside the abbreviation
    ("7 ส.ค.67", D(2024, 8, 7), None),
    ("เมื่อ ๗ สิงหาคม ๖๗", D(2024, 8, 7), "๗ สิงหาคม ๖๗"),
    ("15 กุย. 2567", D(2024, 9, 15), None),  # OCR reading of ก.ย.
    ("15 พุย. 2567", D(2024, 11, 15), None),  # OCR reading of พ.ย.
    ("10 กรกฏาคม 2568", D(2025, 7, 10), None),  # common misspelling of กรกฎาคม
    ("1 ม ีนาคม 2568", D(2025, 3, 1), None),  # extraction space before a vowel mark
    ("31\u200bมีนาคม 2568", D(2025, 3, 31), None),  # zero-width space
    ("อัปเดตล่าสุด: 3 ก.ค. 2025", D(2025, 7, 3), "3 ก.ค. 2025"),  # C.E. year with Thai month
    ("Last updated: 14 October 2024", D(2024, 10, 14), "14 October 2024"),
    ("March 14, 2023", D(2023, 3, 14), None),
    ("Posted on Mar 14 2023", D(2023, 3, 14), "Mar 14 2023"),
    ("มีนาคม 14, 2023", D(2023, 3, 14), None),  # WordPress with a Thai locale
    ("14 Mar. 2023", D(2023, 3, 14), None),
    ("14th of March 2023", D(2023, 3, 14), None),
    ("12/03/2568", D(2025, 3, 12), None),
    ("12/03/2025", D(2025, 3, 12), None),
    ("12-03-2568", D(2025, 3, 12), None),
    ("12.03.2568", D(2025, 3, 12), None),
    ("๑๒/๐๓/๒๕๖๘", D(2025, 3, 12), None),
    ("12/03/68", D(2025, 3, 12), None),
    ("03/14/2023", D(2023, 3, 14), None),  # month/day order, recognisable only when day > 12
    ("2025-03-12", D(2025, 3, 12), None),
    ("2568-03-12", D(2025, 3, 12), None),
    ("เผยแพร่ 2025-03-12T10:00:00+07:00", D(2025, 3, 12), "2025-03-12"),
    ("/wp-content/2025/03/12/news-1", D(2025, 3, 12), "2025/03/12"),
]


@pytest.mark.parametrize(("text", "day", "matched"), DAYS)
def test_single_day(text: str, day: date, matched: str | None) -> None:
    f = _one(text)
    assert (f.kind, f.start, f.end) == ("day", day, day)
    assert f.text == (matched if matched is not None else text)


@pytest.mark.parametrize(
    ("text", "today", "day"),
    [
        ("15 ต.ค. 67", D(2025, 6, 1), D(2024, 10, 15)),  # 2567 B.E. is nearer than 2067
        ("3 ก.ค. 25", D(2025, 6, 1), D(2025, 7, 3)),  # 2025 C.E. is nearer than 2525 B.E.
        ("12/03/68", D(2024, 1, 1), D(2025, 3, 12)),
        ("1 ม.ค. 70", D(2026, 6, 1), D(2027, 1, 1)),
    ],
)
def test_two_digit_year_by_nearness(text: str, today: date, day: date) -> None:
    assert _one(text, today).start == day


# --------------------------------------------------------------------------- months

MONTHS = [
    ("ประจำเดือน ตุลาคม 2567", D(2024, 10, 1), D(2024, 10, 31), "เดือน ตุลาคม 2567"),
    ("ต.ค. 67", D(2024, 10, 1), D(2024, 10, 31), None),
    ("เดือนมกราคม พ.ศ. 2568", D(2025, 1, 1), D(2025, 1, 31), None),
    ("ประจำเดือน ก.พ. 2567", D(2024, 2, 1), D(2024, 2, 29), "เดือน ก.พ. 2567"),  # leap February
    ("ธ.ค.67", D(2024, 12, 1), D(2024, 12, 31), None),
    ("สขร.1 มค 68", D(2025, 1, 1), D(2025, 1, 31), "มค 68"),
    ("รายงานประจำเดือนพฤศจิกายน ๒๕๖๗", D(2024, 11, 1), D(2024, 11, 30), "เดือนพฤศจิกายน ๒๕๖๗"),
    ("สรุปผล มิ.ย.68", D(2025, 6, 1), D(2025, 6, 30), "มิ.ย.68"),
    ("October 2024", D(2024, 10, 1), D(2024, 10, 31), None),
    ("ข้อ 45 มีนาคม 2568", D(2025, 3, 1), D(2025, 3, 31), "มีนาคม 2568"),  # 45 is not a day
]


@pytest.mark.parametrize(("text", "start", "end", "matched"), MONTHS)
def test_month(text: str, start: date, end: date, matched: str | None) -> None:
    f = _one(text)
    assert (f.kind, f.start, f.end, f.role) == ("month", start, end, "period")
    assert f.text == (matched if matched is not None else text)


# --------------------------------------------------------------------------- ranges

RANGES = [
    ("1 ตุลาคม 2567 – 31 มีนาคม 2568", D(2024, 10, 1), D(2025, 3, 31), None),
    ("ต.ค. 67 – มี.ค. 68", D(2024, 10, 1), D(2025, 3, 31), None),
    ("ตุลาคม 2567 - มีนาคม 2568", D(2024, 10, 1), D(2025, 3, 31), None),
    ("1 ต.ค. 67 ถึง 31 มี.ค. 68", D(2024, 10, 1), D(2025, 3, 31), None),
    ("ระหว่างวันที่ 1 ตุลาคม 2567 ถึงวันที่ 31 ธันวาคม 2567", D(2024, 10, 1), D(2024, 12, 31),
     "1 ตุลาคม 2567 ถึงวันที่ 31 ธันวาคม 2567"),
    ("ตั้งแต่วันที่ 1 ต.ค. 2567 ถึง 30 ก.ย. 2568", D(2024, 10, 1), D(2025, 9, 30),
     "1 ต.ค. 2567 ถึง 30 ก.ย. 2568"),
    ("1-31 ตุลาคม 2567", D(2024, 10, 1), D(2024, 10, 31), None),
    ("วันที่ ๑ - ๑๕ ต.ค. ๖๗", D(2024, 10, 1), D(2024, 10, 15), "๑ - ๑๕ ต.ค. ๖๗"),
    ("มกราคม - มีนาคม 2568", D(2025, 1, 1), D(2025, 3, 31), None),  # year only at the end
    ("ต.ค. - ธ.ค. 67", D(2024, 10, 1), D(2024, 12, 31), None),
    ("1 ต.ค. – 31 ธ.ค. 2567", D(2024, 10, 1), D(2024, 12, 31), None),
    ("1 พ.ย. - 31 ม.ค. 2568", D(2024, 11, 1), D(2025, 1, 31), None),  # start in the year before
    ("01/10/2567 - 31/03/2568", D(2024, 10, 1), D(2025, 3, 31), None),
    ("1 October 2024 to 31 March 2025", D(2024, 10, 1), D(2025, 3, 31), None),
    ("ต.ค. 67 - 31 มี.ค. 68", D(2024, 10, 1), D(2025, 3, 31), None),
    ("1 ตุลาคม 2567\n–\n31 มีนาคม 2568", D(2024, 10, 1), D(2025, 3, 31), None),
    ("รอบ 6 เดือน (ต.ค.67 - มี.ค.68)", D(2024, 10, 1), D(2025, 3, 31), "ต.ค.67 - มี.ค.68"),
    ("ต.ค. 67 – มิ.ย. 68", D(2024, 10, 1), D(2025, 6, 30), None),
]


@pytest.mark.parametrize(("text", "start", "end", "matched"), RANGES)
def test_range(text: str, start: date, end: date, matched: str | None) -> None:
    f = _one(text)  # a single range, never its two ends as separate dates
    assert (f.kind, f.start, f.end, f.role) == ("range", start, end, "period")
    assert f.text == (matched if matched is not None else text)


# --------------------------------------------------------------------------- fiscal years

FY2568 = (D(2024, 10, 1), D(2025, 9, 30))

FYS = [
    ("ปีงบประมาณ พ.ศ. 2568", None),
    ("ปีงบประมาณ 2568", None),
    ("แผนการจัดซื้อจัดจ้าง ประจำปีงบประมาณ 2568", "ประจำปีงบประมาณ 2568"),
    ("ประจำปีงบประมาณ พ.ศ.๒๕๖๘", None),
    ("ปีงบ 68", None),
    ("ปีงบประมาณ 68", None),
    ("แผนปฏิบัติการ ประจำปี พ.ศ. 2568", "ประจำปี พ.ศ. 2568"),
    ("ประจำปี 2568", None),
    ("ปี พ.ศ. 2568", None),
    ("ข้อมูลปี 2568", "ปี 2568"),
    ("ปี งบประมาณ\n2568", None),
    ("FY2025", None),
    ("FY 2025", None),
    ("fiscal year 2025", None),
    ("Fiscal Year 2025 report", "Fiscal Year 2025"),
    ("ปีงบประมาณ 2568 หน่วยงานภาครัฐ", "ปีงบประมาณ 2568"),  # หน่วย(งาน) is not a unit here
    ("ปีงบประมาณ 2568 รายงานผลการดำเนินงาน", "ปีงบประมาณ 2568"),
    ("ประชุมประจำปี 2568 ครั้งที่ 1", "ประจำปี 2568"),
    ("ประจำปี 2568 ตัวชี้วัดที่ 1", "ประจำปี 2568"),
    ("ปีงบประมาณ ค.ศ. 2025", None),
]


@pytest.mark.parametrize(("text", "matched"), FYS)
def test_fiscal_year_phrase(text: str, matched: str | None) -> None:
    f = _one(text)
    assert (f.kind, (f.start, f.end), f.role) == ("fy", FY2568, "period")
    assert f.text == (matched if matched is not None else text)


FY_RANGES = [
    ("พ.ศ. 2566–2570", None),
    ("แผนพัฒนาบุคลากร (พ.ศ. 2566 - 2570)", "พ.ศ. 2566 - 2570"),
    ("ปี 2566-2570", None),
    ("ปีงบประมาณ 2566 - 2570", None),
    ("พ.ศ. 2566 – พ.ศ. 2570", None),
    ("พ.ศ. ๒๕๖๖-๗๐", None),
    ("แผนพัฒนาท้องถิ่น (2566-2570).pdf", "2566-2570"),
]


@pytest.mark.parametrize(("text", "matched"), FY_RANGES)
def test_fy_range(text: str, matched: str | None) -> None:
    f = _one(text)
    assert (f.kind, f.start, f.end, f.role) == ("fy_range", D(2022, 10, 1), D(2027, 9, 30), "period")
    assert f.text == (matched if matched is not None else text)


@pytest.mark.parametrize(
    ("text", "matched", "fy"),
    [
        ("แผน_2568.pdf", "2568", 2568),
        ("https://x.go.th/ITA/2568/O05/plan.pdf", "2568", 2568),
        ("67.O05-แผน.pdf", "67", 2567),
        ("ITA-67 O12", "67", 2567),
        ("คู่มือฉบับปรับปรุง พ.ศ. 2563", "พ.ศ. 2563", 2563),  # an edition year, not a period
        ("คำสั่งที่ 12/2568", "2568", 2568),
        ("อ.ส.ค. 2567", "2567", 2567),  # dotted acronym: ส.ค. here is not August
    ],
)
def test_bare_year(text: str, matched: str, fy: int) -> None:
    f = _one(text)
    assert (f.kind, f.text, f.role) == ("year", matched, "")
    assert (f.start, f.end) == (D(fy - 544, 10, 1), D(fy - 543, 9, 30))


# --------------------------------------------------------------------------- half years, quarters

PARTS = [
    ("รอบ 6 เดือน ประจำปีงบประมาณ 2568", D(2024, 10, 1), D(2025, 3, 31), None),
    ("รายงานผลรอบ ๖ เดือน ปีงบประมาณ ๒๕๖๘", D(2024, 10, 1), D(2025, 3, 31), "รอบ ๖ เดือน ปีงบประมาณ ๒๕๖๘"),
    ("รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2568 รอบ 6 เดือน", D(2024, 10, 1), D(2025, 3, 31),
     "ประจำปีงบประมาณ พ.ศ. 2568 รอบ 6 เดือน"),
    ("รอบ 6 เดือนแรก ของปีงบประมาณ 2568", D(2024, 10, 1), D(2025, 3, 31), None),
    ("รอบ 12 เดือน ประจำปีงบประมาณ 2568", D(2024, 10, 1), D(2025, 9, 30), None),
    ("รอบ 9 เดือน ปีงบประมาณ 2568", D(2024, 10, 1), D(2025, 6, 30), None),
    ("ครึ่งปีแรก ปีงบประมาณ 2568", D(2024, 10, 1), D(2025, 3, 31), None),
    ("ครึ่งปีหลัง ปีงบประมาณ 2568", D(2025, 4, 1), D(2025, 9, 30), None),
    ("ไตรมาสที่ 1 ปีงบประมาณ 2568", D(2024, 10, 1), D(2024, 12, 31), None),
    ("ไตรมาสที่ 2 ปีงบประมาณ 2568", D(2025, 1, 1), D(2025, 3, 31), None),
    ("ไตรมาสที่ ๓ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", D(2025, 4, 1), D(2025, 6, 30), None),
    ("ไตรมาส 4/2568", D(2025, 7, 1), D(2025, 9, 30), None),
    ("Q2 FY2025", D(2025, 1, 1), D(2025, 3, 31), None),
]


@pytest.mark.parametrize(("text", "start", "end", "matched"), PARTS)
def test_half_year_and_quarter(text: str, start: date, end: date, matched: str | None) -> None:
    f = _one(text)
    assert (f.kind, f.start, f.end, f.role) == ("range", start, end, "period")
    assert f.text == (matched if matched is not None else text)


def test_half_year_without_fiscal_year_is_nothing() -> None:
    assert _find("รายงานผลการดำเนินงาน รอบ 6 เดือน") == []


def test_two_anchors_share_one_fiscal_year() -> None:
    found = _find("รอบ 6 เดือน และรอบ 12 เดือน ประจำปีงบประมาณ 2568")
    assert [(f.text, f.end) for f in found] == [
        ("รอบ 6 เดือน", D(2025, 3, 31)),
        ("รอบ 12 เดือน ประจำปีงบประมาณ 2568", D(2025, 9, 30)),
    ]


# --------------------------------------------------------------------------- roles

ROLES = [
    ("ประกาศ ณ วันที่ 15 ตุลาคม 2567", "issued"),
    ("ประกาศ  ณ  วันที่  ๑๕  ตุลาคม  ๒๕๖๗", "issued"),
    ("ให้ไว้ ณ วันที่ 1 ตุลาคม 2567", "issued"),
    ("สั่ง ณ วันที่ 3 มกราคม พ.ศ. 2568", "issued"),
    ("หนังสือ ลงวันที่ 5 ก.พ. 68", "issued"),
    ("ประกาศ ณ วันพุธที่ 22 มกราคม 2568", "issued"),
    ("ที่ กท ๕๕๐๑/๑๒๓   วันที่ ๑๕ ตุลาคม ๒๕๖๗", "issued"),  # memo header on one line
    ("บันทึกข้อความ\nส่วนราชการ สำนักงานเขต\nที่ กท 5501/123\nวันที่ 15 ตุลาคม 2567", "issued"),
    ("วันที่ 15 ตุลาคม 2567", "issued"),  # "วันที่" opening a line
    ("ข้อมูล ณ วันที่ 31 มีนาคม 2568", "as_of"),
    ("ข้อมูล ณ 31 มี.ค. 68", "as_of"),
    ("(ณ วันที่ 30 กันยายน 2567)", "as_of"),
    ("Data as of 31 March 2025", "as_of"),
    ("ประจำเดือน 1 ตุลาคม 2567", "period"),
    ("ระหว่าง 15 ต.ค. 67", "period"),
    ("เมื่อวันที่ 15 ตุลาคม 2567", ""),
    ("ประชุมเมื่อวันที่ 15 ตุลาคม 2567", ""),
    ("ประมาณ 31 มีนาคม 2568", ""),  # ประมาณ ends in ณ but is not "ณ"
    ("งบประมาณ 31 มีนาคม 2568", ""),
    ("15 ตุลาคม 2567", ""),
]


@pytest.mark.parametrize(("text", "role"), ROLES)
def test_role(text: str, role: str) -> None:
    f = _one(text)
    assert f.kind == "day"
    assert f.role == role


def test_role_of_periods_and_years() -> None:
    found = _find("แผน ประจำปีงบประมาณ 2568 ต.ค. 67 ไฟล์ 2569.pdf")
    assert [(f.kind, f.role) for f in found] == [("fy", "period"), ("month", "period"), ("year", "")]


# --------------------------------------------------------------------------- guards

NOT_DATES = [
    "งบประมาณ 25,000 บาท",
    "งบประมาณ 50 ล้าน",
    "ปีงบประมาณ 50 ล้านบาท",
    "งบประมาณ 2568 บาท",
    "ราคา 2,568 บาท",
    "ราคากลาง 2568.50 บาท",
    "รวม 2568 บาท",
    "จำนวน 2,500 คน",
    "จำนวน 2500 คน",
    "ได้ 2600 คะแนน",
    "พื้นที่ 2450 ไร่",
    "2568 รายการ",
    "โทร 02-123-2568",
    "โทร. 0 2123 2568",
    "โทรศัพท์ (02) 123 2568",
    "มือถือ 081-234-2568",
    "Tel. 0-2123-2568",
    "กรุงเทพมหานคร 10200",
    "รหัสไปรษณีย์ 10250",
    "O25",
    "ข้อ O25 และ O26 ของแบบ OIT",
    "version 2.2568",
    "v2568",
    "เวอร์ชัน 2568.1",
    "เลขที่ 12568",
    "1,234,567.89",
    "ทรัพย์สิน 67 รายการ",
    "ตุลาการ 67 คน",
    "มกราคม 31 วัน",
    "ต.คณะ 67",
    "29 ก.พ. 2568",  # 2025 is not a leap year
    "31 เม.ย. 2568",  # April has 30 days
    "31/04/2568",
    "30 กุมภาพันธ์ 2567",
    "ปี 25",
    "Q5 2025",
    "",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text: str) -> None:
    assert _find(text) == []


def test_amount_next_to_a_real_year() -> None:
    found = _find("ปีงบประมาณ 2568 งบประมาณ 25,000 บาท โทร 02-123-2568")
    assert [(f.kind, f.text) for f in found] == [("fy", "ปีงบประมาณ 2568")]


# --------------------------------------------------------------------------- overlaps and order


def test_day_beats_its_month_and_year() -> None:
    f = _one("ประกาศ ณ วันที่ 15 ตุลาคม พ.ศ. 2567")
    assert (f.kind, f.text) == ("day", "15 ตุลาคม พ.ศ. 2567")


def test_fy_and_explicit_range_side_by_side() -> None:
    found = _find("ประจำปีงบประมาณ 2568 (1 ต.ค. 67 - 30 ก.ย. 68)")
    assert [(f.kind, f.start, f.end) for f in found] == [
        ("fy", *FY2568),
        ("range", *FY2568),
    ]


def test_many_dates_in_order_with_positions() -> None:
    text = (
        "รายงานสรุปผลการจัดซื้อจัดจ้าง ประจำเดือน ตุลาคม ๒๕๖๗\n"
        "ข้อมูล ณ วันที่ 31 ต.ค. 67   ไฟล์: /ITA/2568/O12/oct.pdf\n"
        "แผนพัฒนา (พ.ศ. 2566-2570) งบประมาณ 25,000 บาท โทร 02-123-2568\n"
        "ประกาศ ณ วันที่ 5 พฤศจิกายน พ.ศ. 2567"
    )
    found = _find(text)
    assert [(f.kind, f.text, f.role) for f in found] == [
        ("month", "เดือน ตุลาคม ๒๕๖๗", "period"),
        ("day", "31 ต.ค. 67", "as_of"),
        ("year", "2568", ""),
        ("fy_range", "พ.ศ. 2566-2570", "period"),
        ("day", "5 พฤศจิกายน พ.ศ. 2567", "issued"),
    ]
    assert found[1].pos == text.index("31 ต.ค. 67")


def test_odd_input_never_raises() -> None:
    for text in ["๐๐/๐๐/๐๐๐๐", "99/99/9999", "0-0-0", "ต.ค." * 50, "-" * 1000, "2568-" * 100, "\x00\ufeff"]:
        _find(text)


def test_default_today_is_used() -> None:
    assert find_dates("1 ตุลาคม 2567")[0].start == D(2024, 10, 1)


def test_large_text() -> None:
    block = (
        "สำนักงานเขตได้ดำเนินการตามแผนปฏิบัติการ และรายงานผลต่อผู้บริหาร งบประมาณ 25,000 บาท "
        "โทร 02-123-2568 ประกาศ ณ วันที่ ๑๕ ตุลาคม พ.ศ. ๒๕๖๗ รายละเอียดตามเอกสารแนบท้ายประกาศนี้ "
        "ข้อมูลการเปิดเผยต่อสาธารณะ ตามหลักเกณฑ์การประเมินคุณธรรมและความโปร่งใส ในการดำเนินงาน "
        "ของหน่วยงานภาครัฐ ต.ค. 67 – มี.ค. 68 ปีงบประมาณ 2568 ข้อ O25 รหัสไปรษณีย์ 10200\n"
    )
    n = 200_000 // len(block) + 1
    text = block * n
    assert len(text) >= 200_000
    found = find_dates(text, today=TODAY)
    assert len(found) == 3 * n
    assert {f.kind for f in found} == {"day", "range", "fy"}
