"""Sessions and the unit of work: services never commit; the request or command does, once."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from limbsalvage.db import audit, stamps
from limbsalvage.db.clock import now

__all__ = ["make_sessionmaker", "now", "set_actor", "unit_of_work"]


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine` that stamp and audit every flush."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    stamps.install(factory)
    audit.install(factory)
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
