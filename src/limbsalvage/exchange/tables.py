"""Which tables and columns the CSV exchange carries, and the schemas that validate them.

Generic over the models: every table of `Base.metadata` is exchanged, parents before children,
one file `<table>.csv` each, with every column under its model name — except the audit log
(it belongs to the database it was written in) and password hashes (never leave the server).
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Column, ForeignKey, Table

from limbsalvage.db.models import Base
from limbsalvage.patients.schemas import PatientCreate

EXCLUDED_TABLES = frozenset({"audit_entries", "audit_head"})
EXCLUDED_COLUMNS: dict[str, frozenset[str]] = {"users": frozenset({"password_hash"})}
STAMP_COLUMNS = frozenset({"created_at", "updated_at", "created_by_id", "updated_by_id", "version"})

# The input schema that validates each table's rows on import: ranges, codes and cross-field
# rules, the same as the API and forms. Only fields that are columns of the table are used.
SCHEMAS: dict[str, type[BaseModel]] = {"patients": PatientCreate}

Row = dict[str, Any]
RowRule = Callable[[Row], list[tuple[str, str]]]


def _closed_after_presented(row: Row) -> list[tuple[str, str]]:
    closed, presented = row.get("closed_on"), row.get("presented_on")
    if isinstance(closed, date) and isinstance(presented, date) and closed < presented:
        return [("closed_on", "must not be before presented_on")]
    return []


# Cross-field rules of tables without an input schema that covers them (the CHECK constraints).
ROW_RULES: dict[str, tuple[RowRule, ...]] = {"episodes": (_closed_after_presented,)}


def exchanged_tables() -> list[Table]:
    """Every exchanged table, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in EXCLUDED_TABLES]


def exchanged_columns(table: Table) -> list[Column[Any]]:
    """The columns of `table` in file order: `id`, the table's own columns, then the stamps."""
    excluded = EXCLUDED_COLUMNS.get(table.name, frozenset())
    columns = [c for c in table.columns if c.name not in excluded]
    rank = {"id": 0, **dict.fromkeys(STAMP_COLUMNS, 2)}
    return sorted(columns, key=lambda c: rank.get(c.name, 1))


def file_name(table: Table) -> str:
    """The table's file in an export directory."""
    return f"{table.name}.csv"


def foreign_key(column: Column[Any]) -> ForeignKey | None:
    """The column's single foreign key, if any."""
    keys = list(column.foreign_keys)
    return keys[0] if keys else None
