"""The rule engine: judge every item of a pack against a crawled site (criteria §5–§6).

For each component of an item: gather candidates (pages and files that present themselves as the
evidence, and links the site labels for the item), walk each candidate up the ladder
found → on the main website → opens → right period → all elements present, and keep the one that
got furthest. Items combine their components as §6 says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote, urlsplit

from checks import inpost, recency
from checks.fiscal import fy_bounds, month_label, required_months
from checks.matching import Text, find_any, phrase_key
from checks.messages import say
from checks.offsite import offsite_detail, offsite_kind
from checks.pack import Component, Item, Pack
from checks.results import ComponentVerdict, Evidence, ItemVerdict
from checks.site import Inbound, SiteView, is_generic
from checks.thai import skeleton, thai_digits_to_arabic
from crawler.documents import Document, Link
from crawler.priority import is_document_url
from crawler.scope import host_key

# Ladder ranks: how far a candidate got. "unverified" (could not be read by us) sits below stale:
# a candidate we could not read never makes an item fail for its content, it makes it "review".
RANK = {"offsite": 1, "broken": 2, "unverified": 2.5, "stale": 3, "incomplete": 4, "pass": 5, "not_yet_due": 5}
_SOFT_404 = re.compile(r"(404|ไม่พบหน้า|ไม่พบข้อมูลที่ท่านต้องการ|page not found|not found|ไม่พบไฟล์)", re.I)
_UNVERIFIABLE_FETCH = ("robots", "ignored", "skipped", "http_403", "http_429")
_OCR_SOURCES = ("ocr", "mixed")
# Mean Tesseract word confidence below which a pass read from OCR is for a person to confirm: clean
# 150–300 dpi scans of Thai announcements read at 80–90 (bench/ocr.py), poor photocopies at 50–65.
LOW_OCR_CONFIDENCE = 65.0
_HOME_PATHS = ("", "index.php", "index.html", "index.htm", "index.jsp", "home")
_MONTH_IN_NAME = re.compile(r"(25[5-9]\d)[-_. ]?(0[1-9]|1[0-2])(?!\d)")
# Social and chat platforms: an agency's account there is a channel (criteria O8/O9), never a document.
SOCIAL_HOSTS = re.compile(r"(^|\.)(facebook\.com|fb\.com|fb\.me|m\.me|messenger\.com|line\.me|lin\.ee|youtube\.com|"
                          r"youtu\.be|twitter\.com|x\.com|instagram\.com|tiktok\.com)$")
_MAX_EVIDENCE = 12
TITLE_ECHO = 20  # item titles longer than this are removed from a body before its elements are sought
DATE_COVER = 600  # characters of a document whose dates count as its own (cover, heading, first lines)


@dataclass
class Judged:
    doc: Document | None
    url: str
    status: str  # pass | offsite | broken | unverified | stale | incomplete | not_yet_due
    detail: str = ""
    missing: list[str] = field(default_factory=list)
    evidence: Evidence | None = None


class Engine:
    def __init__(self, view: SiteView, pack: Pack, fiscal_year: int, as_of: date, lang: str = "th",
                 submitted: dict[str, list[str]] | None = None) -> None:
        self.view = view
        # Verify mode: item id → the URLs the agency will submit. Each item is then judged on exactly
        # those URLs (and the files they link to, which an assessor opens from them), nothing else.
        self.submitted = submitted
        self.pack = pack
        self.fy = fiscal_year
        self.as_of = as_of
        self.lang = lang
        self.decoy_keys = [skeleton(d) for d in pack.decoys]
        self.prep_keys = [skeleton(d) for d in pack.preparation_news]
        self._signers: dict[str, set[str]] = {}  # head position → FY F signers
        self._general: list[Inbound] = []  # general-channel links found for LIVE components
        self._listed: set[tuple[str, str, str]] = set()  # (item, component, post) under a labelled list
        self._labelled: dict[tuple[str, str], list[Inbound]] = {}

    def name(self, text: Any) -> str:
        name = getattr(text, self.lang, None) or text.th
        return name.replace("FY F-1", f"FY {self.fy - 1}").replace("FY F", f"FY {self.fy}")

    # -- candidates ------------------------------------------------------------------------------
    def is_decoy(self, doc: Document, comp: Component) -> bool:
        area = self.view.title_area(doc)
        if any(k and k in area.skel for k in self.decoy_keys):
            return True
        if not comp.news and any(k and k in area.skel for k in self.prep_keys):
            return True
        if doc.url in self.view.index_pages:
            return True  # the index points at evidence; it is not evidence itself
        if comp.decoys and find_any(area, comp.decoys):
            return True
        if doc.offsite and not comp.recency == ["LIVE"] and urlsplit(doc.final_url).path.strip("/") in _HOME_PATHS:
            return True  # a central system's home page (e-GP, NACC), not the agency's own records
        if comp.parent_ok:
            return False
        return self.view.foreign(doc) or self.view.parents(doc)

    def labelled_links(self, item: Item, comp: Component) -> list[Inbound]:
        """Links the site labels for this item: its index rows, or link text naming the item."""
        key = (item.id, comp.id)
        if key not in self._labelled:
            out = list(self.view.index_labels.get(item.id, []))
            keys = [k for k in (skeleton(p) for p in [item.title.th, *item.aliases, *comp.find]) if k]
            out += [inb for inb, skel in self.view.link_labels if any(k in skel for k in keys)]
            self._labelled[key] = out
        return self._labelled[key]

    def submitted_candidates(self, item: Item) -> list[str]:
        """The submitted URLs and the files a submitted page links to (one click away)."""
        found: dict[str, None] = {}
        for url in (self.submitted or {}).get(item.id, []):
            found.setdefault(url, None)
            doc = self.view.by_url.get(url)
            if doc is not None and doc.extraction.kind == "html":
                for link in doc.extraction.links:  # files only: the menu's pages are not the item's evidence
                    target = self.view.by_url.get(link.url)
                    if target is not None and not link.placeholder and (
                            target.extraction.kind not in ("html", "other") or is_document_url(link.url)):
                        found.setdefault(link.url, None)
        return list(found)

    def candidates(self, item: Item, comp: Component) -> tuple[list[str], list[Link]]:
        """URLs to judge, in the order found, plus the placeholder links labelled for the item."""
        if self.submitted is not None:
            return self.submitted_candidates(item), []
        found: dict[str, None] = {}  # an ordered set
        placeholders: list[Link] = []
        for inb in self.labelled_links(item, comp):
            if inb.link.placeholder and not _real_href(inb.link.raw):
                placeholders.append(inb.link)
            elif inb.link.url:
                found.setdefault(inb.link.url, None)
        if comp.news:  # a labelled news list presents its posts: each post is a candidate of the kind
            for url in list(found):
                for post in self.view.listed_posts(url):
                    found.setdefault(post, None)
                    self._listed.add((item.id, comp.id, post))
        for doc in self.view.docs:
            if doc.url in found or not doc.extraction.text:
                continue
            area = self.view.title_area(doc)
            if find_any(area, comp.find):
                found[doc.url] = None
        return list(found), placeholders

    # -- the ladder ------------------------------------------------------------------------------
    def on_main_site(self, doc: Document, comp: Component) -> bool:
        if not doc.offsite:
            return True
        host = host_key(doc.final_url)
        # parent-rule components may link to the parent body's official host (the pack names them)
        return comp.parent_ok and any(host == h or host.endswith("." + h) for h in self.pack.parent_hosts)

    def opens(self, doc: Document) -> tuple[str, str]:
        """("ok"|"broken"|"unverified", why)."""
        if doc.error:
            if doc.error.startswith(_UNVERIFIABLE_FETCH):
                return "unverified", f"not fetched ({doc.error})"
            return "broken", doc.error.replace("_", " ")
        if doc.status is None or not 200 <= doc.status < 300:
            return "broken", f"HTTP {doc.status}"
        ex = doc.extraction
        if ex.kind == "archive":
            return "broken", "an archive file, not a document a browser opens"
        if ex.error:
            if ex.error.startswith(("unsupported", "timeout")):
                return "unverified", ex.error
            return "broken", ex.error
        path = unquote(urlsplit(doc.final_url).path)
        if ex.kind == "html" and is_document_url(path):
            return "broken", "a web page (error page) served in place of the document"
        if ex.kind == "html" and len(ex.text) < 400 and _SOFT_404.search(ex.title + " " + ex.text[:200]):
            return "broken", "'page not found' served with status 200"
        if not ex.text.strip() and ex.kind != "html":
            return "unverified", "no text layer (scanned or image): needs OCR or a person to read it"
        return "ok", ""

    def judge(self, url: str, item: Item, comp: Component, labelled: bool) -> Judged | None:
        doc = self.view.by_url.get(url)
        if doc is None:
            return None  # linked but never fetched (budget): nothing to say
        if doc.ok and doc.extraction.text and self.is_decoy(doc, comp):
            return None
        if doc.extraction.kind not in comp.forms and doc.extraction.kind not in ("html", "other") \
                and not ({"pdf", "docx", "xlsx"} & set(comp.forms)):
            return None
        text = self.view.text(doc)
        kind_hits = find_any(text, comp.find + ([item.title.th] if labelled else []))
        opens, why = self.opens(doc)
        off_site = not self.on_main_site(doc, comp)
        # a link the site labels for the item that leads off the site is the item's evidence kept elsewhere
        # (criteria: offsite), whatever it shows; a link in the site's chrome (the footer's Facebook) is not
        labelled_away = labelled and off_site and not self.view.chrome_only(url)
        if opens == "ok" and not kind_hits and not (labelled_away or (labelled and self.has_all_elements(doc, comp))):
            return None  # opens onto something of another kind: not evidence for this item (§5)
        if off_site:  # labelled for the item but kept elsewhere: say where, and whether it even opens
            where = offsite_kind(doc.final_url, self.lang)
            return Judged(doc, url, "offsite", offsite_detail(doc, self.lang), [self._fix(comp, "offsite", where)])
        if opens != "ok":
            return Judged(doc, url, opens, why)
        if doc.extraction.kind == "html" and self.view.contentless(doc):
            return None  # a title with no content: a menu entry, not evidence (§5)
        if self.presents_sibling(doc, item, comp):
            return None  # its cover presents the item's other component (the report, not the plan)
        src = self.date_sources(doc)
        periods = [recency.judge(r, src, self.fy, self.as_of, news=comp.news) for r in comp.recency]
        period = max(periods, key=lambda p: RANK[p.status])
        ev = _evidence(doc, comp, dates=period.shown or [])
        if period.status == "not_yet_due":
            return Judged(doc, url, "not_yet_due", period.detail, evidence=ev)
        if period.status != "pass":
            missing = [self._period_need(comp)] if period.status == "incomplete" else []
            return self._unless_ocr(Judged(doc, url, period.status, period.detail, missing, ev))
        body = self.view.body(doc).without("ปีงบประมาณ")  # first: "ประจำปี|งบประมาณ" must not leave a budget
        if len(item.title.th) > TITLE_ECHO:  # a long item title echoed in the page names every element
            body = body.without(item.title.th)
        if comp.elements_in_body:  # "แผนดำเนินงานและการใช้งบประมาณ" in a heading is not a budget column
            for hit in find_any(self.view.title_area(doc), comp.find):
                body = body.without(hit.phrase, first=True)
        missing, matched, pos = self.elements(body, comp)
        if missing and comp.none_phrases and find_any(body, comp.none_phrases):
            missing = []  # "ไม่มี…" stated for the period: nothing to list is not a missing element
        ev.matched = matched[:8]
        ev.snippet = body.snippet(pos)
        if comp.elements and len(missing) >= len(comp.elements) \
                and not find_any(self.view.title_area(doc), comp.find):
            return None  # none of the elements, not titled as one: another kind of document sharing a phrase
        missing += self.signature(body, comp, matched)
        if missing:
            return self._unless_ocr(Judged(doc, url, "incomplete", "required elements missing", missing, ev))
        former = self.former_head(doc) if comp.in_post else ""
        if former:
            return Judged(doc, url, "stale", former, [self._fix(comp, "stale")], ev)
        ex = doc.extraction
        if ex.source in _OCR_SOURCES and (ex.ocr_confidence or 0.0) < LOW_OCR_CONFIDENCE:
            return Judged(doc, url, "unverified", f"read by OCR with low confidence ({ex.ocr_confidence or 0:.0f}"
                          f"%); a person should check the scan", evidence=ev)
        return Judged(doc, url, "pass", period.detail, evidence=ev)

    def former_head(self, doc: Document) -> str:
        """Why the head a page shows is no longer in post (EV (c)), or "" when nothing shows it."""
        shown = inpost.heads_shown(doc.extraction.text, self.pack.agency_head)
        if not shown:
            return ""
        name, position = shown[0]
        signers = self.fy_signers(position)
        if not signers or name in signers:
            return ""
        return f"the head shown is not the one who signs FY {self.fy} documents"

    def fy_signers(self, position: str) -> set[str]:
        """Who signs as ``position`` in the site's documents dated in FY F (up to as_of)."""
        if position not in self._signers:
            start, end = fy_bounds(self.fy)
            end = min(end, self.as_of)
            out: set[str] = set()
            for d in self.view.docs:
                if d.offsite or not d.ok or not d.extraction.text:
                    continue
                if not any(f.kind == "day" and start <= f.start <= end for f in self.view.dates(d)):
                    continue
                out |= inpost.signers_as(d.extraction.text, position)
            self._signers[position] = out
        return self._signers[position]

    @staticmethod
    def _unless_ocr(judged: Judged) -> Judged:
        """A scan's text is only as good as the OCR: a failure read from it is for a person to confirm."""
        if judged.doc is None or judged.doc.extraction.source not in _OCR_SOURCES:
            return judged
        judged.detail = f"read by OCR ({judged.detail}); a person should check the scan"
        judged.status = "unverified"
        return judged

    def has_all_elements(self, doc: Document, comp: Component) -> bool:
        """A page labelled for the item whose content carries every element is of its kind even without
        the item's own words (news of the head's activity). Some elements are not enough: a labelled link
        that opens onto another kind (tax figures under "revenue") is dropped (criteria §5)."""
        return bool(comp.elements) and not self.elements(self.view.body(doc), comp)[0]

    def presents_sibling(self, doc: Document, item: Item, comp: Component) -> bool:
        cover = self.view.title_area(doc)
        own = find_any(cover, comp.find)
        others = [h for other in item.components if other is not comp for h in find_any(cover, other.find)]
        if not others:
            return False
        if not own:  # a file has one cover; a web page may carry several components in its sections
            return doc.extraction.kind != "html"
        # "รายงานผลการดำเนินการตามนโยบายต่อต้านการรับสินบน" presents the report, not the policy it
        # names: a longer sibling phrase that contains this component's phrase wins.
        longest_own = max(len(phrase_key(h.phrase)) for h in own)
        return any(len(phrase_key(h.phrase)) > longest_own and
                   any(phrase_key(o.phrase) in phrase_key(h.phrase) for o in own) for h in others)

    def elements(self, text: Text, comp: Component) -> tuple[list[str], list[str], int]:
        """Required elements not found, phrases found, and where the first one is."""
        missing, matched, first = [], [], -1
        text = text.without("ปีงบประมาณ")  # the fiscal year ("ประจำปีงบประมาณ") is not a budget
        for el in comp.elements:
            hits = find_any(text, el.phrases)
            if len({h.phrase for h in hits}) < el.min:
                hits = find_any(text, el.alone)  # short of the minimum: one of these is enough by itself
            if not hits:
                missing.append(self.name(el.name))
            else:
                matched += [h.phrase for h in hits]
                if first < 0:
                    first = hits[0].pos
        return missing, matched, first

    def signature(self, text: Text, comp: Component, matched: list[str]) -> list[str]:
        """[] when the component needs no signature or carries the head's; else what is missing."""
        if not comp.signed:
            return []
        signers = [p for p in self.pack.agency_head if _signed_by(text, p)]
        matched += signers[:1]
        return [] if signers else [_NO_SIGNATURE[self.lang]]

    def _period_need(self, comp: Component) -> str:
        if self.lang == "th":
            return f"ระบุปีงบประมาณ/ช่วงเวลาของ{self.name(comp.name)}ให้ชัดเจน"
        return f"state the fiscal year or period of: {self.name(comp.name)}"

    def date_sources(self, doc: Document) -> recency.DateSources:
        ex = doc.extraction
        head = "\n".join([ex.title, *ex.headings[:6]])
        content = self.view.content(doc)
        labels = self.view.labels_of(doc.url) + self.view.labels_of(doc.final_url)
        src = recency.sources(head + "\n" + content[:DATE_COVER], self.view.dates(doc), labels,
                              self.view.url_words(doc.final_url), ex.published, DATE_COVER)
        context = src.label or src.url
        if ex.source == "ocr" and context:
            # OCR misreads Thai digits (๒๕๖๘ → ๒๕๒๕, ๒๕๖๒ → ๒๕๐๒): the link or page presenting a scan,
            # or failing that its file name, dates it.
            src = recency.DateSources(title=context, body=context, label=src.label, url=src.url,
                                      published=src.published)
        return src

    # -- components ------------------------------------------------------------------------------
    def component(self, item: Item, comp: Component) -> tuple[ComponentVerdict, list[Link]]:
        if comp.recency == ["LIVE"]:
            return self.live(item, comp), []
        found, placeholders = self.candidates(item, comp)
        if self.submitted is not None:  # the agency itself says these URLs are the item's evidence
            labelled = set(self.submitted.get(item.id, []))
        else:
            labelled = {inb.link.url for inb in self.labelled_links(item, comp)}
            labelled |= {url for (i, c, url) in self._listed if (i, c) == (item.id, comp.id)}
        judged = [j for url in found if (j := self.judge(url, item, comp, url in labelled))]
        judged = self.drop_presenters(judged)
        if comp.recency == ["MONTHLY"]:
            return self.monthly(comp, judged), placeholders
        for link in placeholders:
            judged.append(Judged(None, link.raw or "#", "broken", f"placeholder link '{link.text[:60]}'"))
        return self.best(comp, judged), placeholders

    def drop_presenters(self, judged: list[Judged]) -> list[Judged]:
        """A page that only lists the item's files presents evidence; the files are judged instead."""
        urls = {j.url for j in judged if j.doc is not None and j.doc.extraction.kind != "html"}
        out = []
        for j in judged:
            if j.doc is not None and j.doc.extraction.kind == "html" and j.status != "pass" and \
                    any(link.url in urls for link in j.doc.extraction.links):
                continue
            out.append(j)
        return out

    def best(self, comp: Component, judged: list[Judged]) -> ComponentVerdict:
        recency_s = "+".join(comp.recency)
        if not judged:
            return ComponentVerdict(comp.id, self.name(comp.name), "fail", "absent", recency_s,
                                    missing=[self.name(comp.name)], detail=say("nothing found", self.lang))
        top = max(RANK[j.status] for j in judged)
        best = sorted((j for j in judged if RANK[j.status] == top), key=lambda j: len(j.missing))
        b = best[0]
        unread = [j for j in judged if j.status == "unverified"]
        if top < RANK["pass"] and unread:
            # An unread candidate might be the evidence: a person decides, never a silent fail.
            b, best = unread[0], unread
        evidence = [j.evidence for j in best if j.evidence][:_MAX_EVIDENCE]
        if not evidence:
            evidence = [Evidence(url=j.url, component=comp.id, offsite=bool(j.doc and j.doc.offsite))
                        for j in best][:_MAX_EVIDENCE]
        if b.status in ("pass", "not_yet_due"):
            return ComponentVerdict(comp.id, self.name(comp.name), "pass", "ok" if b.status == "pass" else
                                    "not_yet_due", recency_s, detail=say(b.detail, self.lang), evidence=evidence,
                                    candidates=len(judged))
        if b.status == "unverified":
            return ComponentVerdict(comp.id, self.name(comp.name), "review", "unverified", recency_s,
                                    detail=say(b.detail, self.lang), evidence=evidence, candidates=len(judged))
        missing = b.missing or [self._fix(comp, b.status)]
        return ComponentVerdict(comp.id, self.name(comp.name), "fail", b.status, recency_s, missing=missing,
                                detail=say(b.detail, self.lang), evidence=evidence, candidates=len(judged))

    def _fix(self, comp: Component, reason: str, where: str = "") -> str:
        name = self.name(comp.name)
        th = {"stale": f"เผยแพร่{name} ที่เป็นของปีงบประมาณ {self.fy}",
              "broken": f"แก้ลิงก์ให้เปิดได้: {name}",
              "offsite": f"นำ{name} มาไว้บนเว็บไซต์หลักของหน่วยงาน" + (f" (ขณะนี้อยู่บน {where})" if where else ""),
              "incomplete": f"เพิ่มข้อมูลที่ขาดใน{name}"}
        en = {"stale": f"publish the current period's edition: {name}", "broken": f"fix the link so it opens: {name}",
              "offsite": f"move {name} onto the agency's main website" + (f" (now on {where})" if where else ""),
              "incomplete": f"complete {name}"}
        return (th if self.lang == "th" else en).get(reason, name)

    def live(self, item: Item, comp: Component) -> ComponentVerdict:
        """A working channel linked from the main site: its target (or one hop on) offers a form."""
        judged: list[Judged] = []
        for inb in self.live_links(item, comp):
            link = inb.link
            if inb in self._general:  # a general channel where a dedicated one is required
                doc = self.view.by_url.get(link.url)
                if doc is not None and self.opens(doc)[0] == "ok":
                    judged.append(Judged(doc, doc.url, "incomplete", "a general channel, not the one the item asks for",
                                         [self._fix(comp, "incomplete")], _evidence(doc, comp)))
                continue
            social = bool(SOCIAL_HOSTS.search(host_key(link.url)))
            if comp.social_only and not social and not link.placeholder:
                continue
            if link.placeholder:
                judged.append(Judged(None, link.raw or "#", "broken", "placeholder link"))
                continue
            if link.kind == "mailto":
                status = "pass" if comp.accept_mailto else "incomplete"
                judged.append(Judged(None, link.url, status, "e-mail channel",
                                     evidence=Evidence(url=link.url, component=comp.id,
                                                       snippet=link.text[:120])))
                continue
            doc = self.view.by_url.get(link.url)
            if doc is None:
                continue
            opens, why = self.opens(doc)
            ev = _evidence(doc, comp, snippet=f"{inb.source.url} → {link.text[:80]}")
            if opens != "ok":
                judged.append(Judged(doc, doc.url, opens, why, evidence=ev))
                continue
            if comp.accept_social and SOCIAL_HOSTS.search(host_key(doc.final_url)):
                if not self.view.foreign(doc):  # another agency's account is not the agency's channel
                    judged.append(Judged(doc, doc.url, "pass", "an account on a social or chat platform",
                                         evidence=ev))
                continue
            if _login_wall(doc):
                judged.append(Judged(doc, doc.url, "broken", "a login for staff, not open to the public",
                                     [self._fix(comp, "broken")], ev))
                continue
            form_page = doc if doc.extraction.has_form else self._form_nearby(doc)
            mail = [x for x in doc.extraction.links if x.kind == "mailto"] if comp.accept_mailto else []
            if form_page is None and mail and not doc.offsite:
                ev.snippet = mail[0].url
                judged.append(Judged(doc, doc.url, "pass", "a dedicated e-mail address", evidence=ev))
            elif form_page is not None:
                if form_page is not doc:
                    ev.final_url = form_page.url
                judged.append(Judged(doc, doc.url, "pass", "a working form", evidence=ev))
            else:
                judged.append(Judged(doc, doc.url, "incomplete", "the page describes the service but has no form",
                                     [self._fix(comp, "incomplete")], ev))
        return self.best(comp, judged)

    def live_links(self, item: Item, comp: Component) -> list[Inbound]:
        """Links on the main site labelled for a channel; for social items also bare platform icons."""
        if self.submitted is not None:
            return [Inbound(Link(url=url, text=item.title.th, kind="mailto" if url.startswith("mailto:") else "a"),
                            self.view.by_url.get(url) or Document(url=url, final_url=url, status=None))
                    for url in self.submitted.get(item.id, [])]
        out, pool = [], list(self.labelled_links(item, comp))
        if comp.social_only:
            pool += [inb for inb, _ in self.view.link_labels if SOCIAL_HOSTS.search(host_key(inb.link.url))]
        seen: set[str] = set()
        for inb in pool:
            link = inb.link
            if link.url in seen and not link.placeholder:
                continue
            label = link.text + " " + (link.context if is_generic(link.text) else "")
            if comp.social_only and SOCIAL_HOSTS.search(host_key(link.url)):
                label += " " + host_key(link.url)  # an icon link says what it is by where it goes
            text_skel = skeleton(label)
            if any(skeleton(p) in text_skel for p in comp.find + item.aliases):
                out.append(inb)
                seen.add(link.url)
        if comp.general_find:  # general channels are judged after (and below) the dedicated ones
            keys = [skeleton(p) for p in comp.general_find]
            for inb, skel in self.view.link_labels:
                if inb.link.url and inb.link.url not in seen and any(k in skel for k in keys):
                    out.append(inb)
                    seen.add(inb.link.url)
                    self._general.append(inb)
        return out

    def _form_nearby(self, doc: Document) -> Document | None:
        for link in doc.extraction.links:
            target = self.view.by_url.get(link.url)
            if target and target.ok and target.extraction.has_form and \
                    host_key(target.final_url) == host_key(doc.final_url):
                return target
        return None

    def monthly(self, comp: Component, judged: list[Judged]) -> ComponentVerdict:
        """One entry per required month (criteria §3 MONTHLY); gaps and early stops are told apart."""
        recency_s = "MONTHLY"
        months = required_months(self.fy, self.as_of, cap_march=comp.h1_cap)
        if not months:
            return ComponentVerdict(comp.id, self.name(comp.name), "pass", "not_yet_due", recency_s,
                                    detail=say("no month is due yet", self.lang))
        fy_start, fy_end = fy_bounds(self.fy)
        covered: dict[tuple[int, int], Evidence] = {}
        earlier = False
        openable = [j for j in judged if j.doc is not None and j.status not in ("offsite", "broken", "unverified")]
        for j in openable:
            doc = j.doc
            assert doc is not None
            text = self.view.text(doc)
            has_none = bool(find_any(text, comp.none_phrases))
            missing, matched, pos = self.elements(text, comp)
            missing += self.signature(text, comp, matched)
            if missing and not has_none:
                continue
            for ym in self.months_of(doc):
                if (ym[0], ym[1]) < (fy_start.year, fy_start.month):
                    earlier = True
                if ym in months and ym not in covered:
                    covered[ym] = _evidence(doc, comp, matched=matched[:6], snippet=text.snippet(pos),
                                            dates=[month_label(ym[0], ym[1], self.lang)])
        evidence = list(covered.values())
        absent_months = [m for m in months if m not in covered]
        if not absent_months:
            return ComponentVerdict(comp.id, self.name(comp.name), "pass", "ok", recency_s,
                                    detail=say(f"{len(months)} required months present", self.lang), evidence=evidence,
                                    candidates=len(judged))
        need = [f"{self.name(comp.name)}: {month_label(y, m, self.lang)}" for y, m in absent_months]
        if not covered:
            other = [j for j in judged if j.status != "pass"]
            if earlier or any(j.status == "stale" for j in other):
                reason = "stale"
            elif other:
                return self.best(comp, other)
            else:
                reason = "absent"
            return ComponentVerdict(comp.id, self.name(comp.name), "fail", reason, recency_s, missing=need,
                                    detail=say("no month of the current fiscal year", self.lang),
                                    candidates=len(judged))
        last_present = max(covered)
        gap = any(m < last_present for m in absent_months)
        reason = "incomplete" if gap else "stale"
        detail = "a required month is missing between months present" if gap else "the series stops early"
        return ComponentVerdict(comp.id, self.name(comp.name), "fail", reason, recency_s, missing=need,
                                detail=say(detail, self.lang), evidence=evidence, candidates=len(judged))

    def months_of(self, doc: Document) -> set[tuple[int, int]]:
        """Months a summary identifies: in its heading/cover, its label, or its file name."""
        out: set[tuple[int, int]] = set()
        for f in self.view.dates(doc):
            if f.kind == "month" and (f.pos < DATE_COVER or f.role == "period"):
                out.add((f.start.year, f.start.month))
        if not out:
            src = self.date_sources(doc)
            for f in src.label + src.url:
                if f.kind == "month":
                    out.add((f.start.year, f.start.month))
        if not out:
            m = _MONTH_IN_NAME.search(thai_digits_to_arabic(unquote(urlsplit(doc.final_url).path)))
            if m:
                be, month = int(m.group(1)), int(m.group(2))
                out.add((be - 543, month))
        return out

    # -- items -----------------------------------------------------------------------------------
    def item(self, item: Item, weight: float) -> ItemVerdict:
        comps: list[ComponentVerdict] = []
        placeholders: list[str] = []
        for comp in item.components:
            verdict, ph = self.component(item, comp)
            comps.append(verdict)
            placeholders += [f"{link.text[:60]} ({link.raw or '#'})" for link in ph]
        status, reason = combine(comps)
        evidence = [e for c in comps for e in c.evidence] if status != "fail" else \
            [e for c in comps if c.status == "pass" for e in c.evidence]
        missing = [m for c in comps if c.status == "fail" for m in c.missing]
        return ItemVerdict(
            id=item.id, title=item.title.th, title_en=item.title.en, subindicator=item.subindicator,
            status=status, reason=reason, confidence=item.confidence, weight=weight,
            score=100.0 if status == "pass" else 0.0, missing=missing, evidence=evidence, components=comps,
            placeholders=list(dict.fromkeys(placeholders)),
        )


