"""Turn database refusals into domain errors, keeping the transaction usable."""

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


def flush(session: Session, *, conflict_message: str) -> None:
    """Flush inside a savepoint; a constraint failure becomes `Conflict(conflict_message)`."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise Conflict(message=conflict_message) from error
    except StaleDataError as error:
        raise StaleUpdate(
            message="the row was changed by someone else; reload it and apply your change again"
        ) from error
