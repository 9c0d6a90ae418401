"""Consistent, portable backups: every table in one read transaction, as gzip JSON Lines.

One format for SQLite and PostgreSQL (a backup can move a program between them). The first
line is a manifest (format, schema revision, time, row counts); each further line is one row.
Restore writes into an empty database migrated to the archive's revision, then upgrades it,
so a backup taken by an older version restores into a newer one.
"""

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Date, DateTime, Engine, Table, func, insert, select, text
from sqlalchemy.types import TypeDecorator

from limbsalvage.db.migrate import alembic_config, current_revision, upgrade_database
from limbsalvage.db.models import Base
from limbsalvage.errors import Conflict, Invalid

FORMAT = "limbsalvage-backup/1"
CHUNK_ROWS = 5000


def backup(engine: Engine, path: Path) -> dict[str, int]:
    """Write every table to `path` (written beside it, then moved into place); row counts."""
    revision = current_revision(engine)
    if revision is None:
        raise Invalid(message="database: it was never migrated; there is nothing to back up")
    partial = path.with_name(path.name + ".partial")
    counts: dict[str, int] = {}
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            tables = Base.metadata.sorted_tables
            counts = {
                t.name: connection.scalar(select(func.count()).select_from(t)) or 0 for t in tables
            }
            with gzip.open(partial, "wt", encoding="utf-8") as out:
                manifest = {
                    "format": FORMAT,
                    "revision": revision,
                    "created_at": datetime.now(UTC).isoformat(),
                    "tables": counts,
                }
                out.write(json.dumps(manifest) + "\n")
                for table in tables:
                    for row in _rows(connection, table):
                        out.write(json.dumps({"t": table.name, "r": row}, default=_encode) + "\n")
    partial.replace(path)
    return counts


def restore(engine: Engine, path: Path) -> dict[str, int]:
    """Load `path` into an empty database and migrate it to the newest schema; row counts."""
    with gzip.open(path, "rt", encoding="utf-8") as source:
        manifest = _manifest(source.readline(), path)
        _prepare_empty(engine, revision=manifest["revision"], path=path)
        counts = _load(engine, source)
    if counts != {k: v for k, v in manifest["tables"].items() if v}:
        raise Conflict(
            message=f"{path.name}: row counts differ from its manifest; the file is damaged"
        )
    upgrade_database(engine)
    return counts


def _prepare_empty(engine: Engine, *, revision: str, path: Path) -> None:
    """Bring an empty database to the archive's schema revision."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    try:
        script.get_revision(revision)
    except CommandError as error:
        raise Invalid(
            message=f"{path.name}: made by a newer limbsalvage (schema {revision}); upgrade first"
        ) from error
    current = current_revision(engine)
    if current is not None and _has_data(engine):
        raise Conflict(message="database: restore needs an empty database; this one holds data")
    if current is not None and current != revision:
        command.downgrade(alembic_config(engine), revision)
    upgrade_database(engine, revision=revision)


def _manifest(line: str, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(line)
    except json.JSONDecodeError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Invalid(message=f"{path.name}: not a limbsalvage backup (expected {FORMAT})")
    return manifest


def _has_data(engine: Engine) -> bool:
    with engine.connect() as connection:
        return any(
            connection.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name != "audit_head"
        )


def _load(engine: Engine, source: Any) -> dict[str, int]:
    tables = Base.metadata.tables
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_head"))
        batch: list[dict[str, Any]] = []
        current: Table | None = None
        for line in source:
            item = json.loads(line)
            table = tables[item["t"]]
            if table is not current and batch and current is not None:
                connection.execute(insert(current), batch)
                batch = []
            current = table
            batch.append(_decode(table, item["r"]))
            counts[table.name] = counts.get(table.name, 0) + 1
            if len(batch) >= CHUNK_ROWS:
                connection.execute(insert(table), batch)
                batch = []
        if batch and current is not None:
            connection.execute(insert(current), batch)
        _reset_sequences(connection)
    return counts


def _reset_sequences(connection: Connection) -> None:
    # PostgreSQL identity sequences do not move when ids are inserted explicitly.
    if connection.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.name != "audit_head":
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns)
    for row in connection.execute(select(table).order_by(*order)).mappings():
        yield dict(row)


def _encode(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a backup")


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    decoded = dict(row)
    for column in table.c:
        value = decoded.get(column.name)
        if value is None:
            continue
        kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
        if isinstance(kind, DateTime):
            decoded[column.name] = datetime.fromisoformat(value)
        elif isinstance(kind, Date):
            decoded[column.name] = date.fromisoformat(value)
    return decoded
