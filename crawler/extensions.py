"""A terse progress line on stderr while crawling: pages, documents, errors, queue."""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle as _AutoThrottle
from twisted.internet import task


class Progress:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("OITCHECK_PROGRESS", False)
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any) -> None:
        self.spider = spider
        self.started = time.monotonic()
        if self.enabled and sys.stderr.isatty():
            self.loop = task.LoopingCall(self.show)
            self.loop.start(1.0)

    def show(self, end: str = "\r") -> None:
        c = self.spider.counts
        skipped = sum(v for k, v in c.items() if k.startswith("skipped:"))
        sys.stderr.write(
            f"  crawling {self.spider.scope.describe()}: {c['pages']} pages, {c['documents']} documents, "
            f"{c['errors']} errors, {skipped} skipped, {len(self.spider.scheduled) - self.spider.fetched} queued "
            f"[{time.monotonic() - self.started:.0f}s]   {end}"
        )
        sys.stderr.flush()

    def closed(self, spider: Any, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.enabled:
            self.show(end="\n")


class AutoThrottle(_AutoThrottle):
    """Scrapy's AutoThrottle, except that a 304 Not Modified paces the crawl like a 200: it is the full
    answer of a re-audit, not a small error page (which the stock policy keeps from lowering the
    delay, leaving a revalidating crawl stuck at the start delay)."""

    def _adjust_delay(self, slot: Any, latency: float, response: Any) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