def _evidence(doc: Document, comp: Component, **fields: Any) -> Evidence:
    return Evidence(url=doc.url, final_url=doc.final_url if doc.final_url != doc.url else "",
                    title=doc.extraction.title[:160], component=comp.id, offsite=doc.offsite,
                    method=doc.extraction.method or doc.extraction.kind, source=doc.extraction.source,
                    ocr_confidence=doc.extraction.ocr_confidence, **fields)


_NO_SIGNATURE = {"th": "ลายมือชื่อ/การลงนามของหัวหน้าหน่วยงาน", "en": "signature of the head of the agency"}
_SIGN_CUES = [skeleton(c) for c in ("ลงชื่อ", ")", "เห็นชอบ", "อนุมัติ", "ลงนาม", "รักษาราชการแทน",
                                    "ปฏิบัติราชการแทน", "รักษาการในตำแหน่ง")]


def _signed_by(text: Text, position: str) -> bool:
    """The head's position written as a signer: after a name in parentheses, "ลงชื่อ" or an approval."""
    key = skeleton(position)
    pos = text.skel.find(key)
    while pos >= 0:
        before = text.skel[max(0, pos - 80):pos]
        after = text.skel[pos:pos + 60]
        if any(c in before for c in _SIGN_CUES) or any(c in after for c in _SIGN_CUES[-3:]):
            return True
        pos = text.skel.find(key, pos + 1)
    return False


