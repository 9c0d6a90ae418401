"""Test-wide settings and database fixtures.

Hypothesis runs deterministically in CI and without per-example deadlines; every data-layer
test runs on SQLite and on PostgreSQL (issue 3).
"""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker
from tests.support.databases import BACKENDS, fresh_database, require_backend

# CI replays the same examples every run (a red build is reproducible) and never fails on the
# timing of a single example on a busy machine; locally examples stay random to explore more.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


# Databases: every data-layer test runs on SQLite and on PostgreSQL (issue 3).


FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test."""
    require_backend(request.param)
    return str(request.param)


@pytest.fixture(scope="session")
def migrated_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One migrated database per backend for the whole run; tests roll back their changes."""

    with fresh_database(backend, tmp_path_factory.mktemp("db")) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def db(migrated_engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    The service's own commits become savepoints, so a test can commit and still leave the
    shared database clean. The clock is fixed (`FIXED_NOW`) and the actor is the system.
    """

    connection = migrated_engine.connect()
    transaction = connection.begin()
    factory = make_sessionmaker(migrated_engine)
    session = factory(bind=connection, join_transaction_mode="create_savepoint")
    session.info["now"] = FIXED_NOW
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def fresh_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A brand-new empty database (migrations, backups and concurrency tests)."""

    with fresh_database(backend, tmp_path) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()
