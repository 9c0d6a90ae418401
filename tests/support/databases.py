"""Real databases for tests: a SQLite file and a throw-away PostgreSQL database per run.

PostgreSQL runs wherever the server answers; in CI (CI=true) an unreachable server fails the
run instead of skipping, so the PostgreSQL half of the suite can never silently vanish.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

PG_SERVER = os.environ.get("LIMBSALVAGE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def postgresql_available() -> bool:
    """Whether the test server answers (CI demands it)."""
    try:
        with psycopg.connect(PG_SERVER, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def require_backend(backend: str) -> None:
    """Skip a PostgreSQL test locally when no server runs; fail in CI."""
    if backend == "postgresql" and not postgresql_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and does not answer at {PG_SERVER}")
        pytest.skip(f"PostgreSQL does not answer at {PG_SERVER}")


@contextmanager
def fresh_database(backend: str, directory: Path) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a new, empty database, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex}.sqlite3'}"
        return
    name = f"limbsalvage_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
