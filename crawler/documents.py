"""What extraction produces for one fetched resource: the contract between crawl and checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Link:
    """One way a page points somewhere, as a person would see it."""

    url: str  # absolute URL (fragment removed); "" for a placeholder link
    text: str  # anchor text, plus title= and alt= of images inside the link
    kind: str = "a"  # a | area | iframe | embed | object | onclick | refresh | viewer | img | mailto | tel
    context: str = ""  # text of the enclosing table row / list item / block, for index pages
    placeholder: bool = False  # '#', '#!', '', javascript:void(0), a link to the page itself
    raw: str = ""  # the href/src exactly as written
    section: str = ""  # the tab (or else the heading) the link sits under: "ปี 2568" on a year-tabbed index

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Extraction:
    """Text and structure pulled out of one document; ``error`` set when it could not be read."""

    kind: str  # html | pdf | docx | doc | odt | pptx | xlsx | xls | ods | csv | image | text | archive | other
    title: str = ""
    headings: list[str] = field(default_factory=list)
    text: str = ""  # normalised display text (Thai digits kept), whole document
    links: list[Link] = field(default_factory=list)
    pages: int = 0  # PDF pages, spreadsheet sheets, 1 for HTML
    method: str = ""  # how the text was obtained: html, pdftotext, pypdfium2, docx, openpyxl, xlrd ...
    error: str | None = None  # unreadable: encrypted, truncated, corrupt, too large ...
    has_form: bool = False  # a form a member of the public can fill (not a site search box, not a staff login)
    images: int = 0  # images shown on the page or embedded in the document
    published: str | None = None  # ISO date from page metadata (article:published_time ...), if any
    # Provenance of the text: "text" (as the producer stored it), "repaired" (a broken text layer
    # mended: legacy codes, split marks, letter-spacing), "ocr" (read from page images), "mixed"
    # (some pages OCRed); "" when there is no text.
    source: str = ""
    ocr_pages: int = 0  # pages (or images) whose text came from OCR
    ocr_confidence: float | None = None  # mean Tesseract word confidence (0–100) over those pages
    notes: list[str] = field(default_factory=list)  # cut-offs and refusals: page cap, time budget ...

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Document:
    """One fetched (or failed) URL of a run, with its extraction."""

    url: str
    final_url: str
    status: int | None
    content_type: str = ""
    size: int = 0
    depth: int = 0
    offsite: bool = False
    referer: str = ""
    error: str | None = None  # fetch error: dns, timeout, refused, http_404, redirect_loop, too_large ...
    extraction: Extraction = field(default_factory=lambda: Extraction(kind="other"))
    sha256: str = ""
    etag: str | None = None  # validators the server sent, for the next run's conditional request
    last_modified: str | None = None
    revalidated: bool = False  # the server answered 304 Not Modified: the stored copy was used

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300
