"""The staging in force for an episode now, kept current when an older finding is entered.

`restage_after_change` stages the episode on the changed finding's date. When that date is
before the newest snapshot's date, the newest snapshot no longer shows what the registry holds
for its date; `bring_current` restages on that date too (a new snapshot only when what staging
sees differs), so the staging shown as current includes every finding entered.
"""

from datetime import date

from sqlalchemy.orm import Session

from limbsalvage.staging.in_force import current_snapshot
from limbsalvage.staging.service import StagingProposal, restage_after_change


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
