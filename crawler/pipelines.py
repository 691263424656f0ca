"""Item pipeline: every Document the spider yields goes to the evidence store with its dates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checks.dates import find_dates
from crawler.documents import Document
from store import Store

MAX_DATE_TEXT = 300_000  # dates beyond this point of a huge document are not looked for


class StorePipeline:
    def __init__(self, db: str) -> None:
        self.db = db
        self.store: Store | None = None
        self.run_id = 0
        self.pending = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        from scrapy import signals

        pipeline = cls(crawler.settings.get("OITCHECK_DB") or "out/oitcheck.sqlite")
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def spider_closed(self, spider: Any, reason: str) -> None:
        """The finish reason (finished, page budget, time budget) is known only after the close."""
        store = Store(getattr(spider, "db", None) or self.db)
        try:
            info = store.run_info(self.run_id)
            store.finish_run(self.run_id, {**info["stats"], "finish_reason": reason})
        finally:
            store.close()

    def open_spider(self, spider: Any) -> None:
        db = getattr(spider, "db", None) or self.db
        Path(db).parent.mkdir(parents=True, exist_ok=True)
        self.store = Store(db)
        settings = {"max_pages": spider.max_pages, "max_depth": spider.max_depth,
                    "user_agent": spider.settings.get("USER_AGENT")}
        self.run_id = self.store.start_run(spider.start_url, spider.scope.describe(), settings)
        spider.run_id = self.run_id

    def close_spider(self, spider: Any) -> None:
        assert self.store is not None
        stats = dict(spider.counts)
        stats["scheduled"] = len(spider.scheduled)
        stats["fetched"] = spider.fetched
        self.store.finish_run(self.run_id, stats)
        self.store.close()

    def process_item(self, item: Document, spider: Any) -> Document:
        assert self.store is not None
        if item.error and item.error.startswith("skipped:"):
            self.store.add_skipped(self.run_id, item.url, item.error.split(":", 1)[1], item.referer)
        else:
            text = item.extraction.text[:MAX_DATE_TEXT]
            dates = [[f.kind, f.start.isoformat(), f.end.isoformat(), f.text, f.pos, f.role]
                     for f in find_dates(text)] if text else []
            self.store.add_document(self.run_id, item, dates)
        self.pending += 1
        if self.pending >= 50:
            self.store.commit()
            self.pending = 0
        return item
