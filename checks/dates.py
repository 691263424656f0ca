"""Find dates, months, ranges and fiscal years in Thai (and English) free text.

Input is raw extracted text (HTML, PDF, OCR). Thai digits are mapped one-to-one to Arabic digits
and whitespace, line breaks and stray spaces are tolerated *inside* the patterns, so the text is
never rewritten and every ``Found.pos``/``Found.text`` points into the caller's string.

Pipeline: (1) atoms - each month name is located once and expanded left (day, day range) and
right (year, or "day, year" as WordPress prints); numeric/ISO dates; fiscal-year phrases; bare
years. (2) ranges - two atoms joined by a separator. (3) quarters and "รอบ 6 เดือน" phrases
borrow a nearby fiscal year. (4) overlaps - the longest (then most specific) candidate wins.
(5) roles from the words just before each date. See frameworks README §2 for the semantics.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from checks.fiscal import fy_bounds, fy_month, month_end, quarter_bounds


@dataclass(frozen=True)
class Found:
    kind: str  # "day" | "month" | "range" | "fy" | "fy_range" | "year"
    start: date  # first day covered
    end: date  # last day covered (== start for a day)
    text: str  # the matched text exactly as in the input
    pos: int  # offset of the match in the input string
    role: str = ""  # "issued" | "as_of" | "period" | ""


# --------------------------------------------------------------------------- building blocks

_W = r"[\s\u200b\u200c\u200d\ufeff]"  # \s already covers NBSP; zero-width chars are not \s
_S = _W + "*"
_WS_CHARS = " \t\r\n\v\f\u00a0\u3000\u200b\u200c\u200d\ufeff"
_s = r"[ \u200b]?"  # one stray space inside a word (PDF extraction inserts them before marks)
_TH = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e"  # Thai letters, vowels and marks (no digits)
_MARKS = frozenset(chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4E)])
_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2212~"
_DASH_SET = frozenset(_DASH)


def _word(w: str) -> str:
    """Regex for a Thai word that tolerates a stray space before each combining mark."""
    return "".join(_s + re.escape(c) if c in _MARKS else re.escape(c) for c in w)


# Speed: every top-level alternative starts with a literal character and any "what precedes"
# test is a lookbehind placed *after* that character. re can then skip straight to candidate
# characters; a leading lookbehind makes it try every position (about 10x slower on 200 KB).


def _nb(c: str, *before: str) -> str:
    """Literal ``c`` not preceded by any of the fixed-width patterns ``before``."""
    return re.escape(c) + "".join(f"(?<!{b}{re.escape(c)})" for b in before)


def _cased(first: str, rest: str) -> list[str]:
    """An ASCII word starting a token, in both cases of its first letter, rest case-insensitive."""
    return [f"{_nb(f, '[A-Za-z]')}(?i:{rest})" for f in (first.upper(), first.lower())]


# month, full names (incl. common misspellings), short forms, abbreviation syllable pairs.
# ("กุ", "ย") and ("พุ", "ย") are OCR readings of ก.ย. / พ.ย. (the dot read as sara u).
_TH_MONTHS: list[tuple[int, list[str], list[str], list[tuple[str, str]]]] = [
    (1, ["มกราคม"], ["มกรา"], [("ม", "ค")]),
    (2, ["กุมภาพันธ์", "กุมภาพันธ"], ["กุมภา"], [("ก", "พ")]),
    (3, ["มีนาคม"], ["มีนา"], [("มี", "ค")]),
    (4, ["เมษายน"], ["เมษา"], [("เม", "ย")]),
    (5, ["พฤษภาคม"], ["พฤษภา"], [("พ", "ค")]),
    (6, ["มิถุนายน"], ["มิถุนา"], [("มิ", "ย")]),
    (7, ["กรกฎาคม", "กรกฏาคม"], ["กรกฎา", "กรกฏา"], [("ก", "ค")]),
    (8, ["สิงหาคม"], ["สิงหา"], [("ส", "ค")]),
    (9, ["กันยายน"], ["กันยา"], [("ก", "ย"), ("กุ", "ย")]),
    (10, ["ตุลาคม"], ["ตุลา"], [("ต", "ค")]),
    (11, ["พฤศจิกายน"], ["พฤศจิกา"], [("พ", "ย"), ("พุ", "ย")]),
    (12, ["ธันวาคม"], ["ธันวา"], [("ธ", "ค")]),
]
_EN_MONTHS = [
    ("j", "an(?:uary)?"), ("f", "eb(?:ruary)?"), ("m", "ar(?:ch)?"), ("a", "pr(?:il)?"), ("m", "ay"),
    ("j", "une?"), ("j", "uly?"), ("a", "ug(?:ust)?"), ("s", "ep(?:t(?:ember)?)?"), ("o", "ct(?:ober)?"),
    ("n", "ov(?:ember)?"), ("d", "ec(?:ember)?"),
]
_EN_KEYS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _month_regex() -> tuple[str, dict[str, int]]:
    lookup: dict[str, int] = {}
    alts: list[tuple[str, str]] = []  # (first character, rest of the pattern)
    for num, fulls, shorts, pairs in _TH_MONTHS:
        for w in fulls + shorts:
            lookup[w] = num
        alts += [(w[0], _word(w)[1:]) for w in fulls]
        alts += [(w[0], rf"{_word(w)[1:]}(?![{_TH}])") for w in shorts]
        for a, b in pairs:
            lookup[a + b] = num
            c, rest_a, rb = a[0], _word(a)[1:], _word(b)
            # A dot before it means another dotted acronym ("อ.ส.ค." is an organisation, not
            # August). "ต.ค" without the final dot must not run into a word ("ต.คณะ").
            alts.append((c, rf"(?<!\.{c})(?<!\.\s{c}){rest_a}{_s}\.{_s}{rb}(?:{_s}\.|(?![{_TH}]))"))
            # Undotted "ตค" only at a word start (or right after เดือน): inside words it is noise.
            alts.append((c, rf"(?:(?<![{_TH}]{c})|(?<=เดือน{c})){rest_a}{rb}(?:\.|(?![{_TH}]))"))
    for first, rest in _EN_MONTHS:
        for f in (first.upper(), first.lower()):
            alts.append((f, rf"(?<![A-Za-z]{f})(?i:{rest})(?![A-Za-z])\.?"))
    for i, key in enumerate(_EN_KEYS):
        lookup[key] = i + 1
    # One branch per first character (re does not factor common prefixes itself), longest
    # alternative first so that a full name wins over its own short form.
    groups: dict[str, list[str]] = {}
    for c, rest in alts:
        groups.setdefault(c, []).append(rest)
    pattern = "|".join(
        f"{re.escape(c)}(?:{'|'.join(sorted(rests, key=len, reverse=True))})" for c, rests in groups.items()
    )
    return pattern, lookup


_MONTH, _MONTH_LOOKUP = _month_regex()
_STRIP = re.compile(r"[\s.\u200b\u200c\u200d\ufeff]")


@lru_cache(maxsize=1024)
def _month_number(token: str) -> int:
    key = _STRIP.sub("", token).lower()
    if key.isascii():
        key = key[:3]
    return _MONTH_LOOKUP.get(key, 0)


_ERA_ALTS = [
    rf"พ{_s}\.?{_s}ศ{_s}\.?",
    rf"ค{_s}\.?{_s}ศ{_s}\.?",
    *(rf"{_nb(a, '[A-Za-z]')}{_s}\.?{_s}{b}(?![A-Za-z])\.?" for a, b in ("BE", "AD", "CE")),
]
_ERA = "(?:" + "|".join(_ERA_ALTS) + ")"
# A year is never followed by ",digit" or ".digit" (amounts 25,000 / 2568.50, versions).
_YEND = r"(?!\d)(?!,\d)(?!\.\d)"
_VANTHI = rf"วัน{_S}(?:(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์){_S})?ที่"  # วันที่, วันพุธที่

# --------------------------------------------------------------------------- compiled patterns

_R_MONTH = re.compile(_MONTH)
_R_RIGHT_DY = re.compile(rf"{_S}(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?{_S},?{_S}(?P<y>\d{{4}}){_YEND}")
_R_RIGHT_Y = re.compile(rf"{_S}(?:,{_S})?(?:(?P<era>{_ERA}){_S})?(?P<y>\d{{4}}|\d{{2}}){_YEND}")
_R_LEFT_RANGE = re.compile(
    rf"(?P<d1>\d(?<![\d.,:/]\d)\d?){_S}[{_DASH}]{_S}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?{_S}(?:เดือน{_S})?\Z"
)
_R_LEFT_DAY = re.compile(
    rf"(?P<d>\d(?<![\d.,:/]\d)\d?)(?:st|nd|rd|th)?{_S}(?:(?:of|เดือน){_S})?\Z"
)
_R_NUMERIC = re.compile(
    r"(?P<a>\d(?<![A-Za-z\d]\d)(?<!\d[.,/]\d)\d{0,3})[ ]?(?P<sep>[./\-])[ ]?(?P<b>\d{1,2})[ ]?(?P=sep)[ ]?"
    r"(?P<c>\d{1,4})(?!\d)(?![./\-]\d)"
)
_FY_PRE = "|".join([
    rf"ประจำ{_S}ปี{_S}งบ(?:{_S}ประมาณ)?",
    rf"ปี{_S}งบ(?:{_S}ประมาณ)?",
    rf"งบ{_S}ประมาณ",
    rf"ประจำ{_S}ปี",
    "ปี",
    *(rf"{x}(?![A-Za-z])" for x in _cased("f", rf"iscal{_S}year|\.?{_s}y\.?")),
    *_ERA_ALTS,  # era alone: "พ.ศ. 2566-2570" (a bare "พ.ศ. 2568" is only kind "year")
])
_R_FY = re.compile(
    rf"(?P<pre>{_FY_PRE}){_S}(?::{_S})?(?:(?P<era>{_ERA}){_S})?"
    rf"(?P<y>\d{{4}}|\d{{2}}){_YEND}"
    rf"(?:{_S}(?:[{_DASH}]|ถึง){_S}(?:(?:ปี|{_ERA}){_S}){{0,2}}(?P<y2>\d{{4}}|\d{{2}}){_YEND})?"
)
_R_BARE = re.compile(
    # Not after a digit, "1," / "1." (amounts), or "123-" / "123 " (phone numbers: 02-123-2568).
    rf"(?P<y>2(?<!\d2)(?<!\d[.,]2)(?<!\d[ \-]2)(?<!\d[ \-][ \-]2)[4-7]\d\d){_YEND}"
    rf"(?=(?P<rng>{_S}[{_DASH}]{_S}(?P<y2>2[4-7]\d\d){_YEND})?)"
)
# "67.O05-แผน", "67_O5", "ITA-67": a 2-digit B.E. year used as a file or folder prefix.
# Anchored on the item id's "O" (rare) rather than on digits (everywhere in tables).
_R_ITEM_O = re.compile(r"[Oo](?=\d{1,2}(?!\d))")
_R_FILEYEAR = re.compile(r"(?<![A-Za-z\d.])(?P<y>\d\d)[ ._\-]?\Z")
_R_ITAYEAR = re.compile(
    "(?:" + "|".join(_cased("i", "ta") + _cased("o", "it")) + r")[ _\-]?(?P<y>\d{2})(?!\d)"
)
_R_PART = re.compile(
    rf"ไตรมาส{_S}(?:ที่{_S})?(?P<q>[1-4])(?!\d)(?:{_S}/{_S}(?P<qy>\d{{4}}|\d{{2}}){_YEND})?"
    rf"|{_nb('Q', '[A-Za-z]')}(?P<q2>[1-4])(?!\d)(?:{_S}/{_S}(?P<qy2>\d{{4}}|\d{{2}}){_YEND})?"
    rf"|รอบ{_S}(?P<n>\d{{1,2}}|หก|สาม|เก้า|สิบสอง){_S}เดือน(?:{_S}(?P<h>แรก|หลัง))?"
    rf"|ครึ่ง{_S}ปี(?:{_S}งบ{_S}ประมาณ)?{_S}(?P<h2>แรก|หลัง)"
)
_R_SEP = re.compile(
    rf"{_S}(?:[{_DASH}]|จนถึง|ถึง|(?i:to|until|through|thru)(?![A-Za-z]))(?:{_S}{_VANTHI})?{_S}"
)
# Units that mark the number before them as a quantity, not a year. Most must stand as a word:
# "2568 หน่วยงาน", "2568 รายงาน", "2568 ครั้งที่ 1", "2568 ตัวชี้วัด", "2568 พันธกิจ" are years.
_UNITS = (
    r"บาท|ล้าน|แสน|หมื่น|พัน(?!ธ)|กิโล|เปอร์เซ็นต์|%|รายการ|(?i:baht|thb|million|km|kg)(?![A-Za-z])"
    rf"|(?:คน|ราย|ครั้ง|แห่ง|หน่วย|ชิ้น|เครื่อง|ตัว|ชั่วโมง|นาที|กม|กก|ตร|เมตร|ลิตร|คะแนน|ไร่|ตัน|เล่ม"
    rf"|แผ่น|ชุด|คัน|หลัง|ครัวเรือน)(?![{_TH}])"
)
_R_UNITS = re.compile(rf"{_S}(?:{_UNITS})")
# Stricter, for 2-digit years: also durations ("มกราคม 31 วัน") and clock times, but not
# "มี.ค. 68 ปีงบประมาณ" or "ต.ค. 67 วันที่ ...".
_R_UNITS2 = re.compile(rf"{_S}(?:{_UNITS}|(?:วัน|เดือน|ปี)(?![{_TH}])|โมง|น\.)")
# Cheap gate: most windows hold none of these words, so the \Z searches below rarely run.
_R_GUARD_WORD = re.compile("โทร|มือถือ|เบอร์|เวอร์|รุ่น|(?i:tel|fax|phone|v)")
_R_PHONE_BEFORE = re.compile(r"(?i:โทร\S*|tel\S*|fax\S*|phone|มือถือ|เบอร์\S*)[\s\d().:+\-]{0,20}\Z")
_R_VERSION_BEFORE = re.compile(r"(?:(?<![A-Za-z])(?i:v|ver|version)|เวอร์ชั่?น|รุ่น)\.?\s*\Z")

_R_ISSUED = re.compile(rf"(?:(?:ประกาศ|ให้ไว้|สั่ง){_S}ณ{_S}(?:{_VANTHI}{_S})?|ลง{_S}{_VANTHI}{_S})\Z")
# Bare ณ must stand alone: "ประมาณ"/"งบประมาณ" end in ณ too.
_R_ASOF = re.compile(
    rf"(?:(?:(?<![{_TH}])|(?<=ข้อมูล))ณ{_S}(?:{_VANTHI}{_S})?|(?<![A-Za-z])(?i:as\s+(?:of|at)){_S})\Z"
)
_R_PERIOD = re.compile(rf"(?:ประจำ{_S}เดือน|ระหว่าง|ตั้งแต่)(?:{_S}{_VANTHI})?{_S}\Z")
# Memo header (บันทึกข้อความ): "วันที่" opening a line, or after "ที่ <ref>/<no.>" on that line.
_R_MEMO = re.compile(r"[ \t\u200b]*(?:ที่[ \t]*[^\n/]{0,30}/[^\n]{0,30}?)?วัน[ \t\u200b]*ที่")

_THAI_NUM = {"หก": 6, "สาม": 3, "เก้า": 9, "สิบสอง": 12}
# "void" marks an impossible date (31 เม.ย. 2568): it wins its span so that no bare year is read
# out of it, and is then dropped.
_RANK = {"range": 6, "fy_range": 5, "day": 4, "fy": 3, "month": 2, "year": 1, "void": 0}
_MAX_RANGE = timedelta(days=366 * 10)


# --------------------------------------------------------------------------- helpers


@dataclass
class _Cand:
    s: int
    e: int
    kind: str  # a Found kind, or the range-only atoms "dm" (day+month) and "mo" (month alone)
    start: date | None = None
    end: date | None = None
    d: int = 0
    m: int = 0
    fy: int = 0  # B.E. fiscal year, for fy/year candidates


def _era(text: str | None) -> str:
    if not text:
        return ""
    return "be" if text.lstrip()[0] in "พB" else "ce"


@lru_cache(maxsize=4096)  # the same few years recur thousands of times in one document
def _year(raw: str, era: str, today: date, thai: bool = True) -> int | None:
    """C.E. year from a 2- or 4-digit year; None when implausible.

    4 digits: >= 2400 is B.E. (the spec's range rule), 1900-2199 C.E. 2 digits: 25yy B.E. or 20yy
    C.E., whichever is nearer to ``today`` (ties: B.E. after a Thai month, else C.E.), and only
    within -15/+5 years of it, so "มกราคม 31 วัน" cannot become 2031.
    """
    y = int(raw)
    if len(raw) == 4:
        if y >= 2400:
            return y - 543 if era != "ce" and y <= 2700 else None
        return y if era != "be" and 1900 <= y <= 2199 else None
    if len(raw) != 2:
        return None
    options: list[tuple[int, bool]] = []
    if era != "ce":
        options.append((2500 + y - 543, True))
    if era != "be":
        options.append((2000 + y, False))
    options = [o for o in options if today.year - 15 <= o[0] <= today.year + 5]
    if not options:
        return None
    return min(options, key=lambda o: (abs(o[0] - today.year), o[1] != thai))[0]


def _mkdate(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


_fy_bounds = lru_cache(maxsize=512)(fy_bounds)


def _fy_cand(s: int, e: int, kind: str, fy: int, fy2: int = 0) -> _Cand | None:
    if not 2400 <= fy <= 2700:
        return None
    start, end = _fy_bounds(fy)
    if fy2:
        end = _fy_bounds(fy2)[1]
    return _Cand(s, e, kind, start, end, fy=fy)


def _arabic(text: str) -> str:
    # str.replace per digit is ~20x faster than str.translate on Thai (non-Latin-1) text.
    for i, c in enumerate("๐๑๒๓๔๕๖๗๘๙"):
        if c in text:
            text = text.replace(c, str(i))
    return text


def _phone_or_version(before: str) -> bool:
    """Whether a number right after ``before`` is part of a phone number or a version."""
    if not _R_GUARD_WORD.search(before):
        return False
    return bool(_R_PHONE_BEFORE.search(before) or _R_VERSION_BEFORE.search(before[-12:]))


def _window(t: str, pos: int, width: int) -> str:
    return t[max(0, pos - width) : pos]


# --------------------------------------------------------------------------- atom finders


def _month_atoms(t: str, today: date, out: list[_Cand]) -> None:
    for mm in _R_MONTH.finditer(t):
        ms, me = mm.span()
        month = _month_number(mm.group())
        if not month:
            continue
        english = mm.group()[0].isascii()
        left = _window(t, ms, 30)
        lstart = ms - len(left)
        tail = left.rstrip(_WS_CHARS)
        s_month = ms
        if tail.endswith("เดือน"):  # "เดือนมกราคม" keeps its เดือน
            s_month = lstart + len(tail) - 5
        # The left-hand regexes are costly (searched, not anchored): run them only when a day
        # number can be there at all.
        has_day = tail[-1:].isdigit() or tail.endswith(("st", "nd", "rd", "th", "of", "เดือน"))

        dy = _R_RIGHT_DY.match(t, me)  # WordPress: "March 14, 2023", "มีนาคม 14, 2023"
        if dy:
            y = _year(dy.group("y"), "", today)
            day = _mkdate(y, month, int(dy.group("d"))) if y else None
            if day:
                out.append(_Cand(s_month, dy.end(), "day", day, day))
            continue

        ry = _R_RIGHT_Y.match(t, me)
        y = None
        if ry and not (english and len(ry.group("y")) == 2):
            y = _year(ry.group("y"), _era(ry.group("era")), today, thai=not english)
            if y and len(ry.group("y")) == 2 and _R_UNITS2.match(t, ry.end()):
                y = None
        ye = ry.end() if ry and y else me
        ld = _R_LEFT_DAY.search(left) if has_day else None
        # A day range needs a dash before the day number ("1-31 ตุลาคม").
        dash = ld is not None and left[: ld.start()].rstrip(_WS_CHARS)[-1:] in _DASH_SET
        lr = _R_LEFT_RANGE.search(left) if dash else None
        if lr and not (lr.start() == 0 and lstart > 0 and t[lstart - 1].isdigit()):
            d1, d2 = int(lr.group("d1")), int(lr.group("d2"))
            if 1 <= d1 < d2 <= 31:
                if y is None:
                    continue
                a, b = _mkdate(y, month, d1), _mkdate(y, month, d2)
                out.append(_Cand(lstart + lr.start(), ye, "range" if a and b else "void", a, b))
                continue  # an impossible day range (1-31 เม.ย.) is skipped, not read as a month
        if ld and (ld.start() > 0 or lstart == 0 or not t[lstart - 1].isdigit()):
            d = int(ld.group("d"))
            if 1 <= d <= 31:
                ds = lstart + ld.start()
                if y is None:
                    out.append(_Cand(ds, me, "dm", d=d, m=month))
                    continue
                day = _mkdate(y, month, d)
                out.append(_Cand(ds, ye, "day" if day else "void", day, day))
                continue  # 31 เม.ย.: an invalid date is dropped entirely
        if y is None:
            out.append(_Cand(s_month, me, "mo", m=month))
        else:
            out.append(_Cand(s_month, ye, "month", date(y, month, 1), month_end(y, month)))


def _numeric_atoms(t: str, today: date, out: list[_Cand]) -> None:
    for m in _R_NUMERIC.finditer(t):
        a, b, c, sep = m.group("a"), m.group("b"), m.group("c"), m.group("sep")
        if len(a) == 4:  # ISO order, B.E. or C.E. year
            if len(c) > 2:
                continue
            y, mo, d = _year(a, "", today), int(b), int(c)
        elif len(a) <= 2 and (len(c) == 4 or (len(c) == 2 and sep == "/")):
            y, d, mo = _year(c, "", today, thai=False), int(a), int(b)
            if mo > 12 and d <= 12:  # US order (03/14/2023) from English CMS templates
                d, mo = mo, d
        else:
            continue
        day = _mkdate(y, mo, d) if y else None
        out.append(_Cand(m.start(), m.end(), "day" if day else "void", day, day))


def _fy_atoms(t: str, today: date, out: list[_Cand]) -> None:
    for m in _R_FY.finditer(t):
        pre: str | None = m.group("pre")
        era = _era(m.group("era"))
        if pre[0] in "พคBbAaCc":  # an era on its own, not a fiscal-year word
            era, pre = _era(pre), None
        raw = m.group("y")
        pre_key = _STRIP.sub("", pre or "").lower()
        fy_word = ("งบ" in pre_key and pre_key.startswith(("ปี", "ประจำ"))) or pre_key.startswith("f")
        if len(raw) == 2 and not (era or fy_word):
            continue  # "ปี 25" / "งบประมาณ 50 ล้าน": 2-digit only with a fiscal word or an era
        if pre_key == "งบประมาณ" and not (len(raw) == 4 and int(raw) >= 2400):
            continue  # bare งบประมาณ is mostly followed by amounts
        ce = _year(raw, era, today)
        if ce is None:
            continue
        fy, end = ce + 543, m.end("y")
        fy2 = 0
        raw2 = m.group("y2")
        if raw2:
            if len(raw2) == 2:
                fy2 = fy // 100 * 100 + int(raw2)
            else:
                ce2 = _year(raw2, era, today)
                fy2 = ce2 + 543 if ce2 else 0
            if fy < fy2 <= fy + 20:
                end = m.end("y2")
            else:
                fy2 = 0
        units = _R_UNITS2 if len(raw2 if fy2 else raw) == 2 else _R_UNITS
        if units.match(t, end):
            continue
        kind = ("fy_range" if fy2 else "fy") if pre else ("fy_range" if fy2 else "year")
        c = _fy_cand(m.start(), end, kind, fy, fy2)
        if c:
            out.append(c)


def _bare_year_atoms(t: str, today: date, out: list[_Cand]) -> None:
    for m in _R_BARE.finditer(t):
        y = int(m.group("y"))
        if not 2400 <= y <= 2700:
            continue
        if _phone_or_version(_window(t, m.start(), 30)):
            continue
        y2 = int(m.group("y2")) if m.group("y2") else 0
        if y < y2 <= min(y + 20, 2700) and not _R_UNITS.match(t, m.end("rng")):
            c = _fy_cand(m.start(), m.end("rng"), "fy_range", y, y2)
        elif _R_UNITS.match(t, m.end()):
            continue
        else:
            c = _fy_cand(m.start(), m.end(), "year", y)
        if c:
            out.append(c)
    prefixes = (_R_FILEYEAR.search(t, max(0, o.start() - 3), o.start()) for o in _R_ITEM_O.finditer(t))
    for m in [*(p for p in prefixes if p), *_R_ITAYEAR.finditer(t)]:
        ce = _year(m.group("y"), "be", today)  # file-name prefixes are always B.E.
        if ce and not _R_UNITS2.match(t, m.end("y")):
            c = _fy_cand(m.start("y"), m.end("y"), "year", ce + 543)
            if c:
                out.append(c)


# --------------------------------------------------------------------------- combinations


def _ranges(t: str, atoms: list[_Cand], out: list[_Cand]) -> None:
    by_start: dict[int, list[_Cand]] = {}
    for a in atoms:
        by_start.setdefault(a.s, []).append(a)
    for a in atoms:
        if a.kind not in ("day", "month", "dm", "mo"):
            continue
        sep = _R_SEP.match(t, a.e)
        if not sep:
            continue
        for b in by_start.get(sep.end(), ()):
            if b.kind not in ("day", "month") or b.start is None or b.end is None:
                continue
            end = b.end
            by, bm, bd = b.start.year, b.start.month, (b.start.day if b.kind == "day" else 31)
            if a.kind in ("day", "month"):
                start = a.start
            elif a.kind == "dm":  # "1 ต.ค. – 31 ธ.ค. 2567": the year comes from the end
                start = _mkdate(by if (a.m, a.d) <= (bm, bd) else by - 1, a.m, a.d)
            else:  # "mo": "มกราคม - มีนาคม 2568"
                start = date(by if a.m <= bm else by - 1, a.m, 1)
            if start and start <= end and end - start <= _MAX_RANGE:
                out.append(_Cand(a.s, b.e, "range", start, end))


def _parts(t: str, today: date, fys: list[_Cand], out: list[_Cand]) -> None:
    """Quarters and "รอบ N เดือน" / "ครึ่งปีแรก" phrases, anchored to an inline or nearby fiscal year."""
    anchors = list(_R_PART.finditer(t))
    fys = sorted(fys, key=lambda c: c.s)
    starts = [c.s for c in fys]
    for i, m in enumerate(anchors):
        if m.group("q") or m.group("q2"):
            q = int(m.group("q") or m.group("q2"))
            first, last = 3 * q - 2, 3 * q
            raw = m.group("qy") or m.group("qy2")
        else:
            n_raw = m.group("n")
            n = 6 if n_raw is None else _THAI_NUM.get(n_raw) or int(n_raw)
            if not 1 <= n <= 12:
                continue
            second = (m.group("h") or m.group("h2")) == "หลัง"
            if second and n != 6:
                continue
            first, last = (7, 12) if second else (1, n)
            raw = None
        s, e = m.span()
        if raw:
            ce = _year(raw, "", today)
            if ce is None:
                continue
            fy = ce + 543
        else:
            fy_c = None
            j = bisect.bisect_left(starts, e)
            if j < len(fys) and fys[j].s - e <= 60:
                fy_c = fys[j]
                nxt = anchors[i + 1].start() if i + 1 < len(anchors) else len(t)
                # Span the year too, unless another anchor sits in between and shares it
                # ("รอบ 6 เดือน และรอบ 12 เดือน ประจำปีงบประมาณ 2568").
                if nxt >= fy_c.s:
                    e = fy_c.e
            else:
                j = bisect.bisect_left(starts, s) - 1
                while j >= 0 and fys[j].e > s:
                    j -= 1
                if j >= 0 and s - fys[j].e <= 30:
                    fy_c = fys[j]
                    s = fy_c.s
            if fy_c is None:
                continue
            fy = fy_c.fy
        if not 2400 <= fy <= 2700:
            continue
        if m.group("q") or m.group("q2"):
            start, end = quarter_bounds(fy, int(m.group("q") or m.group("q2")))
        else:
            y1, m1 = fy_month(fy, first)
            y2, m2 = fy_month(fy, last)
            start, end = date(y1, m1, 1), month_end(y2, m2)
        out.append(_Cand(s, e, "range", start, end))


# --------------------------------------------------------------------------- overlaps and roles


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Greedy: longest first, then most specific; drop anything overlapping an accepted span."""
    order = sorted(cands, key=lambda c: (-(c.e - c.s), -_RANK[c.kind], c.s))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[_Cand] = []
    for c in order:
        i = bisect.bisect_right(starts, c.s)
        if i > 0 and ends[i - 1] > c.s:
            continue
        if i < len(starts) and starts[i] < c.e:
            continue
        starts.insert(i, c.s)
        ends.insert(i, c.e)
        kept.append(c)
    return kept


def _role(t: str, c: _Cand) -> str:
    if c.kind in ("fy", "fy_range", "range", "month"):
        return "period"
    if c.kind != "day":
        return ""
    ws = max(0, c.s - 80)
    before = t[ws : c.s]
    # Substring tests first: the \Z-anchored searches are tried at every offset of the window.
    if ("ณ" in before or "ลง" in before) and _R_ISSUED.search(before):
        return "issued"
    if ("ณ" in before or "as" in before.lower()) and _R_ASOF.search(before):
        return "as_of"
    if ("เดือน" in before or "ระหว่าง" in before or "ตั้งแต่" in before) and _R_PERIOD.search(before):
        return "period"
    body = before.rstrip(_WS_CHARS)
    nl = body.rfind("\n")
    if (nl >= 0 or ws == 0 or t[ws - 1] == "\n") and _R_MEMO.fullmatch(body, nl + 1):
        return "issued"
    return ""


# --------------------------------------------------------------------------- public API


def find_dates(text: str, *, today: date | None = None) -> list[Found]:
    """All dates, months, ranges and fiscal years in ``text``, in order of position.

    ``today`` only steers 2-digit years (25yy B.E. vs 20yy C.E., whichever is nearer).
    Never raises on odd input; impossible dates are skipped.
    """
    if not text:
        return []
    today = today or date.today()
    t = _arabic(text)  # one char for one char: offsets stay valid

    atoms: list[_Cand] = []
    _month_atoms(t, today, atoms)
    _numeric_atoms(t, today, atoms)
    cands: list[_Cand] = []
    _ranges(t, sorted(atoms, key=lambda c: c.s), cands)
    cands += [a for a in atoms if a.kind not in ("dm", "mo")]
    years: list[_Cand] = []
    _fy_atoms(t, today, years)
    _bare_year_atoms(t, today, years)
    cands += years
    # Quarters borrow the winning reading of a nearby year ("ประจำปีงบประมาณ 2568", not its "2568").
    _parts(t, today, [c for c in _resolve(years) if c.kind in ("fy", "year")], cands)

    found = [
        Found(c.kind, c.start, c.end, text[c.s : c.e], c.s, _role(t, c))
        for c in _resolve(cands)
        if c.kind != "void" and c.start is not None and c.end is not None
    ]
    found.sort(key=lambda f: (f.pos, -len(f.text)))
    return found
