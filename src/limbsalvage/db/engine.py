"""Engines for the embedded SQLite default and for PostgreSQL, from one URL."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

# The execution option of engines whose transactions only read (see db/session.py).
READ_TRANSACTION = "limbsalvage_read_transaction"


def make_engine(url: str, *, sqlite_busy_timeout_ms: int = 5000, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo)
    _configure_sqlite(engine, busy_timeout_ms=sqlite_busy_timeout_ms)
    return engine


def _configure_sqlite(engine: Engine, *, busy_timeout_ms: int) -> None:
    # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; we issue BEGIN
    # ourselves (SQLAlchemy's documented recipe). A writing transaction takes the write lock up
    # front (IMMEDIATE), so two writers wait on the busy timeout instead of failing to upgrade a
    # read lock (an upgrade in WAL mode fails at once if another writer committed since the read
    # began). A read transaction (BEGIN DEFERRED) takes no lock: it reads its WAL snapshot beside
    # the writer, and never writes (db/session.py refuses its flushes).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        reading = connection.get_execution_options().get(READ_TRANSACTION, False)
        connection.exec_driver_sql("BEGIN DEFERRED" if reading else "BEGIN IMMEDIATE")
