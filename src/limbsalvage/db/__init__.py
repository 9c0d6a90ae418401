"""Persistence: engines, sessions, migrations and the audit log (see docs/registry/)."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from limbsalvage.db.engine import make_engine
from limbsalvage.settings import Settings


def engine_from_settings(settings: Settings) -> Engine:
    """The engine for the configured database (the embedded SQLite file by default)."""
    return make_engine(
        settings.resolved_database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms
    )


@contextmanager
def configured_engine(settings: Settings) -> Iterator[Engine]:
    """The configured engine for one command, its connections closed afterwards."""
    engine = engine_from_settings(settings)
    try:
        yield engine
    finally:
        engine.dispose()
