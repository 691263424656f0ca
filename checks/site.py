"""A run's documents seen as a website: boilerplate removed, who links to what, the ITA index.

Everything the rule engine asks of the site goes through ``SiteView`` so that each question
(what does this page say, how is this file labelled, which items does the index point at) is
answered once and cached.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import unquote, urlsplit

from checks.dates import Found, find_dates
from checks.matching import Text
from checks.pack import Pack
from checks.thai import normalize_thai, skeleton, thai_digits_to_arabic
from crawler.documents import Document, Extraction, Link
from crawler.priority import is_document_url
from crawler.scope import Scope

COVER = 150  # characters of a document's text that present it (cover title, page heading)
_GENERIC_LINK = re.compile(
    r"^(คลิก.*|click.*|ดาวน์โหลด.*|download.*|รายละเอียด.*|ดูรายละเอียด.*|อ่านต่อ.*|เปิด.*|ดู|ที่นี่|here|link|ลิงก์.*|"
    r"pdf|ไฟล์.*|เอกสาร.*|แนบไฟล์.*|\W*|\d+|o\d+)$", re.I,
)
# "O15", "o15", "O.15", "O๑๕", "ข้อ 15" / "ข้อที่ ๑๕" (Thai index tables number rows that way)
_ITEM_ID = re.compile(r"(?:(?<![A-Za-z0-9])[Oo]\s?\.?\s?0?|ข้อ(?:ที่)?\s?)([0-9๐-๙]{1,2})(?![0-9๐-๙])")
_NOISY_METHODS = ("pdf", "pypdfium2", "pdftotext")


def _noisy(ex: Extraction) -> bool:
    """Text that may carry misread or split characters: fuzzy matching suits it (PDF text, OCR)."""
    return ex.source in ("ocr", "mixed", "repaired") or any(m in ex.method for m in _NOISY_METHODS)
_CRUMBS = re.compile(r"^\s*(หน้าแรก|หน้าหลัก|home)\s*[›»>/|]", re.I)  # breadcrumb trail
_UNDER_CONSTRUCTION = re.compile(r"(อยู่ระหว่าง(การ)?(ปรับปรุง|จัดทำ|ดำเนินการจัดทำ|รวบรวม)|coming soon|under construction)",
                                 re.I)
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
# Words that follow "สำนักงานเขต" without being a district's name.
_NOT_NAMES = ("ประจำ", "มาตร", "ทุก", "ใน", "และ", "ต้อง", "ได้", "จะ", "ที่", "ให้", "เพื่อ", "กรุงเทพ", "ของ", "ลงพื้นที่",
              "จัด", "ร่วม", "ขอ", "ประกาศ", "แจ้ง", "เปิด", "รับ", "ตรวจ", "ดำเนิน")


@lru_cache(maxsize=65536)
def _label_skeleton(label: str) -> str:
    return skeleton(label)


def is_generic(text: str) -> bool:
    """Link text that says nothing of its target ("คลิก", "[ดาวน์โหลด]", "ไฟล์แนบ 1")."""
    return bool(_GENERIC_LINK.match(" ".join(text.split()).strip(" []()<>«»*-:|.")))


def item_ids_in(text: str) -> set[str]:
    return {f"O{int(thai_digits_to_arabic(m.group(1)))}" for m in _ITEM_ID.finditer(text)}


def _year_section(section: str) -> bool:
    """A tab or heading that only says which year ("ปี 2567", "ITA 2567"), not an item's own heading
    ("O12 รายงานผลการดำเนินงานประจำปี 2567" names last year because the item asks for it)."""
    return 0 < len(section) <= 40 and not item_ids_in(section)


@dataclass
class Inbound:
    link: Link
    source: Document  # the page that presents the link


class SiteView:
    def __init__(self, docs: list[Document], scope: Scope, pack: Pack, fiscal_year: int) -> None:
        self.scope = scope
        self.pack = pack
        self.fy = fiscal_year
        self.docs = docs
        self.by_url: dict[str, Document] = {}
        for d in docs:
            self.by_url.setdefault(d.url, d)
        for d in docs:
            self.by_url.setdefault(d.final_url, d)
        self.inbound: dict[str, list[Inbound]] = defaultdict(list)
        self.placeholders: list[Inbound] = []
        for d in docs:
            if d.extraction.kind != "html" or d.offsite:
                continue
            for link in d.extraction.links:
                if link.placeholder:
                    self.placeholders.append(Inbound(link, d))
                elif link.url:
                    self.inbound[link.url].append(Inbound(link, d))
        self._boiler = self._boilerplate()
        self._texts: dict[str, Text] = {}
        self._dates: dict[str, list[Found]] = {}

    # -- page text -----------------------------------------------------------------------------
    def _boilerplate(self) -> set[str]:
        """Lines repeated on many pages (menus, footers, sidebars) are not a page's content."""
        pages = [d for d in self.docs if d.extraction.kind == "html" and not d.offsite and d.ok]
        if len(pages) < 4:
            return set()
        counts: Counter[str] = Counter()
        for d in pages:
            counts.update({line.strip() for line in d.extraction.text.splitlines() if line.strip()})
        cut = max(3, int(0.3 * len(pages)))
        # A bare image marker is the same line for every photo: never chrome by repetition alone.
        return {line for line, n in counts.items() if n >= cut and line != "[ภาพ]"}

    def content(self, doc: Document) -> str:
        """What a page itself says: menus repeated across the site and lines that are only the
        text of a link (a list of links names other pages' content, not its own) are left out."""
        text = doc.extraction.text
        if doc.extraction.kind != "html":
            return text
        drop = self._boiler | {" ".join(link.text.split()) for link in doc.extraction.links if link.text}
        return "\n".join(line for line in text.splitlines() if " ".join(line.split()) not in drop)

    def body(self, doc: Document) -> Text:
        """The page without its own headings: where required elements must be found (a heading
        that names every component says nothing about what the page holds)."""
        key = "body:" + doc.url
        if key not in self._texts:
            title = doc.extraction.title
            # the page's own heading (it repeats the title), not a section heading such as "ระยะเวลา"
            heads = {" ".join(h.split()) for h in [title, *doc.extraction.headings[:2]]
                     if h == title or (skeleton(h) and skeleton(h) in skeleton(title))}
            lines = self.content(doc).splitlines()
            if doc.extraction.kind == "html":
                lines = [line for line in lines if " ".join(line.split()) not in heads and not _CRUMBS.match(line)]
            self._texts[key] = Text("\n".join(lines), noisy=_noisy(doc.extraction))
        return self._texts[key]

    def text(self, doc: Document) -> Text:
        key = doc.url
        if key not in self._texts:
            self._texts[key] = Text(self.content(doc), noisy=_noisy(doc.extraction))
        return self._texts[key]

    def title_area(self, doc: Document) -> Text:
        """How a document presents itself: page title and main headings, or a file's cover lines."""
        key = "title:" + doc.url
        if key not in self._texts:
            ex = doc.extraction
            head = "\n".join([ex.title, *ex.headings[:2]])
            self._texts[key] = Text(head + "\n" + self.content(doc)[:COVER],
                                    noisy=_noisy(ex))
        return self._texts[key]

    def dates(self, doc: Document) -> list[Found]:
        if doc.url not in self._dates:
            self._dates[doc.url] = find_dates(self.content(doc)[:300_000])
        return self._dates[doc.url]

    def contentless(self, doc: Document) -> bool:
        """A page that carries a title and nothing else, or only 'being prepared' (criteria §5)."""
        body = self.body(doc)
        return len(body.skel) < 60 or (len(body.skel) < 200 and bool(_UNDER_CONSTRUCTION.search(body.display)))

    @cached_property
    def link_labels(self) -> list[tuple[Inbound, str]]:
        """Every link on the agency's own pages with the skeleton of its label (text, or text and row
        context when the text is generic), computed once for all items."""
        out = []
        seen: set[tuple[str, str, str]] = set()  # menus repeat the same link on every page: keep one
        for d in self.docs:
            if d.extraction.kind != "html" or d.offsite:
                continue
            for link in d.extraction.links:
                label = link.text if not is_generic(link.text) else f"{link.text} {link.context}"
                if is_generic(link.text) and is_document_url(link.url):
                    label += " " + self.presenter_heading(d)  # "ไฟล์แนบ 1" under a post's heading
                skel = _label_skeleton(label)
                if skel and (link.url, link.raw, skel) not in seen:
                    seen.add((link.url, link.raw, skel))
                    out.append((Inbound(link, d), skel))
        return out

    # -- how a document is presented -------------------------------------------------------------
    def labels_of(self, url: str) -> list[str]:
        """Link texts (and row context when the text is generic) that present a URL."""
        out = []
        for inb in self.inbound.get(url, []):
            out.append(inb.link.text)
            if is_generic(inb.link.text) or len(inb.link.text) < 25:
                out.append(inb.link.context)
            if is_generic(inb.link.text) and is_document_url(url):
                out.append(self.presenter_heading(inb.source))
        return [s for s in out if s]

    def chrome_only(self, url: str) -> bool:
        """``url`` is linked from the site's chrome (a menu, a sidebar's Facebook link): from many of its
        pages, or only by text the site repeats everywhere."""
        inbound = self.inbound.get(url, [])
        sources = {inb.source.url for inb in inbound}
        if len(sources) >= max(3, min(10, self._html_pages // 2)):
            return True
        return bool(inbound) and all(inb.link.text.strip() in self._boiler or inb.link.context.strip() in self._boiler
                                     for inb in inbound)

    @cached_property
    def _html_pages(self) -> int:
        return sum(1 for d in self.docs if d.extraction.kind == "html" and not d.offsite)

    def listed_posts(self, url: str, limit: int = 30) -> list[str]:
        """Pages and files a list page links from its own content (not menus), on the main site."""
        page = self.by_url.get(url)
        if page is None or page.extraction.kind != "html" or page.offsite:
            return []
        out = []
        for link in page.extraction.links:
            if link.placeholder or not link.url or link.url == page.url or not self.scope.same_host(link.url):
                continue
            if link.text.strip() in self._boiler or link.context.strip() in self._boiler:
                continue
            if link.url in self.by_url and link.url not in out:
                out.append(link.url)
        return out[:limit]

    def presenter_heading(self, page: Document) -> str:
        """The heading of a post that presents files under generic links ("ไฟล์แนบ 1", "ดาวน์โหลด");
        empty for the site's index pages, whose rows label each file themselves."""
        if page.url in self.index_pages or page.final_url in self.index_pages:
            return ""
        heads = [h for h in page.extraction.headings if h.strip() and h.strip() not in self._boiler]
        return heads[0] if heads else page.extraction.title

    def url_words(self, url: str) -> str:
        parts = urlsplit(url)
        return unquote(parts.path + ("?" + parts.query if parts.query else "")).replace("_", " ").replace("-", " ")

    # -- the agency and the ITA index -------------------------------------------------------------
    def _names_after_prefix(self, text: str) -> list[str]:
        """Agency names that follow a prefix ("องค์การบริหารส่วนตำบล|ทดสอบ"), as skeletons, up to the
        next space or line: Thai runs words together, so the space is the only end of a name. A prefix
        may be broken across lines ("สำนักงานเขตพื้นที่การ / ศึกษา…"); the longest prefix wins."""
        text = normalize_thai(text)
        best: dict[int, tuple[int, str]] = {}  # start → (prefix length, name)
        for prefix, pattern in self._prefix_patterns:
            for m in pattern.finditer(text):
                if len(prefix) > best.get(m.start(), (0, ""))[0]:
                    best[m.start()] = (len(prefix), skeleton(m.group(1)))
        return [name for _, (_, name) in sorted(best.items())]

    @cached_property
    def _prefix_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(p, re.compile(r"\s*".join(map(re.escape, p.replace(" ", ""))) + r"[ \t]?([\u0e01-\u0e4e]+)"))
                for p in self.pack.agency_prefix]

    @cached_property
    def agency(self) -> str:
        """The agency's name as its own pages give it: the most frequent word after the prefix.

        Kept as a skeleton prefix: the run after "สำนักงานเขต" may go on into the next word.
        """
        return self._agency[0]

    @cached_property
    def agency_name(self) -> str:
        """The agency's name for display ("ตัวอย่าง" for สำนักงานเขตตัวอย่าง)."""
        return self._agency[1]

    @cached_property
    def _agency(self) -> tuple[str, str]:
        counts: Counter[str] = Counter()
        pages = [d for d in self.docs if d.extraction.kind == "html" and not d.offsite and d.ok]
        for i, d in enumerate(pages):
            # The home page names the agency; elsewhere only page titles do (news text says
            # "สำนักงานเขตลงพื้นที่…" far more often than the agency's name).
            ex = d.extraction
            source = " ".join([ex.title, *ex.headings[:2], ex.text[:1000]]) if i == 0 else ex.title
            for name in self._names_after_prefix(source):
                if not name.startswith(_NOT_NAMES) and len(name) >= 4:
                    # the whole name: "โรงเรียนบ้าน…" names thousands of schools, "บ้าน" alone tells none apart
                    counts[name] += 20 if i == 0 else 1
        if not counts:
            return "", ""
        name = counts.most_common(1)[0][0]
        return name[:4], name

    def foreign(self, doc: Document) -> bool:
        """The cover names another agency of the same type and never this one (criteria §5 decoys)."""
        if not self.agency:
            return False
        area = self.title_area(doc).display + self.content(doc)[COVER:COVER + 120]  # a name cut at the edge
        names = [n for n in self._names_after_prefix(area) if len(n) >= 4 and not n.startswith(_NOT_NAMES)]
        ours = self.agency_name_key
        # A name cut short (in a title, at the cover's edge) is ours if it begins ours, and ours if it begins it.
        if not names or any(n.startswith(ours[:len(n)]) or ours.startswith(n[:len(ours)]) for n in names):
            return False
        return True

    def parents(self, doc: Document) -> bool:
        """The cover names a parent body (a ministry's department, OBEC) and not this agency: the parent's
        document, which counts only for items that accept one (criteria §5)."""
        cover = self.title_area(doc).skel
        if not any(skeleton(p) in cover for p in self.pack.parent_bodies):
            return False
        return not (self.agency_name_key and self.agency_name_key in cover)

    @cached_property
    def agency_name_key(self) -> str:
        return skeleton(self.agency_name) or self.agency

    @cached_property
    def index_pages(self) -> set[str]:
        """Pages whose links are labelled with many item ids: the site's own ITA/OIT index."""
        out = set()
        for d in self.docs:
            if d.extraction.kind != "html" or d.offsite:
                continue
            ids: set[str] = set()
            for link in d.extraction.links:
                ids |= item_ids_in(link.text + " " + link.context)
            if len(ids) >= 5:
                out.add(d.url)
        return out

    def index_year_ok(self, doc: Document) -> bool:
        """An index page of another year (ITA 2567 while assessing 2568) does not label evidence."""
        return self.year_ok(" ".join([doc.extraction.title, *doc.extraction.headings[:4]]))

    def year_ok(self, text: str) -> bool:
        """``text`` names no B.E. year, or names the assessed one (its ITA year is the fiscal year)."""
        years = {int(y) for y in re.findall(r"25[5-9]\d", thai_digits_to_arabic(text))}
        return not years or self.fy in years

    def _item_file(self, link: Link, page: Document) -> bool:
        """A file or placeholder in a per-item page's own content, not its menus."""
        if link.context.strip() in self._boiler or link.text.strip() in self._boiler or self.chrome_only(link.url):
            return False
        if link.placeholder:  # a labelled "file" link that goes nowhere; not a menu toggle
            raw = link.raw.strip()
            return (not raw or raw.startswith(("#", "javascript"))) and is_generic(link.text) is False \
                and bool(item_ids_in(link.context) or len(link.text) > 15)
        if is_document_url(link.url) or not self.scope.same_host(link.url):
            return True
        # A page of the site that the per-item page points to ("ดูรายละเอียด" → the structure page),
        # but not the home page, another index page or the per-item page itself.
        path = unquote(urlsplit(link.url).path).strip("/")
        home = self.scope.prefix.strip("/")
        return path not in ("", home, home + "/index.php", "index.php", "index.html") \
            and link.url not in self.index_pages and link.url.split("#")[0] != page.url

    @cached_property
    def index_labels(self) -> dict[str, list[Inbound]]:
        """item id -> links the site's index labels for it (and files of a per-item page)."""
        out: dict[str, list[Inbound]] = defaultdict(list)
        for url in self.index_pages:
            page = self.by_url[url]
            if not self.index_year_ok(page):
                continue
            for link in page.extraction.links:
                if link.kind == "img":  # an icon inside the row's link, not where the link goes
                    continue
                if _year_section(link.section) and not self.year_ok(link.section):
                    continue  # under last year's tab or heading ("ITA 2567", "ปีงบประมาณ 2567")
                ids = item_ids_in(link.text)
                if not ids:
                    ids = item_ids_in(link.context)
                if len(ids) != 1:
                    continue
                item_id = ids.pop()
                out[item_id].append(Inbound(link, page))
                target = self.by_url.get(link.url)
                if target and target.extraction.kind == "html" and not target.offsite \
                        and target.url not in self.index_pages:
                    for child in target.extraction.links:  # a per-item page lists the item's files
                        if self._item_file(child, target):
                            out[item_id].append(Inbound(child, target))
        return out
