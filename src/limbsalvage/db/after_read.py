"""Writes a read transaction owes (the access audit, a session's last-seen time), queued."""

from collections.abc import Callable

from sqlalchemy.orm import Session

READING = "read_transaction"
AFTER_READ = "writes_after_read"

Change = Callable[[Session], None]


def is_reading(session: Session) -> bool:
    """Whether `session` is a read unit of work (its writes wait for `write_after_read`)."""
    return bool(session.info.get(READING))


def write_after_read(session: Session, change: Change) -> None:
    """Apply `change` now in a writing session; in a read one, once the read has succeeded."""
    if is_reading(session):
        session.info.setdefault(AFTER_READ, []).append(change)
    else:
        change(session)
