"""Shared fixtures: a real PostgreSQL server on loopback (started once per test session)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from pgserver import Postgres

_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = Postgres().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(postgres: Postgres) -> str:
    """A new, empty database on the session's server."""
    return postgres.create_database(f"t{os.getpid()}_{next(_names)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A store target of each kind: a SQLite file, and a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return str(request.getfixturevalue("pg_url"))
