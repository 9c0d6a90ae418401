"""Time-stamps and authorship set on flush, so no service can forget them."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from limbsalvage.db.base import Record
from limbsalvage.db.clock import now


def install(factory: sessionmaker[Session]) -> None:
    """Stamp `Record` rows on every flush of sessions from `factory`."""
    event.listen(factory, "before_flush", _stamp)


def _stamp(session: Session, _context: Any, _instances: Any) -> None:
    instant = now(session)
    actor = session.info.get("actor_id")
    for obj in session.new:
        if isinstance(obj, Record):
            obj.created_at = instant
            obj.updated_at = instant
            obj.created_by_id = actor
            obj.updated_by_id = actor
    for obj in session.dirty:
        if isinstance(obj, Record) and session.is_modified(obj, include_collections=False):
            obj.updated_at = instant
            obj.updated_by_id = actor
