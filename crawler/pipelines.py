"""Item pipeline: every Document the spider yields goes to the store with its dates."""

from __future__ import annotations

from typing import Any

from checks.dates import find_dates
from crawler.documents import Document
from crawler.extract import EXTRACTOR_VERSION
from store import Store, StoreError

MAX_DATE_TEXT = 300_000  # dates beyond this point of a huge document are not looked for


class StorePipeline:
    def __init__(self, db: str, crawler: Any = None) -> None:
        self.db = db
        self.crawler = crawler
        self.store: Store | None = None
        self.run_id = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        from scrapy import signals

        pipeline = cls(crawler.settings.get("OITCHECK_DB") or "out/oitcheck.sqlite", crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def spider_closed(self, spider: Any, reason: str) -> None:
        """The finish reason (finished, page budget, time budget) is known only after the close."""
        if self.store is None or not self.run_id:
            return
        try:
            info = self.store.run_info(self.run_id)
            self.store.finish_run(self.run_id, {**info["stats"], "finish_reason": reason})
        except StoreError as e:
            spider.logger.error("%s", e)

    def open_spider(self, spider: Any) -> None:
        try:
            self._open(spider)
        except StoreError as e:  # locked, full, unreachable: the crawl cannot keep anything, so it does not start
            spider.store_error = str(e)
            raise

    def _open(self, spider: Any) -> None:
        self.store = Store(getattr(spider, "db", None) or self.db)
        settings = {"max_pages": spider.max_pages, "max_depth": spider.max_depth,
                    "user_agent": spider.settings.get("USER_AGENT"), "extractor": EXTRACTOR_VERSION}
        # The previous run of this site, if its extractions are still current: its validators make
        # this run's requests conditional (If-None-Match / If-Modified-Since).
        previous = None
        if spider.incremental:
            try:
                previous = self.store.latest_run(start_url=spider.start_url)
            except LookupError:
                pass
        if previous and self.store.run_info(previous)["settings"].get("extractor") == EXTRACTOR_VERSION:
            spider.validators = self.store.validators(previous)
            spider.stored = self.store
        self.run_id = self.store.start_run(spider.start_url, spider.scope.describe(), settings,
                                           site_id=spider.site_id)
        spider.run_id = self.run_id

    def close_spider(self, spider: Any) -> None:
        assert self.store is not None
        stats = dict(spider.counts)
        stats["scheduled"] = len(spider.scheduled)
        stats["fetched"] = spider.fetched
        if spider.store_error:
            stats["store_error"] = spider.store_error
        try:
            self.store.finish_run(self.run_id, stats)
        except StoreError as e:
            spider.logger.error("%s", e)

    def process_item(self, item: Document, spider: Any) -> Document:
        assert self.store is not None
        try:
            if item.error and item.error.startswith("skipped:"):
                self.store.add_skipped(self.run_id, item.url, item.error.split(":", 1)[1], item.referer)
            else:
                text = item.extraction.text[:MAX_DATE_TEXT]
                dates = [[f.kind, f.start.isoformat(), f.end.isoformat(), f.text, f.pos, f.role]
                         for f in find_dates(text)] if text else []
                self.store.add_document(self.run_id, item, dates, etag=item.etag, last_modified=item.last_modified,
                                        revalidated=item.revalidated)
        except StoreError as e:
            # A locked or full store: stop this crawl with the reason rather than drop evidence silently.
            if not spider.store_error:
                spider.store_error = str(e)
                spider.logger.error("%s", e)
                if self.crawler is not None and self.crawler.engine is not None:
                    from scrapy.utils.defer import deferred_from_coro

                    deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))
        return item
