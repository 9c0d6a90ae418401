"""Turn database refusals into domain errors, keeping the transaction usable.

A change is made inside `guarded(...)`: the block runs in a savepoint and is flushed there, so a
constraint failure rolls back that block alone (its new rows leave the session, its updates are
expired) and raises `Conflict`; the transaction and the session stay usable and nothing of the
block is half-written. The savepoint must open before the change: a row added before it would be
flushed outside it (SQLAlchemy flushes pending changes when a savepoint begins), and a failure
there leaves the whole session waiting for a rollback.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from limbsalvage.errors import Conflict, StaleUpdate


class Versioned(Protocol):
    """A row with an optimistic-concurrency version."""

    id: int
    version: int


def check_version(row: Versioned, *, expected_version: int, entity: str) -> None:
    """Refuse an update made from a stale read: the caller must reload and retry."""
    if row.version != expected_version:
        raise StaleUpdate(
            message=(
                f"{entity} {row.id} was changed by someone else (version {row.version}, "
                f"your copy is version {expected_version}); reload it and apply your change again"
            )
        )


@contextmanager
def guarded(session: Session, *, conflict_message: str) -> Iterator[None]:
    """Make the block's changes in a savepoint and flush them; a refusal becomes `Conflict`."""
    try:
        # Earlier changes are flushed first, outside the savepoint: a refusal of those still
        # becomes Conflict, but the session then needs a rollback (the request's, on error).
        session.flush()
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError as error:
        raise Conflict(message=conflict_message) from error
    except StaleDataError as error:
        raise StaleUpdate(
            message="the row was changed by someone else; reload it and apply your change again"
        ) from error
