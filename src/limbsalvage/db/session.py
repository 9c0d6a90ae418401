"""Sessions and the unit of work: services never commit; the request or command does, once.

Two kinds of unit of work. `unit_of_work` writes: on SQLite it holds the write lock from its
first statement (`BEGIN IMMEDIATE`), so writers queue instead of failing to upgrade a read.
`read_unit_of_work` reads in a plain transaction that takes no write lock; what a read must still
write — the access audit, a session's last-seen time — is queued with `write_after_read` and
written in one short write transaction once the read has succeeded, before the caller answers.
A read unit of work that tries to flush a change raises `WriteInReadTransaction`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from limbsalvage.db import audit, stamps
from limbsalvage.db.after_read import AFTER_READ, READING, Change, is_reading, write_after_read
from limbsalvage.db.clock import now
from limbsalvage.db.engine import READ_TRANSACTION

__all__ = [
    "WriteInReadTransaction",
    "is_reading",
    "make_sessionmaker",
    "now",
    "read_unit_of_work",
    "set_actor",
    "unit_of_work",
    "write_after_read",
]

_KEPT_INFO = ("actor_id", "actor_site_id", "now")


class WriteInReadTransaction(RuntimeError):
    """A programming error: a read unit of work flushed a change (use `write_after_read`)."""


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine` that stamp and audit every flush."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    stamps.install(factory)
    audit.install(factory)
    event.listen(factory, "before_flush", _refuse_writes_while_reading)
    return factory


def set_actor(session: Session, *, actor_id: int | None, site_id: int | None = None) -> None:
    """Who is acting (None: the system), recorded on rows and audit entries."""
    session.info["actor_id"] = actor_id
    session.info["actor_site_id"] = site_id


@contextmanager
def unit_of_work(
    factory: sessionmaker[Session], *, actor_id: int | None = None, site_id: int | None = None
) -> Iterator[Session]:
    """One transaction: commit once if the block succeeds, roll back otherwise."""
    with factory() as session:
        set_actor(session, actor_id=actor_id, site_id=site_id)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_unit_of_work(
    factory: sessionmaker[Session], *, actor_id: int | None = None, site_id: int | None = None
) -> Iterator[Session]:
    """A read transaction, then its queued writes (the access audit) in one short write one."""
    engine: Engine = factory.kw["bind"]
    with engine.connect() as connection, factory(bind=connection) as session:
        connection.execution_options(**{READ_TRANSACTION: True})
        session.info[READING] = True
        set_actor(session, actor_id=actor_id, site_id=site_id)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        changes: list[Change] = session.info.pop(AFTER_READ, [])
        kept = {key: session.info[key] for key in _KEPT_INFO if key in session.info}
    if changes:
        with factory() as writer:
            writer.info.update(kept)
            for change in changes:
                change(writer)
            writer.commit()


def _refuse_writes_while_reading(session: Session, _context: Any, _instances: Any) -> None:
    if not is_reading(session):
        return
    changed = [
        *session.new,
        *session.deleted,
        *(obj for obj in session.dirty if session.is_modified(obj, include_collections=False)),
    ]
    if changed:
        names = sorted({type(obj).__name__ for obj in changed})
        raise WriteInReadTransaction(
            f"a read transaction tried to write {', '.join(names)}; use write_after_read"
        )
