"""The evidence store: one SQLite file holding what each run fetched and extracted.

The crawl writes it; checks read it, so an audit can be re-checked (another framework, another
``--as-of``) without fetching again. Text is stored once per content hash.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crawler.documents import Extraction, Link

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    start_url TEXT NOT NULL,
    scope TEXT NOT NULL,
    started REAL NOT NULL,
    finished REAL,
    settings TEXT,
    stats TEXT
);
CREATE TABLE IF NOT EXISTS contents (
    sha256 TEXT PRIMARY KEY,
    kind TEXT, title TEXT, headings TEXT, text TEXT, pages INTEGER, method TEXT,
    error TEXT, has_form INTEGER, images INTEGER, published TEXT, links TEXT,
    source TEXT, ocr_pages INTEGER, ocr_confidence REAL, notes TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    final_url TEXT,
    status INTEGER,
    content_type TEXT,
    size INTEGER,
    sha256 TEXT REFERENCES contents(sha256),
    depth INTEGER,
    offsite INTEGER NOT NULL DEFAULT 0,
    referer TEXT,
    error TEXT,
    fetched_at REAL,
    dates TEXT,
    UNIQUE (run_id, url)
);
CREATE INDEX IF NOT EXISTS documents_run ON documents(run_id);
CREATE TABLE IF NOT EXISTS skipped (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    reason TEXT NOT NULL,
    referer TEXT
);
"""


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

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} was written by a newer oitcheck (schema {row[0]})")
        elif int(row[0]) < SCHEMA_VERSION:
            self._migrate(int(row[0]))
        self.db.commit()

    def _migrate(self, version: int) -> None:
        """Bring an older store up to date in place; nothing stored is dropped."""
        if version < 2:  # text provenance (how each document's text was obtained)
            for column in ("source TEXT", "ocr_pages INTEGER", "ocr_confidence REAL", "notes TEXT"):
                self.db.execute(f"ALTER TABLE contents ADD COLUMN {column}")
        self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    # -- writing (crawl side) -------------------------------------------------------------
    def start_run(self, start_url: str, scope: str, settings: dict) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (start_url, scope, started, settings) VALUES (?, ?, ?, ?)",
            (start_url, scope, time.time(), json.dumps(settings, ensure_ascii=False)),
        )
        self.db.commit()
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, stats: dict) -> None:
        self.db.execute(
            "UPDATE runs SET finished=?, stats=? WHERE id=?",
            (time.time(), json.dumps(stats, ensure_ascii=False, default=str), run_id),
        )
        self.db.commit()

    def add_document(self, run_id: int, doc: Document, dates: list | None = None) -> None:
        ex = doc.extraction
        if doc.sha256:
            self.db.execute(
                "INSERT OR IGNORE INTO contents (sha256, kind, title, headings, text, pages, method, error,"
                " has_form, images, published, links, source, ocr_pages, ocr_confidence, notes)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.sha256, ex.kind, ex.title, json.dumps(ex.headings, ensure_ascii=False), ex.text,
                 ex.pages, ex.method, ex.error, int(ex.has_form), ex.images, ex.published,
                 json.dumps([link.to_dict() for link in ex.links], ensure_ascii=False),
                 ex.source, ex.ocr_pages, ex.ocr_confidence, json.dumps(ex.notes, ensure_ascii=False)),
            )
        self.db.execute(
            "INSERT OR REPLACE INTO documents (run_id, url, final_url, status, content_type, size, sha256,"
            " depth, offsite, referer, error, fetched_at, dates) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, doc.url, doc.final_url, doc.status, doc.content_type, doc.size, doc.sha256 or None,
             doc.depth, int(doc.offsite), doc.referer, doc.error, time.time(),
             json.dumps(dates or [], ensure_ascii=False, default=str)),
        )

    def add_skipped(self, run_id: int, url: str, reason: str, referer: str = "") -> None:
        self.db.execute("INSERT INTO skipped VALUES (?,?,?,?)", (run_id, url, reason, referer))

    def commit(self) -> None:
        self.db.commit()

    # -- reading (check side) -------------------------------------------------------------
    def latest_run(self) -> int:
        row = self.db.execute("SELECT max(id) FROM runs").fetchone()
        if not row or row[0] is None:
            raise LookupError(f"{self.path} holds no run")
        return int(row[0])

    def run_info(self, run_id: int) -> dict:
        row = self.db.execute(
            "SELECT id, start_url, scope, started, finished, settings, stats FROM runs WHERE id=?", (run_id,)
        ).fetchone()
        if row is None:
            raise LookupError(f"no run {run_id} in {self.path}")
        return {"id": row[0], "start_url": row[1], "scope": row[2], "started": row[3], "finished": row[4],
                "settings": json.loads(row[5] or "{}"), "stats": json.loads(row[6] or "{}")}

    def documents(self, run_id: int) -> Iterator[Document]:
        rows = self.db.execute(
            "SELECT d.url, d.final_url, d.status, d.content_type, d.size, d.depth, d.offsite, d.referer,"
            " d.error, d.sha256, c.kind, c.title, c.headings, c.text, c.pages, c.method, c.error,"
            " c.has_form, c.images, c.published, c.links, c.source, c.ocr_pages, c.ocr_confidence, c.notes"
            " FROM documents d LEFT JOIN contents c ON c.sha256 = d.sha256 WHERE d.run_id=? ORDER BY d.id",
            (run_id,),
        )
        for r in rows:
            ex = Extraction(kind=r[10] or "other")
            if r[10] is not None:
                ex = Extraction(
                    kind=r[10], title=r[11] or "", headings=json.loads(r[12] or "[]"), text=r[13] or "",
                    pages=r[14] or 0, method=r[15] or "", error=r[16], has_form=bool(r[17]),
                    images=r[18] or 0, published=r[19],
                    links=[Link(**d) for d in json.loads(r[20] or "[]")],
                    source=r[21] or "", ocr_pages=r[22] or 0, ocr_confidence=r[23],
                    notes=json.loads(r[24] or "[]"),
                )
            yield Document(url=r[0], final_url=r[1] or r[0], status=r[2], content_type=r[3] or "",
                           size=r[4] or 0, depth=r[5] or 0, offsite=bool(r[6]), referer=r[7] or "",
                           error=r[8], sha256=r[9] or "", extraction=ex)

    def skipped(self, run_id: int) -> list[tuple[str, str, str]]:
        return list(self.db.execute("SELECT url, reason, referer FROM skipped WHERE run_id=?", (run_id,)))
