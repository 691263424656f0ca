"""The store's tables, as SQLAlchemy Core metadata: what queries are written against.

Migrations (``store/migrations``) are written out by hand, one revision per change, so that an
existing store is brought forward step by step; ``test_store`` checks that the migrated schema and
this metadata agree.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, Table, Text, UniqueConstraint

metadata = MetaData()

meta = Table("meta", metadata, Column("key", Text, primary_key=True), Column("value", Text))

# -- evidence: what each crawl fetched and extracted ---------------------------------------------
runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("start_url", Text, nullable=False),
    Column("scope", Text, nullable=False),
    Column("started", Float, nullable=False),  # epoch seconds
    Column("finished", Float),
    Column("settings", Text),  # JSON
    Column("stats", Text),  # JSON: counts, finish_reason
    Column("site_id", Integer),  # sites.id for batch and nightly runs (no FK: added by ALTER on SQLite)
)

contents = Table(  # text stored once per content hash, shared by runs and sites
    "contents", metadata,
    Column("sha256", Text, primary_key=True),
    Column("kind", Text), Column("title", Text), Column("headings", Text), Column("text", Text),
    Column("pages", Integer), Column("method", Text), Column("error", Text), Column("has_form", Integer),
    Column("images", Integer), Column("published", Text), Column("links", Text),
    Column("source", Text), Column("ocr_pages", Integer), Column("ocr_confidence", Float), Column("notes", Text),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("final_url", Text),
    Column("status", Integer),
    Column("content_type", Text),
    Column("size", Integer),
    Column("sha256", Text, ForeignKey("contents.sha256")),
    Column("depth", Integer),
    Column("offsite", Integer, nullable=False, server_default="0"),
    Column("referer", Text),
    Column("error", Text),
    Column("fetched_at", Float),
    Column("dates", Text),  # JSON
    Column("etag", Text),  # validators for the next run's conditional request
    Column("last_modified", Text),
    Column("revalidated", Integer, nullable=False, server_default="0"),  # 1: a 304 answered, stored copy used
    UniqueConstraint("run_id", "url"),
)
Index("documents_run", documents.c.run_id)

skipped = Table(
    "skipped", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("referer", Text),
)

# -- history: sites, checked results, batches, alert state ---------------------------------------
sites = Table(
    "sites", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),  # the key a supervisor uses: the agency's name
    Column("url", Text, nullable=False),
    Column("framework", Text),
    Column("scope", Text),
    Column("grp", Text),  # zone, province ...
    Column("created", Float, nullable=False),
)

audits = Table(  # one check of one run against one framework
    "audits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("site_id", Integer, ForeignKey("sites.id")),
    Column("framework", Text, nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("as_of", Text, nullable=False),
    Column("oit", Float, nullable=False),
    Column("band", Text),
    Column("complete", Integer, nullable=False),
    Column("created", Float, nullable=False),
    Column("result", Text, nullable=False),  # the JSON report (schema oitcheck/audit v1)
)
Index("audits_site", audits.c.site_id)
Index("audits_run", audits.c.run_id)

verdicts = Table(  # one row per item of an audit, for history and diff queries
    "verdicts", metadata,
    Column("audit_id", Integer, ForeignKey("audits.id"), primary_key=True),
    Column("item", Text, primary_key=True),
    Column("status", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON list of evidence URLs
    Column("missing", Text, nullable=False),  # JSON list
)

batches = Table(
    "batches", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),  # the SITES.csv file name
    Column("fingerprint", Text, nullable=False),  # hash of the rows: an unfinished batch with it resumes
    Column("kind", Text, nullable=False),  # batch | nightly
    Column("started", Float, nullable=False),
    Column("finished", Float),
    Column("options", Text),  # JSON: as_of, fiscal year, budgets
)

batch_sites = Table(
    "batch_sites", metadata,
    Column("batch_id", Integer, ForeignKey("batches.id"), primary_key=True),
    Column("site_id", Integer, ForeignKey("sites.id"), primary_key=True),
    Column("row", Integer, nullable=False),  # line in SITES.csv
    Column("state", Text, nullable=False),  # pending | running | done | failed
    Column("run_id", Integer),
    Column("audit_id", Integer),
    Column("error", Text),
    Column("started", Float),
    Column("finished", Float),
)

alert_state = Table(  # notify.alerts state between nightly runs, one JSON document per batch name
    "alert_state", metadata,
    Column("name", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("updated", Float, nullable=False),
)
