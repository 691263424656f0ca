"""The persistent store (SQLite by default, PostgreSQL given a URL), migrated with Alembic."""

from store.store import Store, StoreError, describe, is_url, local_dir

__all__ = ["Store", "StoreError", "describe", "is_url", "local_dir"]
