"""The one-way pipeline: crawl → (extract, store) → check → score → result."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from checks.engine import Engine
from checks.fiscal import fiscal_year
from checks.messages import say
from checks.pack import Pack
from checks.results import AuditResult, Coverage, ItemVerdict
from checks.score import item_weights, score
from checks.site import SiteView
from crawler.scope import Scope
from store import Store, StoreError, describe

_CAUSE_PREFIXES = ("http_4", "http_5")


def _process(extra: dict | None):  # -> scrapy.crawler.CrawlerProcess (imported lazily: Scrapy is heavy)
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setmodule("crawler.settings", priority="project")
    for k, v in (extra or {}).items():
        settings.set(k, v)
    return CrawlerProcess(settings, install_root_handler=False)


def crawl(url: str, db: str | Path, *, scope: str | None = None, max_pages: int = 3000, max_depth: int = 8,
          time_budget: int = 1800, progress: bool = True, extra: dict | None = None,
          seeds: list[str] | None = None, site_id: int | None = None, incremental: bool = True) -> int:
    """Run the Scrapy spider in this process; returns the run id written to the store ``db``."""
    from crawler.spiders.site import SiteSpider

    jobdir = Path(tempfile.mkdtemp(prefix="oitcheck-job-"))
    process = _process({
        "JOBDIR": str(jobdir),  # disk-backed request queue: memory stays bounded
        "CLOSESPIDER_TIMEOUT": time_budget,
        "OITCHECK_PROGRESS": progress,
        **(extra or {}),
    })
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, url=url, scope=scope, max_pages=max_pages, max_depth=max_depth, db=str(db),
                  seeds=seeds or [], site_id=site_id, incremental=incremental)
    try:
        process.start()
    finally:
        shutil.rmtree(jobdir, ignore_errors=True)
    if error := getattr(crawler.spider, "store_error", ""):
        raise StoreError(error)
    run_id = getattr(crawler.spider, "run_id", None)
    if not run_id:
        raise LookupError(f"the crawl of {url} did not start (see the messages above)")
    return int(run_id)


def crawl_many(jobs: list[dict], extra: dict | None = None) -> None:
    """Crawl several sites concurrently in this process; each job: url, db, and optional scope,
    max_pages, proxy. (A Twisted reactor runs once per process, so batches share one.)"""
    from crawler.spiders.site import SiteSpider

    process = _process(extra)
    for job in jobs:
        process.crawl(SiteSpider, url=job["url"], db=str(job["db"]), scope=job.get("scope"),
                      max_pages=job.get("max_pages", 3000), proxy=job.get("proxy"))
    process.start()


def coverage(store: Store, run_id: int, docs: list) -> Coverage:
    cov = Coverage()
    errors: Counter[str] = Counter()
    for d in docs:
        if d.error:
            cause = d.error
            if cause.startswith(_CAUSE_PREFIXES):
                cause = cause[:6] + "xx"
            errors[cause] += 1
            if len(cov.error_urls) < 200:
                cov.error_urls.append((d.url, d.error))
            continue
        if d.offsite:
            cov.offsite += 1
        if d.extraction.kind == "html":
            cov.pages += 1
        else:
            cov.documents += 1
            source = d.extraction.source or "none"
            cov.text_sources[source] = cov.text_sources.get(source, 0) + 1
        cov.ocr_pages += d.extraction.ocr_pages
        cov.cut_off += [(d.url, note) for note in d.extraction.notes]
        if d.extraction.error:
            errors["unparseable"] += 1
            cov.unparseable.append((d.url, d.extraction.error))
    skipped: Counter[str] = Counter(reason for _, reason, _ in store.skipped(run_id))
    info = store.run_info(run_id)
    stats = info.get("stats") or {}
    if stats.get("finish_reason") and stats["finish_reason"] != "finished":
        cov.finish_reason = str(stats["finish_reason"])
        if stats["finish_reason"] == "page_budget":
            skipped["page_budget"] += max(0, int(stats.get("scheduled", 0)) - int(stats.get("fetched", 0)))
    else:
        cov.finish_reason = "finished"
    cov.errors = dict(errors)
    cov.skipped = dict(skipped)
    return cov


def _load(db: str | Path, pack: Pack, run_id: int | None, as_of: date | None, fy: int | None, lang: str,
          scope: str | None) -> tuple[Engine, SiteView, dict, Coverage, int]:
    as_of = as_of or date.today()
    fy = fy or fiscal_year(as_of)
    if fy > fiscal_year(as_of):
        raise ValueError(f"fiscal year {fy} has not started on {as_of} (criteria §2: F may not be later)")
    store = Store(db)
    run_id = run_id or store.latest_run()
    info = store.run_info(run_id)
    docs = list(store.documents(run_id))
    cov = coverage(store, run_id, docs)
    site_scope = Scope.from_start(info["start_url"], scope or info["scope"])
    view = SiteView(docs, site_scope, pack, fy)
    return Engine(view, pack, fy, as_of, lang), view, info, cov, run_id


def judge_items(db: str | Path, pack: Pack, item_ids: list[str], *, as_of: date | None = None, fy: int | None = None,
                lang: str = "th") -> list[ItemVerdict]:
    """Verdicts for some items of a stored run only (no score): per-item fixtures, quick re-checks."""
    engine = _load(db, pack, None, as_of, fy, lang, None)[0]
    weights = item_weights(pack)
    return [engine.item(pack.item(i), round(weights[i], 2)) for i in item_ids]


def check(db: str | Path, pack: Pack, *, run_id: int | None = None, as_of: date | None = None,
          fy: int | None = None, lang: str = "th", scope: str | None = None) -> AuditResult:
    """Judge a stored run against a rule pack (no network)."""
    engine, view, info, cov, run_id = _load(db, pack, run_id, as_of, fy, lang, scope)
    fy, as_of = engine.fy, engine.as_of
    site_scope = view.scope
    weights = item_weights(pack)
    items = [engine.item(item, round(weights[item.id], 2)) for item in pack.items]
    return AuditResult(
        framework=pack.id, framework_title=getattr(pack.title, lang), site=info["start_url"],
        scope=site_scope.describe(), fiscal_year=fy, as_of=as_of.isoformat(), run_id=run_id, db=describe(db),
        items=items, score=score(pack, items, lang), coverage=cov, agency=view.agency_name,
        generated=datetime.now().isoformat(timespec="seconds"),
    )


def verify(db: str | Path, pack: Pack, submitted: dict[str, list[str]], *, run_id: int | None = None,
           as_of: date | None = None, fy: int | None = None, lang: str = "th",
           scope: str | None = None) -> AuditResult:
    """Judge each item on exactly the URLs the agency will submit; where those fail and the site has
    evidence that passes elsewhere, name it (``ItemVerdict.alternatives``)."""
    audit = check(db, pack, run_id=run_id, as_of=as_of, fy=fy, lang=lang, scope=scope)
    engine, view, _, _, _ = _load(db, pack, audit.run_id, as_of, fy, lang, scope)
    on_urls = Engine(view, pack, engine.fy, engine.as_of, lang, submitted=submitted)
    weights = item_weights(pack)
    best = {i.id: i for i in audit.items}
    items = []
    for item in pack.items:
        verdict = on_urls.item(item, round(weights[item.id], 2))
        for comp in verdict.components:
            if comp.reason == "absent":
                given = bool(submitted.get(item.id))
                comp.detail = say("the submitted URLs do not show it" if given else "no URL submitted for this item",
                                  lang)
        found = best[item.id]
        if verdict.status != "pass" and found.status == "pass":
            given = set(submitted.get(item.id, []))
            verdict.alternatives = [u for u in dict.fromkeys(e.final_url or e.url for e in found.evidence)
                                    if u not in given][:3]
        items.append(verdict)
    audit.items = items
    audit.score = score(pack, items, lang)
    return audit


DEFAULT_STORE = Path("out/oitcheck.sqlite")


def default_db() -> str:
    """The store every command uses unless told otherwise: OITCHECK_DB, else out/oitcheck.sqlite."""
    return os.environ.get("OITCHECK_DB") or str(DEFAULT_STORE)


def save(db: str | Path, result: AuditResult, site_name: str | None = None) -> int:
    """Keep a checked result in the store (history, diff); returns the audit id."""
    store = Store(db)
    site_id = store.run_info(result.run_id).get("site_id")
    if site_id is None:
        site_id = store.site_for_url(result.site, site_name)
    return store.save_audit(result, site_id)
