"""Bring a store to the current schema with Alembic; an existing store is migrated, never rebuilt.

Stores written before Alembic (oitcheck 0.1, a ``meta.schema_version`` of 1 or 2) are first
brought to version 2 in place, stamped as revision 0001, then upgraded like any other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

_HERE = Path(__file__).resolve().parent
LEGACY_VERSION = 2  # the last meta.schema_version written before Alembic


class SchemaError(RuntimeError):
    pass


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_HERE / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


@cache
def head() -> str:
    return str(ScriptDirectory.from_config(_config()).get_current_head())


@cache
def _known() -> frozenset[str]:
    return frozenset(s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions())


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _adopt_legacy(conn: Connection) -> None:
    """A pre-Alembic store: finish its own in-place migration, then stamp it as revision 0001."""
    row = conn.execute(text("SELECT value FROM meta WHERE key='schema_version'")).fetchone()
    version = int(row[0]) if row else 1
    if version > LEGACY_VERSION:
        raise SchemaError(f"written by a newer oitcheck (schema {version})")
    if version < 2:  # text provenance (how each document's text was obtained)
        for column in ("source TEXT", "ocr_pages INTEGER", "ocr_confidence REAL", "notes TEXT"):
            conn.execute(text(f"ALTER TABLE contents ADD COLUMN {column}"))
    conn.execute(text("DELETE FROM meta WHERE key='schema_version'"))
    command.stamp(_config(conn), "0001")


def ensure(engine: Engine) -> list[str]:
    """Migrate to head if needed; returns the revisions applied (empty when already current)."""
    with engine.begin() as conn:
        rev = current(conn)
        if rev == head():
            return []
        tables = set(inspect(conn).get_table_names())
        if rev is None and "runs" in tables:
            _adopt_legacy(conn)
            rev = "0001"
        if rev is not None and rev not in _known():
            raise SchemaError(f"written by a newer oitcheck (schema revision {rev})")
        script = ScriptDirectory.from_config(_config())
        applied = [s.revision for s in script.iterate_revisions(head(), rev)]
        command.upgrade(_config(conn), "head")
        return list(reversed(applied))
