"""The one spider: walk an agency's main website, fetch linked documents (one hop off-site).

    scrapy crawl site -a url=http://www.example.go.th/ -a db=out/run.sqlite [-a scope=...]

Every fetched or failed URL becomes a ``Document`` item (the store pipeline writes it). Redirects
are followed here rather than by Scrapy's middleware so that the chain, loops and the final URL
are recorded; every HTTP status reaches the callback so a 404 is evidence of a broken link, not a
silent drop.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from crawler.cache import ExtractionCache
from crawler.documents import Document, Extraction
from crawler.extract import extract, sniff
from crawler.priority import is_archive_url, is_document_url, is_media_url, link_priority
from crawler.scope import Scope, host_key
from crawler.workers import shared_pool
from store import local_dir

MAX_REDIRECTS = 10
# Parsed in the crawl's own process: quick, and their links are needed to go on crawling.
_IN_PROCESS = {"html", "feed", "text"}
MAX_URL_LENGTH = 600  # characters once percent-decoded: a Thai slug is 9 bytes a letter encoded
MAX_RAW_URL_LENGTH = 2083  # what browsers accept
OFFSITE_PAGES_PER_HOST = 12
# Calendars and date archives generate pages without end. URLs of one shape that differ only in
# a date-like number are cut off beyond this; other numbered URLs (news ids, pages) only by budget.
DATE_SHAPE_LIMIT = 40
SAME_SHAPE_LIMIT = 2000
_DATE_LIKE = re.compile(
    r"((19|20|25)\d\d[-/_]?(0[1-9]|1[0-2])(?!\d))|[?&](m|month|year|yr|date|day|d|cal|calendar|ym)=\d", re.I
)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def url_shape(url: str) -> str:
    """``/calendar.php?m=202401`` and ``/calendar.php?m=202402`` share a shape; traps repeat one."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "0", unquote(parts.path))
    query = re.sub(r"=[^&]*\d[^&]*", "=0", parts.query)
    return f"{parts.hostname}{path}?{query}"


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(
        self,
        url: str,
        scope: str | None = None,
        max_pages: int | str = 3000,
        max_depth: int | str = 8,
        db: str | None = None,
        proxy: str | None = None,
        cache: str | None = None,
        seeds: list[str] | str | None = None,
        site_id: int | str | None = None,
        incremental: bool | str = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # URLs fetched even if no page links them (the URLs an agency plans to submit), comma-separated
        # when given on the command line.
        self.seeds = [safe_url_string(u) for u in (seeds.split(",") if isinstance(seeds, str) else seeds or [])
                      if u.strip()]
        self.cache_path = cache  # extraction cache file; "" or "off" for none (default: the setting)
        self._cache: ExtractionCache | None | bool = False  # opened on the first document
        self.proxy = proxy  # per-spider proxy, so one process can crawl sites behind different proxies
        self.start_url = safe_url_string(url)
        self.scope = Scope.from_start(self.start_url, scope)
        self.max_pages = int(max_pages)
        self.max_depth = int(max_depth)
        self.db = db
        self.fetched = 0
        self.scheduled: set[str] = set()
        self.shapes: Counter[str] = Counter()
        self.offsite_hosts: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()  # pages, documents, errors, skipped:<reason>
        self.site_id = int(site_id) if site_id not in (None, "") else None
        # Conditional requests: the pipeline fills ``validators`` (URL -> the previous run's ETag,
        # Last-Modified, content hash) and ``stored`` (the store holding those contents).
        self.incremental = str(incremental).lower() not in ("0", "false", "no", "off")
        self.validators: dict[str, dict] = {}
        self.stored: Any = None
        self.store_error = ""  # set when the store refused a write; the crawl stops

    # -- scheduling --------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self._request(self.start_url, level=0, referer="", offsite=False, hops=0, priority=100)
        for url in self.seeds:
            if url != self.start_url:
                self.scheduled.add(url)
                offsite = not self.scope.contains(url)
                yield self._request(url, level=1, referer="", offsite=offsite, hops=int(offsite), priority=90)

    def _request(self, url: str, *, level: int, referer: str, offsite: bool, hops: int, priority: int,
                 origin: str | None = None, chain: tuple[str, ...] = ()) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.on_error,
            priority=priority,
            dont_filter=bool(chain),  # redirect hops are tracked by their own chain
            meta={
                "dont_redirect": True,
                "handle_httpstatus_all": True,
                "level": level,
                "referer_url": referer,
                "offsite": offsite,
                "hops": hops,
                "origin": origin or url,
                "chain": chain,
                **({"proxy": self.proxy} if self.proxy else {}),
            },
            headers=self._headers(url, referer),
        )

    def _headers(self, url: str, referer: str) -> dict[str, str]:
        headers = {"Referer": referer} if referer else {}
        if previous := self.validators.get(url):
            if previous["etag"]:
                headers["If-None-Match"] = previous["etag"]
            if previous["last_modified"]:
                headers["If-Modified-Since"] = previous["last_modified"]
        return headers

    def _skip(self, url: str, reason: str, referer: str) -> Document:
        self.counts[f"skipped:{reason}"] += 1
        return Document(url=url, final_url=url, status=None, referer=referer, error=f"skipped:{reason}",
                        extraction=Extraction(kind="other"))

    def _follow(self, response: Response, doc: Document) -> Iterator[scrapy.Request | Document]:
        """Schedule the links of an HTML page, within scope and budgets."""
        meta = response.meta
        level = meta["level"] + 1
        page_in_scope = not meta["offsite"]
        seen_here: set[str] = set()
        for link in doc.extraction.links:
            url = link.url
            if link.placeholder or not url or link.kind in ("mailto", "tel"):
                continue
            if not url.startswith(("http://", "https://")) or url in seen_here:
                continue
            seen_here.add(url)
            if url in self.scheduled:
                continue
            if is_media_url(url) and link.kind not in ("a", "viewer"):
                continue
            same_site = self.scope.contains(url)
            if page_in_scope:
                if same_site:
                    offsite, hops = False, 0
                elif self.scope.is_shared_upload(url) and is_document_url(url):
                    offsite, hops = False, 0  # portal upload tree, linked from the agency's own page
                else:
                    offsite, hops = True, 1
            else:
                # Off-site pages: one more hop on the same host (an e-service landing page's form).
                if meta["hops"] >= 2 or host_key(url) != host_key(response.url):
                    continue
                offsite, hops = True, 2
            if level > self.max_depth and not offsite:
                yield self._skip(url, "depth_budget", response.url)
                self.scheduled.add(url)
                continue
            if len(unquote(url)) > MAX_URL_LENGTH or len(url) > MAX_RAW_URL_LENGTH:
                yield self._skip(url, "url_too_long", response.url)
                self.scheduled.add(url)
                continue
            shape = url_shape(url)
            self.shapes[shape] += 1
            # Upload trees dated by year/month (/uploads/2025/01/) are files, not generated pages.
            dated = _DATE_LIKE.search(unquote(url)) and not is_document_url(url)
            limit = DATE_SHAPE_LIMIT if dated else SAME_SHAPE_LIMIT
            if self.shapes[shape] > limit:
                yield self._skip(url, "trap_suspected", response.url)
                self.scheduled.add(url)
                continue
            if offsite:
                host = host_key(url)
                if self.offsite_hosts[host] >= OFFSITE_PAGES_PER_HOST:
                    continue
                self.offsite_hosts[host] += 1
            self.scheduled.add(url)
            if is_archive_url(url):
                # Archives are never acceptable evidence (criteria §6: broken); do not download them.
                yield Document(url=url, final_url=url, status=None, referer=response.url, offsite=offsite,
                               error="archive_not_opened", extraction=Extraction(kind="archive"))
                continue
            priority = link_priority(url, link.text, link.context, level)
            yield self._request(url, level=level, referer=response.url, offsite=offsite, hops=hops,
                                priority=priority)

    # -- extraction ----------------------------------------------------------------------------
    @property
    def cache(self) -> ExtractionCache | None:
        if self._cache is False:
            path = self.cache_path if self.cache_path is not None else self.settings.get("OITCHECK_CACHE")
            if path is None and self.db:  # beside the evidence store, shared by the runs written there
                path = str(local_dir(self.db) / "extractions.sqlite")
            self._cache = ExtractionCache(path) if path and path.lower() not in ("off", "none", "0") else None
        return self._cache  # type: ignore[return-value]

    async def _extract(self, body: bytes, url: str, content_type: str, sha256: str) -> Extraction:
        """Documents come from the cache or a worker process; pages are parsed here."""
        try:
            kind = sniff(body, url, content_type)
        except Exception:  # extract() reports what sniffing choked on
            kind = "other"
        if not body or kind in _IN_PROCESS:
            return extract(body, url, content_type)
        cache = self.cache
        if cache is not None and (hit := cache.get(sha256)) is not None:
            self.counts["cache_hits"] += 1
            return hit
        pool = shared_pool(self.settings)
        if pool is None:
            extraction = extract(body, url, content_type)
        else:
            extraction, cpu = await pool.extract(body, url, content_type)
            self.counts["worker_cpu_ms"] += round(cpu * 1000)
        if cache is not None:
            cache.put(sha256, extraction)
        return extraction

    def closed(self, reason: str) -> None:
        if self._cache:
            self._cache.close()  # type: ignore[union-attr]

    # -- responses -----------------------------------------------------------------------------
    async def parse(self, response: Response) -> AsyncIterator[scrapy.Request | Document]:
        meta = response.meta
        origin = meta["origin"]
        if 300 <= response.status < 400 and b"Location" in response.headers:
            location = safe_url_string(urljoin(response.url, response.headers[b"Location"].decode("latin-1")))
            chain = (*meta["chain"], response.url)
            if location in chain or len(chain) >= MAX_REDIRECTS:
                reason = "redirect_loop" if location in chain else "too_many_redirects"
                self.counts["errors"] += 1
                yield self._document(origin, response.url, response.status, meta, error=reason)
                return
            yield self._request(location, level=meta["level"], referer=meta["referer_url"],
                                offsite=meta["offsite"] and not self.scope.contains(location),
                                hops=meta["hops"], priority=100, origin=origin, chain=chain)
            return

        self.fetched += 1
        if self.fetched > self.max_pages:
            raise CloseSpider("page_budget")
        if response.status == 304 and (previous := self.validators.get(response.url)):
            async for out in self._not_modified(response, previous):
                yield out
            return
        if response.status >= 400:
            self.counts["errors"] += 1
            yield self._document(origin, response.url, response.status, meta, error=f"http_{response.status}")
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        sha256 = hashlib.sha256(response.body).hexdigest() if response.body else ""
        extraction = await self._extract(response.body, response.url, content_type, sha256)
        offsite = meta["offsite"] and not (
            self.scope.contains(response.url)
            or (self.scope.is_shared_upload(response.url) and not meta["offsite"])
        )
        meta = {**meta, "offsite": offsite}
        doc = self._document(origin, response.url, response.status, meta, extraction=extraction,
                             size=len(response.body), sha256=sha256, content_type=content_type)
        doc.etag = _header(response, b"ETag")
        doc.last_modified = _header(response, b"Last-Modified")
        self.counts["pages" if extraction.kind == "html" else "documents"] += 1
        if extraction.error:
            self.counts["unparseable"] += 1
        yield doc
        if extraction.kind == "html":
            response.meta.update(meta)
            for out in self._follow(response, doc):
                yield out

    async def _not_modified(self, response: Response, previous: dict) -> AsyncIterator[scrapy.Request | Document]:
        """304 Not Modified: the previous run's copy stands; its stored extraction is used again."""
        meta = response.meta
        extraction = self.stored.extraction(previous["sha256"]) if self.stored is not None else None
        if extraction is None:  # the stored copy is gone: record the answer as it is
            self.counts["errors"] += 1
            yield self._document(meta["origin"], response.url, 304, meta, error="http_304_without_copy")
            return
        offsite = meta["offsite"] and not self.scope.contains(response.url)
        meta = {**meta, "offsite": offsite}
        doc = self._document(meta["origin"], response.url, previous["status"], meta, extraction=extraction,
                             size=previous["size"] or 0, sha256=previous["sha256"],
                             content_type=previous["content_type"] or "")
        doc.etag = _header(response, b"ETag") or previous["etag"]
        doc.last_modified = _header(response, b"Last-Modified") or previous["last_modified"]
        doc.revalidated = True
        self.counts["not_modified"] += 1
        self.counts["pages" if extraction.kind == "html" else "documents"] += 1
        yield doc
        if extraction.kind == "html":
            response.meta.update(meta)
            for out in self._follow(response, doc):
                yield out

    def _document(self, url: str, final_url: str, status: int | None, meta: dict, *, error: str | None = None,
                  extraction: Extraction | None = None, size: int = 0, sha256: str = "",
                  content_type: str = "") -> Document:
        return Document(
            url=url, final_url=final_url, status=status, content_type=content_type, size=size,
            depth=meta["level"], offsite=bool(meta["offsite"]), referer=meta["referer_url"], error=error,
            extraction=extraction or Extraction(kind="other"), sha256=sha256,
        )

    def on_error(self, failure: Failure) -> Iterator[Document]:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        if failure.check(IgnoreRequest):
            reason = "robots" if "robots" in str(failure.value).lower() else "ignored"
        elif failure.check(CannotResolveHostError):
            reason = "dns"
        elif failure.check(DownloadTimeoutError):
            reason = "timeout"
        elif failure.check(DownloadConnectionRefusedError):
            reason = "refused"
        elif failure.check(DownloadCancelledError):
            reason = "too_large"
        elif failure.check(ResponseDataLossError, DownloadFailedError):
            reason = "connection_lost"
        else:
            reason = f"error:{failure.type.__name__}"
        self.counts["errors"] += 1
        yield self._document(meta.get("origin", request.url), request.url, None, meta, error=reason)
