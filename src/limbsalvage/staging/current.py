"""The staging in force for an episode now, kept current when an older finding is entered.

`restage_after_change` stages the episode on the changed finding's date. When that date is
before the newest snapshot's date, the newest snapshot no longer shows what the registry holds
for its date; `bring_current` restages on that date too (a new snapshot only when what staging
sees differs), so the staging shown as current includes every finding entered.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.staging.service import StagingProposal, restage_after_change


def current_snapshot(db: Session, episode_id: int) -> StagingSnapshot | None:
    """The episode's snapshot with the latest staging date (same date: the last computed)."""
    return db.scalar(
        select(StagingSnapshot)
        .where(StagingSnapshot.episode_id == episode_id)
        .order_by(StagingSnapshot.as_of.desc(), StagingSnapshot.id.desc())
        .limit(1)
    )


def bring_current(
    *, db: Session, episode_id: int, changed_on: date, trigger: str
) -> StagingProposal | None:
    """Restage on the newest snapshot's date when a finding dated before it changed."""
    newest = current_snapshot(db, episode_id)
    if newest is None or newest.as_of <= changed_on:
        return None
    return restage_after_change(
        db=db, episode_id=episode_id, as_of=newest.as_of, trigger=f"{trigger} (brought current)"
    )


__all__ = ["bring_current", "current_snapshot"]