_LOGIN = re.compile(r"(รหัสผ่าน|password|เข้าสู่ระบบ|log\s?in|sign\s?in)", re.I)
_PUBLIC_SIGNUP = re.compile(r"(สมัครสมาชิก|ลงทะเบียน|sign\s?up|register|สมัครใช้งาน)", re.I)


def _login_wall(doc: Document) -> bool:
    """A page that only asks for credentials (no public form, no public sign-up)."""
    text = doc.extraction.title + " " + doc.extraction.text[:1500]
    return not doc.extraction.has_form and bool(_LOGIN.search(text)) and not _PUBLIC_SIGNUP.search(text)


def _real_href(raw: str) -> bool:
    """A page's link to itself is a placeholder only on that page; elsewhere the menu entry works."""
    raw = raw.strip().lower()
    return bool(raw) and not raw.startswith(("#", "javascript"))


def combine(comps: list[ComponentVerdict]) -> tuple[str, str]:
    """Criteria §6 for items with several components."""
    failing = [c for c in comps if c.status == "fail"]
    if not failing:
        if any(c.status == "review" for c in comps):
            return "review", "unverified"
        if all(c.reason == "not_yet_due" for c in comps):
            return "pass", "not_yet_due"
        return "pass", "ok"
    non_absent = [c for c in failing if c.reason != "absent"]
    if not non_absent:
        if any(c.status in ("pass", "review") for c in comps):
            return "fail", "incomplete"  # fails whatever the unread component holds
        return "fail", "absent"
    return "fail", non_absent[0].reason

