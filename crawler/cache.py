"""The extraction cache: what a document's bytes gave once, so a re-audit does not read them again.

Keyed by the content's SHA-256 and by what shapes an extraction (the extractor version and the OCR
settings), so changing either misses rather than serving stale text. One SQLite file beside the
evidence stores (``out/extractions.sqlite`` by default), shared by every run and every site: the
same circular is often published by many agencies. Only documents are cached (HTML is cheap to
parse, and its links depend on its URL); timeouts, crashed workers and reads cut short by a time
budget are not, so a later run with more time can do better.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from dataclasses import asdict
from pathlib import Path

from crawler.documents import Extraction, Link
from crawler.extract import EXTRACTOR_VERSION
from crawler.extract.ocr import settings as ocr_settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS extractions (
    sha256 TEXT NOT NULL,
    variant TEXT NOT NULL,
    data BLOB NOT NULL,
    stored REAL NOT NULL,
    PRIMARY KEY (sha256, variant)
);
"""


def variant() -> str:
    """What besides the bytes decides an extraction: the extractor's version and the OCR settings."""
    enabled, pages, seconds = ocr_settings()
    return f"{EXTRACTOR_VERSION}|ocr={int(enabled)}:{pages}:{seconds:g}"


def cacheable(ex: Extraction) -> bool:
    """Worth keeping: not a transient failure, not a read cut short by a time budget."""
    if ex.kind == "html" or (ex.error and (ex.error.startswith("timeout") or "extractor died" in ex.error
                                            or "out of memory" in ex.error)):
        return False  # a worker killed by a deadline or the memory cap may do better another time
    return not any("time budget" in note for note in ex.notes)


class ExtractionCache:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)
        self.variant = variant()
        self.hits = self.misses = 0

    def get(self, sha256: str) -> Extraction | None:
        row = self.db.execute("SELECT data FROM extractions WHERE sha256=? AND variant=?",
                              (sha256, self.variant)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        data = json.loads(zlib.decompress(row[0]))
        data["links"] = [Link(**link) for link in data.get("links", [])]
        return Extraction(**data)

    def put(self, sha256: str, ex: Extraction) -> None:
        if not cacheable(ex):
            return
        blob = zlib.compress(json.dumps(asdict(ex), ensure_ascii=False).encode(), 6)
        try:
            self.db.execute("INSERT OR REPLACE INTO extractions VALUES (?,?,?,?)",
                            (sha256, self.variant, blob, time.time()))
            self.db.commit()
        except sqlite3.OperationalError:  # locked by another process for too long: the cache is a bonus
            pass

    def close(self) -> None:
        self.db.close()
