"""Scrapy settings for oitcheck: polite by default, bounded, proxies honoured (http_proxy)."""

BOT_NAME = "oitcheck"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "oitcheck/0.1 (+https://github.com/oitcheck/oitcheck; OIT self-assessment crawler)"
ROBOTSTXT_OBEY = True

# Politeness: few parallel requests per host, AutoThrottle adapts to the server's latency.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 20
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024  # larger files are recorded as too_large, not fetched
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 1
COOKIES_ENABLED = True
DEPTH_LIMIT = 0  # the spider keeps its own depth budget (redirect hops do not count)
CLOSESPIDER_TIMEOUT = 1800  # time budget, seconds

# A disk-backed queue keeps memory bounded on big sites (the CLI points JOBDIR at the run folder).
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.ScrapyPriorityQueue"

ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 500}
EXTENSIONS = {"crawler.extensions.Progress": 500, "scrapy.extensions.telnet.TelnetConsole": None,
              "scrapy.extensions.throttle.AutoThrottle": None, "crawler.extensions.AutoThrottle": 0}

LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# Extraction (crawler/workers.py, crawler/cache.py). Documents are read in worker processes, one per
# core (0: in the crawl's process), each with a deadline and an address-space cap; what they read is
# cached by content hash across runs: in extractions.sqlite beside the evidence store unless
# OITCHECK_CACHE names a file ("off" for no cache).
OITCHECK_EXTRACT_WORKERS = None  # None: os.cpu_count()
OITCHECK_EXTRACT_TIMEOUT = 240
OITCHECK_WORKER_MEMORY = 3 * 1024**3
OITCHECK_CACHE = None
