"""The store: what each run fetched and extracted, and what each audit concluded.

One SQLite file by default (no server), or a PostgreSQL database given a URL. The crawl writes
evidence; checks read it, so a run can be re-checked (another framework, another ``--as-of``)
without fetching again; audits and their verdicts are kept for history, diff and nightly alerts.
Text is stored once per content hash. Every write is its own short transaction, so several crawls
in one process (a batch) can share a store and an interrupted run keeps what it wrote.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, and_, create_engine, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from crawler.documents import Document, Extraction, Link
from store import migrate
from store.schema import (
    alert_state,
    audits,
    batch_sites,
    batches,
    contents,
    documents,
    runs,
    sites,
    skipped,
    verdicts,
)

# Seconds a SQLite writer waits for another before giving up (OITCHECK_DB_TIMEOUT).
BUSY_TIMEOUT = float(os.environ.get("OITCHECK_DB_TIMEOUT") or 30)


class StoreError(RuntimeError):
    """The store cannot be opened or written: locked, full, read-only, unreachable, newer schema."""


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def describe(target: str | Path) -> str:
    """The store as shown to users: a path, or a URL with its password hidden."""
    return make_url(str(target)).render_as_string(hide_password=True) if is_url(target) else str(target)


def local_dir(target: str | Path) -> Path:
    """Where files that go with a store live (extraction cache, reports): beside a SQLite file, else out/."""
    if is_url(target):
        url = make_url(str(target))
        return Path(url.database).parent if url.get_backend_name() == "sqlite" and url.database else Path("out")
    return Path(target).parent


def _explain(error: Exception) -> str:
    text = str(getattr(error, "orig", error)).strip().splitlines()[0] if str(error) else type(error).__name__
    low = text.lower()
    if "locked" in low or "busy" in low:
        return f"the database is locked by another program (waited {BUSY_TIMEOUT:g} s): {text}"
    if "full" in low or "no space" in low or "disk quota" in low:
        return f"the disk or the database is full: {text}"
    if "readonly" in low or "read-only" in low:
        return f"the database is read-only: {text}"
    return text


_engines: dict[str, Engine] = {}


def engine_for(target: str | Path) -> Engine:
    """One engine per store per process, migrated on first use."""
    if is_url(target):
        url = str(target)
        if url.startswith(("postgres://", "postgresql://")):  # the psycopg 3 driver unless one is named
            url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
    else:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path.resolve()}"
    if url in _engines:
        return _engines[url]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers do not wait for the crawl writing
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
    else:
        engine = create_engine(url, pool_pre_ping=True)
    try:
        migrate.ensure(engine)
    except migrate.SchemaError as e:
        engine.dispose()
        raise StoreError(f"{describe(target)} was {e}; upgrade oitcheck to use it") from e
    except (OperationalError, DBAPIError) as e:
        engine.dispose()
        raise StoreError(f"{describe(target)}: {_explain(e)}") from e
    _engines[url] = engine
    return engine


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL; extracted text sometimes does."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str).replace("\\u0000", "")


_EXTRACTION_COLUMNS = [contents.c[name] for name in (
    "kind", "title", "headings", "text", "pages", "method", "error", "has_form", "images", "published", "links",
    "source", "ocr_pages", "ocr_confidence", "notes")]


def _extraction(r: Any) -> Extraction:
    """An ``Extraction`` from the ``_EXTRACTION_COLUMNS`` of a row (all None: the URL gave no content)."""
    if r[0] is None:
        return Extraction(kind="other")
    return Extraction(kind=r[0], title=r[1] or "", headings=json.loads(r[2] or "[]"), text=r[3] or "",
                      pages=r[4] or 0, method=r[5] or "", error=r[6], has_form=bool(r[7]), images=r[8] or 0,
                      published=r[9], links=[Link(**x) for x in json.loads(r[10] or "[]")], source=r[11] or "",
                      ocr_pages=r[12] or 0, ocr_confidence=r[13], notes=json.loads(r[14] or "[]"))


class Store:
    def __init__(self, target: str | Path) -> None:
        self.target = target
        self.name = describe(target)
        self.engine = engine_for(target)
        self._insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert

    @property
    def path(self) -> str:  # kept for messages written against the SQLite-only store
        return self.name

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except (OperationalError, DBAPIError) as e:
            raise StoreError(f"{self.name}: {_explain(e)}") from e

    # -- evidence (crawl side) -------------------------------------------------------------------
    def start_run(self, start_url: str, scope: str, settings: dict, site_id: int | None = None) -> int:
        with self._tx() as conn:
            return int(conn.execute(runs.insert().values(
                start_url=start_url, scope=scope, started=time.time(), settings=_json(settings), site_id=site_id,
            )).inserted_primary_key[0])

    def finish_run(self, run_id: int, stats: dict) -> None:
        with self._tx() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(finished=time.time(), stats=_json(stats)))

    def add_document(self, run_id: int, doc: Document, dates: list | None = None, *, etag: str | None = None,
                     last_modified: str | None = None, revalidated: bool = False) -> None:
        ex = doc.extraction
        with self._tx() as conn:
            if doc.sha256 and not revalidated:
                row = {k: _clean(v) for k, v in {
                    "sha256": doc.sha256, "kind": ex.kind, "title": ex.title, "headings": _json(ex.headings),
                    "text": ex.text, "pages": ex.pages, "method": ex.method, "error": ex.error,
                    "has_form": int(ex.has_form), "images": ex.images, "published": ex.published,
                    "links": _json([link.to_dict() for link in ex.links]), "source": ex.source,
                    "ocr_pages": ex.ocr_pages, "ocr_confidence": ex.ocr_confidence, "notes": _json(ex.notes),
                }.items()}
                conn.execute(self._insert(contents).values(**row).on_conflict_do_nothing(index_elements=["sha256"]))
            values = {k: _clean(v) for k, v in {
                "run_id": run_id, "url": doc.url, "final_url": doc.final_url, "status": doc.status,
                "content_type": doc.content_type, "size": doc.size, "sha256": doc.sha256 or None,
                "depth": doc.depth, "offsite": int(doc.offsite), "referer": doc.referer, "error": doc.error,
                "fetched_at": time.time(), "dates": _json(dates or []), "etag": etag,
                "last_modified": last_modified, "revalidated": int(revalidated),
            }.items()}
            stmt = self._insert(documents).values(**values)
            conn.execute(stmt.on_conflict_do_update(
                index_elements=["run_id", "url"],
                set_={k: stmt.excluded[k] for k in values if k not in ("run_id", "url")}))

    def add_skipped(self, run_id: int, url: str, reason: str, referer: str = "") -> None:
        with self._tx() as conn:
            conn.execute(skipped.insert().values(run_id=run_id, url=_clean(url), reason=reason,
                                                 referer=_clean(referer)))

    # -- evidence (check side) -------------------------------------------------------------------
    def latest_run(self, start_url: str | None = None, site_id: int | None = None) -> int:
        q = select(func.max(runs.c.id))
        if start_url:
            q = q.where(runs.c.start_url == start_url)
        if site_id is not None:
            q = q.where(runs.c.site_id == site_id)
        with self._tx() as conn:
            found = conn.execute(q).scalar()
        if found is None:
            raise LookupError(f"{self.name} holds no run" + (f" of {start_url}" if start_url else ""))
        return int(found)

    def run_info(self, run_id: int) -> dict:
        with self._tx() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().fetchone()
        if row is None:
            raise LookupError(f"no run {run_id} in {self.name}")
        return {**row, "settings": json.loads(row["settings"] or "{}"), "stats": json.loads(row["stats"] or "{}")}

    def documents(self, run_id: int) -> Iterator[Document]:
        d = documents.c
        q = (select(d.url, d.final_url, d.status, d.content_type, d.size, d.depth, d.offsite, d.referer, d.error,
                    d.sha256, *_EXTRACTION_COLUMNS)
             .select_from(documents.outerjoin(contents, contents.c.sha256 == d.sha256))
             .where(d.run_id == run_id).order_by(d.id))
        with self._tx() as conn:
            rows = conn.execute(q).fetchall()
        for r in rows:
            yield Document(url=r[0], final_url=r[1] or r[0], status=r[2], content_type=r[3] or "",
                           size=r[4] or 0, depth=r[5] or 0, offsite=bool(r[6]), referer=r[7] or "",
                           error=r[8], sha256=r[9] or "", extraction=_extraction(r[10:]))

    def skipped(self, run_id: int) -> list[tuple[str, str, str]]:
        with self._tx() as conn:
            return [tuple(r) for r in conn.execute(
                select(skipped.c.url, skipped.c.reason, skipped.c.referer).where(skipped.c.run_id == run_id))]

    def validators(self, run_id: int) -> dict[str, dict]:
        """What a run fetched successfully, by the URL that answered, with its validators: the next run's
        conditional requests."""
        d = documents.c
        q = (select(d.url, d.final_url, d.status, d.content_type, d.size, d.sha256, d.etag, d.last_modified)
             .where(d.run_id == run_id, d.error.is_(None), d.sha256.is_not(None),
                    (d.etag.is_not(None)) | (d.last_modified.is_not(None))))
        with self._tx() as conn:
            return {r.final_url or r.url: dict(r._mapping) for r in conn.execute(q)}

    def extraction(self, sha256: str) -> Extraction | None:
        """The stored extraction of a content hash (a 304 answer reuses it)."""
        with self._tx() as conn:
            r = conn.execute(select(*_EXTRACTION_COLUMNS).where(contents.c.sha256 == sha256)).fetchone()
        return None if r is None else _extraction(r)

    # -- sites ----------------------------------------------------------------------------------
    def upsert_site(self, name: str, url: str, framework: str | None = None, scope: str | None = None,
                    group: str | None = None) -> int:
        with self._tx() as conn:
            found = conn.execute(select(sites.c.id).where(sites.c.name == name)).scalar()
            values = {"url": url, "framework": framework, "scope": scope, "grp": group}
            if found is not None:
                conn.execute(update(sites).where(sites.c.id == found).values(**values))
                return int(found)
            return int(conn.execute(sites.insert().values(name=name, created=time.time(), **values))
                       .inserted_primary_key[0])

    def site_for_url(self, url: str, name: str | None = None) -> int:
        """The site a single audit belongs to: the one with this start URL, else a new one named by it."""
        with self._tx() as conn:
            found = conn.execute(select(func.min(sites.c.id)).where(sites.c.url == url)).scalar()
        return int(found) if found is not None else self.upsert_site(name or url, url)

    def find_site(self, key: str) -> dict:
        """A site by name, by URL, or by host; LookupError naming what is there when none matches."""
        with self._tx() as conn:
            rows = [dict(r) for r in conn.execute(select(sites).order_by(sites.c.id)).mappings()]
            if not rows:  # single-site audits: no sites table rows, history by start URL
                urls = [r[0] for r in conn.execute(select(runs.c.start_url).distinct())]
                rows = [{"id": None, "name": u, "url": u, "framework": None, "scope": None, "grp": None}
                        for u in urls]
        norm = key.strip().rstrip("/").lower()
        for test in (lambda r: r["name"].lower() == norm, lambda r: r["url"].rstrip("/").lower() == norm,
                     lambda r: norm in r["url"].lower() or norm in r["name"].lower()):
            hits = [r for r in rows if test(r)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise LookupError(f"{key!r} matches {len(hits)} sites: " + ", ".join(h["name"] for h in hits[:5]))
        raise LookupError(f"no site {key!r} in {self.name}")

    # -- audits (checked results) ---------------------------------------------------------------
    def save_audit(self, result: Any, site_id: int | None = None) -> int:
        """Keep an ``AuditResult`` and one verdict row per item."""
        with self._tx() as conn:
            audit_id = int(conn.execute(audits.insert().values(
                run_id=result.run_id, site_id=site_id, framework=result.framework,
                fiscal_year=result.fiscal_year, as_of=result.as_of, oit=result.score.oit, band=result.score.band,
                complete=int(result.score.complete), created=time.time(), result=_json(result.to_dict()),
            )).inserted_primary_key[0])
            conn.execute(verdicts.insert(), [{
                "audit_id": audit_id, "item": i.id, "status": i.status, "reason": i.reason, "score": i.score,
                "weight": i.weight, "missing": _json(i.missing),
                "evidence": _json(list(dict.fromkeys(e.final_url or e.url for e in i.evidence))),
            } for i in result.items])
            return audit_id

    def audits(self, *, site_id: int | None = None, start_url: str | None = None, limit: int = 100) -> list[dict]:
        """Audits of a site, newest first, with their run's start time."""
        q = (select(audits.c.id, audits.c.run_id, audits.c.framework, audits.c.fiscal_year, audits.c.as_of,
                    audits.c.oit, audits.c.band, audits.c.complete, audits.c.created, runs.c.started,
                    runs.c.start_url)
             .join(runs, runs.c.id == audits.c.run_id).order_by(audits.c.id.desc()).limit(limit))
        if site_id is not None:
            q = q.where((audits.c.site_id == site_id) | (runs.c.site_id == site_id))
        if start_url is not None:
            q = q.where(runs.c.start_url == start_url)
        with self._tx() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def audit(self, audit_id: int) -> dict:
        with self._tx() as conn:
            row = conn.execute(select(audits).where(audits.c.id == audit_id)).mappings().fetchone()
            if row is None:
                raise LookupError(f"no audit {audit_id} in {self.name}")
            items = {r.item: {"status": r.status, "reason": r.reason, "score": r.score, "weight": r.weight,
                              "evidence": json.loads(r.evidence), "missing": json.loads(r.missing)}
                     for r in conn.execute(select(verdicts).where(verdicts.c.audit_id == audit_id))}
        return {**row, "items": items}

    def audit_of_run(self, run_id: int) -> int:
        with self._tx() as conn:
            found = conn.execute(select(func.max(audits.c.id)).where(audits.c.run_id == run_id)).scalar()
        if found is None:
            raise LookupError(f"run {run_id} in {self.name} has not been checked")
        return int(found)

    # -- batches --------------------------------------------------------------------------------
    def open_batch(self, name: str, fingerprint: str, kind: str, options: dict, *, resume: bool = True,
                   max_age: float | None = None) -> tuple[int, bool]:
        """The unfinished batch with these rows (resumed), or a new one; returns (id, resumed).
        Without ``resume``, or when the unfinished one started more than ``max_age`` seconds ago, it is
        closed as abandoned (its runs stay) and a new batch begins."""
        with self._tx() as conn:
            found = conn.execute(select(batches.c.id, batches.c.started).where(
                batches.c.fingerprint == fingerprint, batches.c.kind == kind, batches.c.finished.is_(None))
                .order_by(batches.c.id.desc())).fetchone()
            if found is not None:
                if resume and (max_age is None or time.time() - found.started < max_age):
                    return int(found.id), True
                conn.execute(update(batches).where(batches.c.id == found.id).values(finished=time.time()))
            return int(conn.execute(batches.insert().values(
                name=name, fingerprint=fingerprint, kind=kind, started=time.time(), options=_json(options),
            )).inserted_primary_key[0]), False

    def batch_sites(self, batch_id: int) -> dict[int, dict]:
        with self._tx() as conn:
            return {r["site_id"]: dict(r) for r in conn.execute(
                select(batch_sites).where(batch_sites.c.batch_id == batch_id)).mappings()}

    def set_batch_site(self, batch_id: int, site_id: int, **values: Any) -> None:
        with self._tx() as conn:
            where = and_(batch_sites.c.batch_id == batch_id, batch_sites.c.site_id == site_id)
            if conn.execute(select(batch_sites.c.row).where(where)).fetchone() is None:
                conn.execute(batch_sites.insert().values(batch_id=batch_id, site_id=site_id, **values))
            else:
                conn.execute(update(batch_sites).where(where).values(**values))

    def finish_batch(self, batch_id: int) -> None:
        with self._tx() as conn:
            conn.execute(update(batches).where(batches.c.id == batch_id).values(finished=time.time()))

    # -- alert state ----------------------------------------------------------------------------
    def alert_state(self, name: str) -> dict:
        with self._tx() as conn:
            found = conn.execute(select(alert_state.c.state).where(alert_state.c.name == name)).scalar()
        return json.loads(found) if found else {}

    def save_alert_state(self, name: str, state: dict) -> None:
        stmt = self._insert(alert_state).values(name=name, state=_json(state), updated=time.time())
        with self._tx() as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["name"],
                                                    set_={"state": stmt.excluded.state,
                                                          "updated": stmt.excluded.updated}))
