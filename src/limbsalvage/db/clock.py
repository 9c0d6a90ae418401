"""The session's clock."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session


def now(session: Session) -> datetime:
    """A fixed instant when a test or import set `session.info["now"]`, else the UTC time."""
    fixed = session.info.get("now")
    return fixed if isinstance(fixed, datetime) else datetime.now(UTC)
