"""Bulk writes: Core `INSERT … VALUES` over many rows at once, with ids reserved up front.

Used where thousands to millions of rows arrive together (the demo cohort, CSV import); the
ORM's unit of work and its per-row audit hook are bypassed, so each caller records a summary
audit entry instead (see docs/registry/exchange.md, "Audit of bulk writes").

Ids are assigned by the writer, not by the database, so a child row can name its parent
without a round trip per row. The writer locks each table it writes on PostgreSQL (other
sessions can still read) and moves the table's id sequence past the new rows at `finish`;
SQLite transactions already hold the write lock (`BEGIN IMMEDIATE`).

A table listed in `DERIVED_ROWS` has rows of another table derived from each chunk written (a
patient's search terms), written in the same transaction so no bulk path can leave them stale.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session

from limbsalvage.db.clock import now

STAMP_COLUMNS = ("created_at", "updated_at", "created_by_id", "updated_by_id", "version")
DEFAULT_CHUNK_ROWS = 5000

Derive = Callable[[Sequence[dict[str, Any]]], list[dict[str, Any]]]
# Written table name → (derived table, the derived rows of a chunk); filled by the domains.
DERIVED_ROWS: dict[str, tuple[Table, Derive]] = {}


class BulkWriter:
    """Insert rows table by table in chunks, in the session's transaction."""

    def __init__(self, db: Session, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> None:
        self.connection: Connection = db.connection()
        self.chunk_rows = chunk_rows
        self.instant = now(db)
        self.actor_id: int | None = db.info.get("actor_id")
        self.counts: dict[str, int] = {}
        self._next_id: dict[str, int] = {}
        self._locked: set[str] = set()
        self._postgresql = self.connection.dialect.name == "postgresql"

    def lock(self, table: Table) -> None:
        """Keep other writers out of `table` until the transaction ends (PostgreSQL)."""
        if self._postgresql and table.name not in self._locked:
            self.connection.execute(text(f'LOCK TABLE "{table.name}" IN EXCLUSIVE MODE'))
        self._locked.add(table.name)

    def max_id(self, table: Table) -> int:
        """The largest id stored in `table` (0 when empty)."""
        self.lock(table)
        return int(self.connection.scalar(select(func.max(table.c.id))) or 0)

    def reserve_ids(self, table: Table, count: int) -> range:
        """`count` fresh ids for `table`, above every stored and previously reserved id."""
        if table.name not in self._next_id:
            self._next_id[table.name] = self.max_id(table) + 1
        start = self._next_id[table.name]
        self._next_id[table.name] = start + count
        return range(start, start + count)

    def stamp(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Fill missing time-stamps, authorship and version as a flush would."""
        if "created_at" not in table.c:
            return
        defaults = {
            "created_at": self.instant,
            "updated_at": self.instant,
            "created_by_id": self.actor_id,
            "updated_by_id": self.actor_id,
            "version": 1,
        }
        for row in rows:
            for name, value in defaults.items():
                row.setdefault(name, value)

    def insert(self, table: Table, rows: Iterable[dict[str, Any]]) -> int:
        """Insert `rows` (dicts with the same keys) in chunks; returns how many were written."""
        self.lock(table)
        written = 0
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= self.chunk_rows:
                written += self._write(table, chunk)
                chunk = []
        if chunk:
            written += self._write(table, chunk)
        self.counts[table.name] = self.counts.get(table.name, 0) + written
        return written

    def _write(self, table: Table, chunk: list[dict[str, Any]]) -> int:
        self.stamp(table, chunk)
        self.connection.execute(insert(table), chunk)
        if table.name in DERIVED_ROWS:
            derived, derive = DERIVED_ROWS[table.name]
            derived_rows = derive(chunk)
            if derived_rows:
                self.lock(derived)
                self.connection.execute(insert(derived), derived_rows)
        return len(chunk)

    def finish(self) -> None:
        """Move each written table's id sequence past its largest id (PostgreSQL)."""
        if not self._postgresql:
            return
        for name in sorted(self.counts):
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{name}"), 0) + 1, false)'
                )
            )
