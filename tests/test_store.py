"""The evidence store keeps what older versions wrote: an old store is migrated in place, never rebuilt."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.documents import Document, Extraction
from store import Store, StoreError
from store.migrate import head
from store.store import _engines as store_engines

# The contents table as schema version 1 wrote it (before text provenance).
_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta VALUES ('schema_version', '1');
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, start_url TEXT NOT NULL, scope TEXT NOT NULL,
    started REAL NOT NULL, finished REAL, settings TEXT, stats TEXT);
CREATE TABLE contents (sha256 TEXT PRIMARY KEY, kind TEXT, title TEXT, headings TEXT, text TEXT, pages INTEGER,
    method TEXT, error TEXT, has_form INTEGER, images INTEGER, published TEXT, links TEXT);
CREATE TABLE documents (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL, final_url TEXT, status INTEGER, content_type TEXT, size INTEGER,
    sha256 TEXT REFERENCES contents(sha256), depth INTEGER, offsite INTEGER NOT NULL DEFAULT 0, referer TEXT,
    error TEXT, fetched_at REAL, dates TEXT, UNIQUE (run_id, url));
CREATE TABLE skipped (run_id INTEGER NOT NULL REFERENCES runs(id), url TEXT NOT NULL, reason TEXT NOT NULL,
    referer TEXT);
INSERT INTO runs VALUES (1, 'http://www.x.go.th/', 'www.x.go.th', 0, 1, '{}', '{}');
INSERT INTO contents VALUES ('abc', 'pdf', 'แผนปฏิบัติราชการ ๒๕๖๙', '[]', 'แผนปฏิบัติราชการ ประจำปี', 3,
    'pdftotext', NULL, 0, 0, NULL, '[]');
INSERT INTO documents VALUES (1, 1, 'http://www.x.go.th/plan.pdf', NULL, 200, 'application/pdf', 10, 'abc',
    1, 0, '', NULL, 0, '[]');
"""


def test_a_version_1_store_is_migrated_and_keeps_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(_V1)
    con.commit()
    con.close()
    store = Store(path)
    [doc] = list(store.documents(1))
    assert (doc.url, doc.extraction.title, doc.extraction.pages) == (
        "http://www.x.go.th/plan.pdf", "แผนปฏิบัติราชการ ๒๕๖๙", 3)
    assert (doc.extraction.source, doc.extraction.ocr_confidence, doc.extraction.notes) == ("", None, [])
    run = store.start_run("http://www.x.go.th/", "www.x.go.th", {})
    ex = Extraction(kind="pdf", text="ประกาศ", source="ocr", ocr_pages=2, ocr_confidence=81.5,
                    notes=["OCR: page cap: only the first 2 of 9 pages read"])
    store.add_document(run, Document(url="http://www.x.go.th/scan.pdf", final_url="", status=200, sha256="def",
                                     extraction=ex))
    [new] = list(store.documents(run))
    assert (new.extraction.source, new.extraction.ocr_pages, new.extraction.ocr_confidence,
            new.extraction.notes) == ("ocr", 2, 81.5, ex.notes)
    revision = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert revision == head()


def test_a_store_from_a_newer_oitcheck_is_refused_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    Store(path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    store_engines.clear()  # another process would open it afresh
    with pytest.raises(StoreError, match="newer oitcheck"):
        Store(path)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_a_locked_store_stops_the_audit_with_a_clear_message_and_loses_nothing(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "busy.sqlite"
    store = Store(path)
    run = store.start_run("http://www.x.go.th/", "www.x.go.th", {})
    store.add_document(run, Document(url="http://www.x.go.th/", final_url="", status=200, sha256="s1",
                                     extraction=Extraction(kind="html", text="หน้าแรก")))
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another program writing, for longer than we wait
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "oitcheck.cli", "audit", "http://127.0.0.1:9/", "-f", "bma-district-2568",
             "--db", str(path), "-q", "--workers", "0"],
            env={**os.environ, "OITCHECK_DB_TIMEOUT": "0.5"}, capture_output=True, text=True, timeout=120)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert proc.returncode == 2, proc.stderr
    assert f"oitcheck: {path}: the database is locked by another program" in proc.stderr
    [doc] = list(Store(path).documents(run))
    assert doc.extraction.text == "หน้าแรก"


def test_a_full_store_refuses_the_write_by_name_and_keeps_earlier_ones(tmp_path: Path) -> None:
    from sqlalchemy import event

    path = tmp_path / "small.sqlite"
    store = Store(path)
    run = store.start_run("http://www.x.go.th/", "www.x.go.th", {})
    store.add_document(run, Document(url="http://www.x.go.th/a", final_url="", status=200, sha256="a",
                                     extraction=Extraction(kind="html", text="ก" * 100)))
    store.engine.dispose()

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_conn, _):  # type: ignore[no-untyped-def]  # a disk with no room left beyond this size
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 2}")

    big = Extraction(kind="pdf", text="ประกาศ " * 200_000)
    with pytest.raises(StoreError, match="full"):
        store.add_document(run, Document(url="http://www.x.go.th/big.pdf", final_url="", status=200, sha256="b",
                                         extraction=big))
    assert [d.url for d in store.documents(run)] == ["http://www.x.go.th/a"]  # the failed write left no half


def test_a_store_url_is_shown_without_its_password() -> None:
    from store import describe, local_dir

    assert describe("postgresql://oitcheck:s3cret@db.example/oit") == "postgresql://oitcheck:***@db.example/oit"
    assert describe("out/oitcheck.sqlite") == "out/oitcheck.sqlite"
    assert local_dir("postgresql://db.example/oit") == Path("out")
    assert local_dir("/srv/oit/store.sqlite") == Path("/srv/oit")
