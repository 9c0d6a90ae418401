"""Append-only, hash-chained audit log written in the same transaction as each change.

Every create, update and delete of a model is recorded on flush (who, when, site, entity,
before/after); reads of patient data are recorded by `record_access`. Each entry's hash covers
its content and the previous entry's hash, so editing or removing any entry breaks the chain
from that point, which `verify` reports.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Integer, String, Text, event, insert, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from limbsalvage.db.after_read import write_after_read
from limbsalvage.db.base import Base
from limbsalvage.db.clock import now

GENESIS_HASH = "0" * 64


class AuditEntry(Base):
    """One audited action; never updated or deleted by the application."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(index=True)
    site_id: Mapped[int | None] = mapped_column(index=True)
    patient_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's last sequence number and hash; its row lock serialises writers."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class PendingEntry:
    """An entry before it is numbered and chained."""

    action: str
    entity: str
    entity_id: str | None
    patient_id: int | None
    site_id: int | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    detail: str | None = None


def install(factory: sessionmaker[Session]) -> None:
    """Audit every flush of sessions made by `factory`."""
    event.listen(factory, "after_flush", _after_flush)


def record_access(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: str | None = None,
    patient_id: int | None = None,
    site_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Record a read, list or export of patient data (after the read, in a read transaction)."""
    pending = PendingEntry(
        action=action,
        entity=entity,
        entity_id=entity_id,
        patient_id=patient_id,
        site_id=site_id if site_id is not None else session.info.get("actor_site_id"),
        detail=detail,
    )
    write_after_read(session, lambda writer: _append(writer, [pending]))


def _after_flush(session: Session, _context: Any) -> None:
    pending = [
        *(_change("create", obj, session) for obj in session.new),
        *(_change("update", obj, session) for obj in session.dirty),
        *(_change("delete", obj, session) for obj in session.deleted),
    ]
    entries = [entry for entry in pending if entry is not None]
    if entries:
        _append(session, entries)


def _change(action: str, obj: object, session: Session) -> PendingEntry | None:
    if not isinstance(obj, Base) or isinstance(obj, AuditEntry | AuditHead):
        return None
    excluded: frozenset[str] = getattr(obj, "__audit_exclude__", frozenset())
    state = inspect(obj)
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    if action == "update":
        before, after = {}, {}
        for attr in state.mapper.column_attrs:
            history = state.attrs[attr.key].history
            if history.has_changes() and attr.key not in excluded:
                before[attr.key] = _jsonable(history.deleted[0] if history.deleted else None)
                after[attr.key] = _jsonable(history.added[0] if history.added else None)
        if not after:
            return None
    else:
        snapshot = {
            attr.key: _jsonable(getattr(obj, attr.key))
            for attr in state.mapper.column_attrs
            if attr.key not in excluded
        }
        before, after = (None, snapshot) if action == "create" else (snapshot, None)
    identity = state.identity
    site_id = getattr(obj, "site_id", None)
    return PendingEntry(
        action=action,
        entity=obj.__tablename__,
        entity_id=",".join(str(part) for part in identity) if identity else None,
        patient_id=_patient_id(obj),
        site_id=site_id if site_id is not None else session.info.get("actor_site_id"),
        before=before,
        after=after,
    )


def _patient_id(obj: object) -> int | None:
    if obj.__class__.__name__ == "Patient":
        value = getattr(obj, "id", None)
    else:
        value = getattr(obj, "patient_id", None)
    return value if isinstance(value, int) else None


def _append(session: Session, entries: Iterable[PendingEntry]) -> None:
    connection = session.connection()
    head = connection.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
    ).one()
    seq, prev_hash = head.seq, head.hash
    instant = now(session).astimezone(UTC)
    actor = session.info.get("actor_id")
    rows = []
    for entry in entries:
        seq += 1
        row = {
            "seq": seq,
            "at": instant,
            "actor_id": actor,
            "site_id": entry.site_id,
            "patient_id": entry.patient_id,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "before": _dumps(entry.before),
            "after": _dumps(entry.after),
            "detail": entry.detail,
            "prev_hash": prev_hash,
        }
        row["hash"] = prev_hash = entry_hash(row)
        rows.append(row)
    connection.execute(insert(AuditEntry), rows)
    connection.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=prev_hash))


def entry_hash(row: dict[str, Any]) -> str:
    """SHA-256 over the entry's content and the previous hash, in canonical JSON."""
    content = {key: _jsonable(row[key]) for key in sorted(row) if key != "hash"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of checking the chain from its start."""

    ok: bool
    entries_checked: int
    first_bad_seq: int | None = None
    reason: str | None = None


def verify(connection: Connection, *, chunk_size: int = 5000) -> VerifyResult:
    """Recompute every hash in order; report the first entry that breaks the chain."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for row in _entries(connection, chunk_size=chunk_size):
        problem = _row_problem(row, expected_seq=expected_seq, prev_hash=prev_hash)
        if problem:
            return VerifyResult(False, checked, expected_seq, problem)
        prev_hash, expected_seq, checked = row["hash"], expected_seq + 1, checked + 1
    head = connection.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    if head.seq != checked or head.hash != prev_hash:
        return VerifyResult(False, checked, checked + 1, "entries after the last one were removed")
    return VerifyResult(True, checked)


def _row_problem(row: dict[str, Any], *, expected_seq: int, prev_hash: str) -> str | None:
    if row["seq"] != expected_seq:
        return f"entry {expected_seq} is missing"
    if row["prev_hash"] != prev_hash:
        return "the link to the previous entry is broken"
    if entry_hash(row) != row["hash"]:
        return "the entry's content does not match its hash"
    return None


def _entries(connection: Connection, *, chunk_size: int) -> Iterator[dict[str, Any]]:
    last = 0
    table = AuditEntry.__table__
    while True:
        batch = connection.execute(
            select(table).where(table.c.seq > last).order_by(table.c.seq).limit(chunk_size)
        ).mappings()
        rows = [dict(row) for row in batch]
        if not rows:
            return
        yield from rows
        last = rows[-1]["seq"]


def _dumps(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value
