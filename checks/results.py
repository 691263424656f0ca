"""Verdicts and scores: what checks produce and reports render (JSON schema ``oitcheck/audit`` v1)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

JSON_SCHEMA = "https://github.com/oitcheck/oitcheck/schema/audit-1.json"
JSON_VERSION = 1


@dataclass
class Evidence:
    url: str
    final_url: str = ""
    title: str = ""
    component: str = ""  # component id the evidence serves
    snippet: str = ""  # display text around the matched words
    matched: list[str] = field(default_factory=list)  # phrases found
    dates: list[str] = field(default_factory=list)  # period / dates read, as shown in the document
    offsite: bool = False
    method: str = ""  # the tool that gave the text (html, pdftotext, tesseract ...)
    source: str = ""  # provenance of the text: text | repaired | ocr | mixed (see Extraction.source)
    ocr_confidence: float | None = None  # mean OCR word confidence when source is ocr or mixed


@dataclass
class ComponentVerdict:
    id: str
    name: str
    status: str  # pass | fail | review | not_yet_due
    reason: str  # ok | not_yet_due | absent | stale | incomplete | broken | offsite | unverified
    recency: str
    missing: list[str] = field(default_factory=list)  # what to publish, phrased for an officer
    detail: str = ""  # one sentence on why
    evidence: list[Evidence] = field(default_factory=list)
    candidates: int = 0


@dataclass
class ItemVerdict:
    id: str
    title: str
    title_en: str
    subindicator: str
    status: str  # pass | fail | review
    reason: str  # ok | not_yet_due | absent | stale | incomplete | broken | offsite | unverified
    confidence: str  # Q | S | R | I (how sure the criteria themselves are)
    weight: float  # effective weight, % of OIT
    score: float  # 100 or 0 (review counts 0 until a person decides)
    missing: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    components: list[ComponentVerdict] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)  # labelled links that go nowhere
    # verify mode: URLs elsewhere on the site that pass when the submitted ones do not
    alternatives: list[str] = field(default_factory=list)


@dataclass
class GroupScore:
    id: str
    name: str
    score: float
    weight: float  # share of its parent (indicator or OIT)
    items: list[str] = field(default_factory=list)


@dataclass
class Score:
    oit: float
    indicators: list[GroupScore]
    subindicators: list[GroupScore]
    complete: bool  # False while any item is in review
    band: str  # band of the OIT score on the pack's scale, for reference
    bands: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Coverage:
    pages: int = 0
    documents: int = 0
    offsite: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)  # cause -> count
    error_urls: list[tuple[str, str]] = field(default_factory=list)  # (url, cause), capped
    unparseable: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    finish_reason: str = ""
    text_sources: dict[str, int] = field(default_factory=dict)  # documents by provenance: text, ocr ... none
    ocr_pages: int = 0
    cut_off: list[tuple[str, str]] = field(default_factory=list)  # (url, note): read in part or refused


@dataclass
class AuditResult:
    framework: str
    framework_title: str
    site: str
    scope: str
    fiscal_year: int
    as_of: str
    run_id: int
    db: str
    items: list[ItemVerdict]
    score: Score
    coverage: Coverage
    agency: str = ""
    generated: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        return {"$schema": JSON_SCHEMA, "version": JSON_VERSION, **d}
