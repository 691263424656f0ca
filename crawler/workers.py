"""Document extraction in worker processes, so OCR and big files never block the crawl.

The spider's reactor thread downloads and parses HTML; PDFs, Office files and images go to a small
pool of processes (one per core by default) managed by pebble, which gives every task a deadline and
kills and replaces a worker that overruns it or dies (a decoder stuck in C code, a segfault, the
kernel's OOM killer). Each worker's address space is capped, so a decompression bomb that slips past
the readers' own checks ends as a MemoryError in that worker, not as a machine out of memory.

Settings (Scrapy settings or environment): ``OITCHECK_EXTRACT_WORKERS`` (processes; 0 extracts in the
crawl's own process), ``OITCHECK_EXTRACT_TIMEOUT`` (seconds per document), ``OITCHECK_WORKER_MEMORY``
(bytes of address space per worker).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import resource
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

from crawler.documents import Extraction
from crawler.extract import extract

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 240.0  # above the OCR budget (60 s) plus pdftotext and LibreOffice timeouts
DEFAULT_MEMORY = 3 * 1024**3  # address space, not resident memory: PDFium and tesseract reserve a lot
MAX_TASKS = 200  # recycle workers now and then: long-lived C libraries fragment and leak


def _limit_memory(limit: int) -> None:
    if limit > 0:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):  # a container may forbid it; the timeout still bounds the task
            pass


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _extract(body: bytes, url: str, content_type: str | None) -> tuple[Extraction, float]:
    """Runs in a worker: the extraction and the CPU seconds it took (tesseract and pdftotext included)."""
    start = _cpu()
    ex = extract(body, url, content_type)
    return ex, _cpu() - start


class ExtractionPool:
    def __init__(self, workers: int, *, timeout: float = DEFAULT_TIMEOUT, memory: int = DEFAULT_MEMORY) -> None:
        self.workers = workers
        self.timeout = timeout
        # forkserver: the crawl process runs threads (Twisted, asyncio), which fork() must not copy;
        # preloading the extractors makes each new worker a cheap fork of a warm server.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["crawler.extract"])
        self._pool = ProcessPool(max_workers=workers, max_tasks=MAX_TASKS, initializer=_limit_memory,
                                 initargs=(memory,), context=context)

    async def extract(self, body: bytes, url: str, content_type: str | None) -> tuple[Extraction, float]:
        """Extract in a worker: the extraction and the worker's CPU seconds for it. A document that kills
        or outlasts its worker comes back as an error."""
        future = self._pool.schedule(_extract, args=(body, url, content_type), timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            return Extraction(kind="other", error=f"timeout: extraction took longer than {self.timeout:g} s"), 0.0
        except ProcessExpired as exc:
            why = "out of memory" if exc.exitcode in (-9, 137) else f"exit code {exc.exitcode}"
            return Extraction(kind="other", error=f"corrupt: the extractor died on this file ({why})"), 0.0
        except CancelledError:
            return Extraction(kind="other", error="timeout: extraction cancelled at shutdown"), 0.0
        except MemoryError:
            return Extraction(kind="other", error="too_large: out of memory while reading"), 0.0
        except Exception as exc:  # the pool itself broke (workers cannot start): read it here instead
            log.warning("extraction pool failed (%s: %s); extracting in the crawl process", type(exc).__name__, exc)
            return _extract(body, url, content_type)

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=10)


_POOL: ExtractionPool | None = None


def _setting(settings: object, name: str, default: str) -> str:
    value = settings.get(name) if hasattr(settings, "get") else None  # type: ignore[union-attr]
    return str(value if value not in (None, "") else os.environ.get(name, default))


def shared_pool(settings: object) -> ExtractionPool | None:
    """The process's pool (crawls run concurrently in one process share it); None for in-process."""
    global _POOL
    workers = int(_setting(settings, "OITCHECK_EXTRACT_WORKERS", str(os.cpu_count() or 1)))
    if workers <= 0:
        return None
    if _POOL is None:
        _POOL = ExtractionPool(
            workers,
            timeout=float(_setting(settings, "OITCHECK_EXTRACT_TIMEOUT", str(DEFAULT_TIMEOUT))),
            memory=int(_setting(settings, "OITCHECK_WORKER_MEMORY", str(DEFAULT_MEMORY))),
        )
        atexit.register(close_pool)
    return _POOL


def close_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.close()
        _POOL = None
