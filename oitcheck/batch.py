"""Many sites in one process: ``oitcheck batch SITES.csv`` and the nightly job built on it.

Sites are crawled concurrently in one Twisted reactor, at most ``concurrency`` at a time and by
default never two on the same host at once (each crawl is itself polite: few requests per host,
AutoThrottle).
A finished crawl is checked in a worker thread, saved to the store and rendered as the site's own
report; one failing site never stops the others. Progress is kept per site in the store, so an
interrupted batch (Ctrl-C, a reboot, a kill) resumes with the same command: sites already done
are not crawled again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import signal
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from checks.pack import Pack, PackError, load_pack
from checks.results import AuditResult
from crawler.scope import host_key
from reports.i18n import has, t
from reports.json_report import load_json
from store import Store, StoreError

COLUMNS = ("name", "url", "framework", "scope", "group")
_ALIASES = {"ชื่อ": "name", "หน่วยงาน": "name", "ชื่อหน่วยงาน": "name", "agency": "name", "site": "name",
            "เว็บไซต์": "url", "website": "url", "กรอบ": "framework", "กรอบการประเมิน": "framework",
            "ขอบเขต": "scope", "กลุ่ม": "group", "เขต": "group", "zone": "group", "province": "group",
            "จังหวัด": "group", "grp": "group"}


@dataclass
class SiteRow:
    line: int  # line in SITES.csv, for messages
    name: str
    url: str
    framework: str
    scope: str = ""
    group: str = ""


class SitesFileError(ValueError):
    """SITES.csv cannot be used at all (missing, no header, no usable row)."""


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp874"):  # Thai Excel saves CSV as windows-874 unless told otherwise
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def read_sites(path: Path, default_framework: str | None = None) -> tuple[list[SiteRow], list[str]]:
    """The usable rows of SITES.csv and one message per rejected row (naming its line)."""
    try:
        text = _decode(path.read_bytes())
    except OSError as e:
        raise SitesFileError(f"{path}: {e.strerror or e}") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise SitesFileError(f"{path}: empty; expected a header line: {','.join(COLUMNS)}")
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)))
    header = [_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
    missing = [c for c in ("name", "url") if c not in header]
    if missing or ("framework" not in header and not default_framework):
        need = missing + ([] if "framework" in header or default_framework else ["framework"])
        raise SitesFileError(f"{path} line {lines[0][0]}: the header lacks {', '.join(need)} "
                             f"(columns: {','.join(COLUMNS)}; framework may come from --framework)")
    rows: list[SiteRow] = []
    problems: list[str] = []
    seen_names: dict[str, int] = {}
    seen_urls: dict[tuple[str, str], int] = {}
    packs: dict[str, str | None] = {}
    for (n, _), cells in zip(lines[1:], reader, strict=False):
        where = f"{path.name} line {n}"
        if len(cells) > len(header):
            problems.append(f"{where}: {len(cells)} fields, the header has {len(header)} (a comma in a name? "
                            "quote it)")
            continue
        row = {k: v.strip() for k, v in zip(header, cells, strict=False)}
        name, url = row.get("name", ""), row.get("url", "")
        framework = row.get("framework") or default_framework or ""
        if not name:
            problems.append(f"{where}: no name")
            continue
        if url and "://" not in url:
            url = "http://" + url  # www.example.go.th as people type it
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
            problems.append(f"{where} ({name}): not a website address: {row.get('url', '')!r}")
            continue
        if framework not in packs:
            try:
                load_pack(framework)
                packs[framework] = None
            except PackError as e:
                packs[framework] = str(e)
        if packs[framework]:
            problems.append(f"{where} ({name}): unknown framework {framework!r} (see 'oitcheck frameworks list')")
            continue
        key = (host_key(url) + urlsplit(url).path.rstrip("/"), row.get("scope", ""))
        if name in seen_names:
            problems.append(f"{where} ({name}): duplicate site, same name as line {seen_names[name]}; skipped")
            continue
        if key in seen_urls:
            problems.append(f"{where} ({name}): duplicate site, same address as line {seen_urls[key]}; skipped")
            continue
        seen_names[name], seen_urls[key] = n, n
        rows.append(SiteRow(n, name, url, framework, row.get("scope", ""), row.get("group", "")))
    return rows, problems


@dataclass
class BatchOptions:
    db: str
    concurrency: int = 4  # sites crawled at once (each with its own per-host politeness)
    per_host: int = 1  # sites crawled at once on one host
    max_pages: int = 3000
    max_depth: int = 8
    time_budget: int = 1800  # per site, seconds
    as_of: date | None = None
    fiscal_year: int | None = None
    lang: str = "th"
    report_dir: Path | None = None  # site reports and the comparison; default out/batch-<id>/
    progress: bool = True
    fresh: bool = False  # start a new batch even if an unfinished one with the same rows exists
    resume_within: float | None = None  # seconds; an unfinished batch older than this is not resumed
    incremental: bool = True  # conditional requests against each site's previous run
    extra: dict = field(default_factory=dict)  # Scrapy settings


@dataclass
class SiteOutcome:
    row: SiteRow
    site_id: int
    state: str = "pending"  # pending | running | done | failed
    run_id: int | None = None
    audit_id: int | None = None
    error: str | None = None  # English, as stored
    problem: Problem | None = None  # the same, to show in the report's language
    pages: int = 0
    errors: int = 0
    seconds: float = 0.0
    report: str | None = None
    result: AuditResult | None = None

    def error_text(self, lang: str) -> str | None:
        return self.problem.text(lang) if self.problem else self.error


@dataclass
class BatchSummary:
    batch_id: int
    resumed: bool
    interrupted: bool
    sites: list[SiteOutcome]
    report_dir: Path
    seconds: float

    @property
    def failed(self) -> list[SiteOutcome]:
        return [s for s in self.sites if s.state == "failed"]


_CHALLENGE = re.compile(r"just a moment|attention required|checking your browser|cf-chl|captcha|"
                        r"ddos protection|access denied|request rejected|โปรดยืนยันว่าคุณไม่ใช่โปรแกรม", re.I)

@dataclass
class Problem:
    """Why a site could not be audited: a ``problem.*`` label of reports.i18n and its detail."""

    code: str
    detail: str = ""

    def text(self, lang: str = "en") -> str:
        """In ``lang``; the store keeps the English. Named crawl causes (dns, timeout …) use their labels."""
        detail = self.detail
        if lang == "th" and has(f"cause.{detail}"):
            detail = t(f"cause.{detail}", lang)
        return t(f"problem.{self.code}", lang, detail=detail)


def site_problem(store: Store, run_id: int) -> Problem | None:
    """Why a crawl cannot be judged: the start page unreachable, or the site refusing the crawler."""
    docs = list(store.documents(run_id))
    stats = store.run_info(run_id)["stats"]
    if stats.get("store_error"):
        return Problem("store", stats["store_error"])
    if not docs:
        return Problem("robots" if stats.get("skipped:robots") else "nothing")
    first = docs[0]
    ok = [d for d in docs if d.ok]
    if not ok:
        cause = (first.error or f"http_{first.status}").replace("http_", "HTTP ")
        if first.status in (401, 403, 429) or cause in ("HTTP 401", "HTTP 403", "HTTP 429"):
            return Problem("refused_crawler", cause)
        return Problem("unreachable", cause)
    pages = [d for d in ok if d.extraction.kind == "html"]
    if len(ok) <= 2 and pages and _CHALLENGE.search(pages[0].extraction.title + " " + pages[0].extraction.text[:2000]):
        return Problem("challenge")
    return None


def fingerprint(rows: list[SiteRow]) -> str:
    data = [(r.name, r.url, r.framework, r.scope, r.group) for r in rows]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def slug(name: str, site_id: int) -> str:
    ascii_part = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]
    return f"{site_id:04d}-{ascii_part}" if ascii_part else f"{site_id:04d}"


class BatchRun:
    """One batch run in this process (the reactor runs once per process)."""

    def __init__(self, rows: list[SiteRow], name: str, options: BatchOptions, kind: str = "batch") -> None:
        self.rows, self.name, self.opt, self.kind = rows, name, options, kind
        self.store = Store(options.db)
        self.packs: dict[str, Pack] = {fw: load_pack(fw) for fw in dict.fromkeys(r.framework for r in rows)}
        self.sites: list[SiteOutcome] = []
        self.queue: list[SiteOutcome] = []
        self.running: dict[int, tuple[SiteOutcome, Any, float]] = {}  # site_id -> (outcome, crawler, started)
        self.checking = 0
        self.interrupted = False
        self.started = time.time()
        self._finishing = False

    # -- set-up ----------------------------------------------------------------------------------
    def _prepare(self) -> tuple[int, bool]:
        batch_id, resumed = self.store.open_batch(
            self.name, fingerprint(self.rows), self.kind,
            {"as_of": str(self.opt.as_of or ""), "fiscal_year": self.opt.fiscal_year},
            resume=not self.opt.fresh, max_age=self.opt.resume_within)
        known = self.store.batch_sites(batch_id)
        for row in self.rows:
            site_id = self.store.upsert_site(row.name, row.url, row.framework, row.scope or None, row.group or None)
            outcome = SiteOutcome(row, site_id)
            previous = known.get(site_id)
            if previous and previous["state"] == "done":
                outcome.state, outcome.run_id, outcome.audit_id = "done", previous["run_id"], previous["audit_id"]
            else:
                self.store.set_batch_site(batch_id, site_id, row=row.line, state="pending", error=None)
                self.queue.append(outcome)
            self.sites.append(outcome)
        return batch_id, resumed

    # -- the run ---------------------------------------------------------------------------------
    def run(self) -> BatchSummary:
        from oitcheck.audit import _process

        self.batch_id, resumed = self._prepare()
        self.report_dir = self.opt.report_dir or Path("out") / f"{self.kind}-{self.batch_id}"
        self.report_dir.mkdir(parents=True, exist_ok=True)
        done = sum(1 for s in self.sites if s.state == "done")
        if resumed:
            self._say(f"resuming {self.kind} {self.batch_id}: {done} of {len(self.sites)} sites already done")
        if self.queue:
            self.process = _process({"OITCHECK_PROGRESS": False, "CLOSESPIDER_TIMEOUT": self.opt.time_budget,
                                     **self.opt.extra})
            from scrapy.utils.reactor import install_reactor, is_reactor_installed

            if not is_reactor_installed():  # Scrapy's choice of reactor, before anything imports the default
                install_reactor(self.process.settings["TWISTED_REACTOR"])
            from twisted.internet import reactor, task
            from twisted.internet.defer import DeferredSemaphore

            self.check_slot = DeferredSemaphore(1)  # one check at a time: CPU for the crawls, bounded memory
            self.loop = task.LoopingCall(self._progress)
            previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
            for s in previous:
                signal.signal(s, self._on_signal)
            reactor.callWhenRunning(self._start)
            try:
                self.process.start(stop_after_crawl=False, install_signal_handlers=False)
            finally:
                for s, handler in previous.items():
                    signal.signal(s, handler)
        for outcome in self.sites:  # stopped before its crawl reported back: crawled afresh next time
            if outcome.state == "running":
                outcome.state = "pending"
                self.store.set_batch_site(self.batch_id, outcome.site_id, state="pending")
        if not self.interrupted:
            self.store.finish_batch(self.batch_id)
        self._load_results()
        return BatchSummary(self.batch_id, resumed, self.interrupted, self.sites, self.report_dir,
                            time.time() - self.started)

    def _start(self) -> None:
        if self.opt.progress:
            self.loop.start(2.0 if sys.stderr.isatty() else 30.0, now=False)
        self._fill()

    def _fill(self) -> None:
        from twisted.internet import reactor

        if self.interrupted:
            return
        for outcome in self.next_sites():
            self.queue.remove(outcome)
            try:
                self._crawl(outcome)
            except StoreError as e:  # locked or full: this site fails with the reason, the batch goes on
                self.running.pop(outcome.site_id, None)
                self._failed(outcome, Problem("store", str(e)))
        if not self.queue and not self.running and not self.checking and reactor.running and not self._finishing:
            self._finish()

    def next_sites(self) -> list[SiteOutcome]:
        """The queued sites to start now: up to the concurrency limit, at most ``per_host`` at once on
        one host (the districts of a shared portal are one server)."""
        busy = Counter(host_key(o.row.url) for o, _, _ in self.running.values())
        chosen: list[SiteOutcome] = []
        for outcome in self.queue:
            if len(self.running) + len(chosen) >= self.opt.concurrency:
                break
            host = host_key(outcome.row.url)
            if busy[host] < self.opt.per_host:
                busy[host] += 1
                chosen.append(outcome)
        return chosen

    def _later(self) -> None:
        """Fill again on the next turn of the reactor (not from inside a crawl's callbacks)."""
        from twisted.internet import reactor

        reactor.callLater(0, self._fill)

    def _crawl(self, outcome: SiteOutcome) -> None:
        from crawler.spiders.site import SiteSpider

        outcome.state = "running"
        self.store.set_batch_site(self.batch_id, outcome.site_id, state="running", started=time.time())
        crawler = self.process.create_crawler(SiteSpider)
        self.running[outcome.site_id] = (outcome, crawler, time.time())
        row = outcome.row
        d = self.process.crawl(crawler, url=row.url, scope=row.scope or None, max_pages=self.opt.max_pages,
                               max_depth=self.opt.max_depth, db=self.opt.db, site_id=outcome.site_id,
                               incremental=self.opt.incremental)
        d.addBoth(self._crawled, outcome, crawler)

    def _crawled(self, result: Any, outcome: SiteOutcome, crawler: Any) -> None:
        from twisted.internet import threads
        from twisted.python.failure import Failure

        _, _, started = self.running.pop(outcome.site_id)
        outcome.seconds = time.time() - started
        spider = crawler.spider
        outcome.run_id = getattr(spider, "run_id", None) or None
        outcome.pages = getattr(spider, "fetched", 0)
        outcome.errors = getattr(spider, "counts", {}).get("errors", 0)
        reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
        if self.interrupted or reason == "shutdown":
            outcome.state = "pending"  # resumed next time, crawled afresh
            self.store.set_batch_site(self.batch_id, outcome.site_id, state="pending", run_id=outcome.run_id)
            self._later()
            return
        if isinstance(result, Failure):
            self._failed(outcome, Problem("crashed", result.getErrorMessage()))
            return
        if outcome.run_id is None:
            store_error = getattr(spider, "store_error", "")
            self._failed(outcome, Problem("store", store_error) if store_error else Problem("nothing"))
            return
        problem = site_problem(self.store, outcome.run_id)
        if problem:
            self._failed(outcome, problem)
            return
        self.checking += 1
        d = self.check_slot.run(threads.deferToThread, self._check, outcome)
        d.addCallbacks(lambda _: self._done(outcome),
                       lambda f: self._failed(outcome, Problem("check_failed", f.getErrorMessage())))
        d.addBoth(self._checked)

    def _check(self, outcome: SiteOutcome) -> None:
        """In a worker thread: judge the run, keep the audit, write the site's report."""
        from oitcheck.audit import check
        from reports import render

        row = outcome.row
        assert outcome.run_id is not None
        result = check(self.opt.db, self.packs[row.framework], run_id=outcome.run_id, as_of=self.opt.as_of,
                       fy=self.opt.fiscal_year, lang=self.opt.lang, scope=row.scope or None)
        result.agency = result.agency or row.name
        outcome.audit_id = self.store.save_audit(result, outcome.site_id)
        name = f"{slug(row.name, outcome.site_id)}.html"
        (self.report_dir / name).write_text(render(result, "html", self.opt.lang), encoding="utf-8")
        outcome.report, outcome.result = name, result

    def _checked(self, _: Any) -> None:
        self.checking -= 1
        self._later()

    def _done(self, outcome: SiteOutcome) -> None:
        outcome.state = "done"
        self.store.set_batch_site(self.batch_id, outcome.site_id, state="done", run_id=outcome.run_id,
                                  audit_id=outcome.audit_id, error=None, finished=time.time())
        self._report(outcome)

    def _failed(self, outcome: SiteOutcome, problem: Problem) -> None:
        outcome.state, outcome.problem, outcome.error = "failed", problem, problem.text("en")
        try:
            self.store.set_batch_site(self.batch_id, outcome.site_id, state="failed", run_id=outcome.run_id,
                                      error=outcome.error, finished=time.time())
        except StoreError as e:
            self._say(str(e))
        self._report(outcome)
        self._later()

    def _report(self, outcome: SiteOutcome) -> None:
        if outcome.state == "failed":
            self._say(f"✗ {outcome.row.name} ({outcome.row.url}): {outcome.error_text(self.opt.lang)}")
        elif self.opt.progress:
            oit = outcome.result.score.oit if outcome.result else float("nan")
            self._say(f"✓ {outcome.row.name}: OIT {oit:.2f}, {outcome.pages} pages in {outcome.seconds:.0f} s")

    def _finish(self) -> None:
        from twisted.internet import reactor

        self._finishing = True
        if self.loop.running:
            self.loop.stop()
        if self.opt.progress:
            self._progress(final=True)
        reactor.callLater(0, reactor.stop)

    def _on_signal(self, signum: int, _: Any) -> None:
        from twisted.internet import reactor

        if self.interrupted:  # a second Ctrl-C: stop now
            reactor.callFromThread(reactor.stop)
            return
        self.interrupted = True
        self._say(f"\nstopping ({signal.Signals(signum).name}): running crawls are closed; the same command "
                  "resumes this batch where it left off. Again to stop at once.")
        reactor.callFromThread(self._stop_all)

    def _stop_all(self) -> None:
        from scrapy.utils.defer import deferred_from_coro
        from twisted.internet import reactor

        asked: set[int] = set()
        give_up = time.time() + 60

        def wait() -> None:
            # A crawl that was only starting has no running engine yet: ask again until it has.
            for site_id, (_, crawler, _) in list(self.running.items()):
                if site_id not in asked and crawler.engine is not None and crawler.engine.running:
                    asked.add(site_id)
                    deferred_from_coro(crawler.stop_async())
            if (self.running or self.checking) and time.time() < give_up:
                reactor.callLater(0.2, wait)
            elif reactor.running and not self._finishing:
                self._finish()

        wait()

    # -- progress --------------------------------------------------------------------------------
    def _progress(self, final: bool = False) -> None:
        total = len(self.sites)
        done = sum(1 for s in self.sites if s.state in ("done", "failed"))
        failed = sum(1 for s in self.sites if s.state == "failed")
        pages = sum(s.pages for s in self.sites) + sum(getattr(c.spider, "fetched", 0) for _, c, _ in
                                                        self.running.values() if c.spider)
        errors = sum(s.errors for s in self.sites) + sum(
            getattr(c.spider, "counts", {}).get("errors", 0) for _, c, _ in self.running.values() if c.spider)
        elapsed = time.time() - self.started
        finished_here = [s for s in self.sites if s.seconds and s.state in ("done", "failed")]
        eta = ""
        if finished_here and done < total:
            per_site = elapsed / len(finished_here)
            eta = f" · ETA {_duration(per_site * (total - done))}"
        line = (f"[{self.kind} {self.batch_id}] sites {done}/{total}" + (f" ({failed} failed)" if failed else "")
                + f" · running {len(self.running)} · pages {pages:,} · errors {errors:,} · {_duration(elapsed)}{eta}")
        if sys.stderr.isatty() and not final:
            sys.stderr.write("\r" + line[:160].ljust(120))
        else:
            sys.stderr.write(("\r" if sys.stderr.isatty() else "") + line + "\n")
        sys.stderr.flush()

    def _say(self, text: str) -> None:
        if sys.stderr.isatty():
            sys.stderr.write("\r" + " " * 120 + "\r")
        print(text, file=sys.stderr, flush=True)

    def _load_results(self) -> None:
        """Sites done in an earlier (interrupted) run: their results from the store, for the comparison."""
        for s in self.sites:
            if s.state == "done" and s.result is None and s.audit_id:
                s.result = load_json(self.store.audit(s.audit_id)["result"])
                s.report = f"{slug(s.row.name, s.site_id)}.html"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def write_comparison(summary: BatchSummary, lang: str = "th", title: str | None = None) -> Path:
    """index.html (heat map), comparison.csv and comparison.xlsx in the batch's report folder."""
    from reports.compare import SiteOutcome as Row
    from reports.compare import render_compare_html, write_compare_csv, write_compare_xlsx

    rows = [Row(name=s.row.name, url=s.row.url, group=s.row.group, framework=s.row.framework, result=s.result,
                error=s.error_text(lang) if s.state != "done" else None, report=s.report if s.result else None)
            for s in summary.sites]
    for s, row in zip(summary.sites, rows, strict=True):
        if s.state in ("pending", "running"):
            row.error = "ยังไม่ได้ตรวจ (ชุดงานถูกหยุดกลางคัน)" if lang == "th" else "not audited yet (batch interrupted)"
    index = summary.report_dir / "index.html"
    index.write_text(render_compare_html(rows, lang, title), encoding="utf-8")
    write_compare_csv(rows, summary.report_dir / "comparison.csv", lang)
    write_compare_xlsx(rows, summary.report_dir / "comparison.xlsx", lang)
    return index


def outcome_dict(s: SiteOutcome) -> dict:
    return {**asdict(s.row), "site_id": s.site_id, "state": s.state, "run_id": s.run_id, "audit_id": s.audit_id,
            "error": s.error, "oit": s.result.score.oit if s.result else None, "report": s.report}
