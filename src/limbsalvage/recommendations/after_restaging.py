"""Recompute an episode's recommendations after its findings changed, without failing the change.

Entering a finding must store the finding even when the pathway engine cannot run yet (inputs
missing, or contradictory until the clinician reviews the staging): the refresh runs in a
savepoint, and a refusal is returned as the engine's message (field names only, no values).
"""

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from limbsalvage.errors import Invalid
from limbsalvage.recommendations.refresh import refresh_for_episode
from limbsalvage.recommendations.service import RecomputeSummary


@dataclass(frozen=True)
class Refreshed:
    """What the refresh did, or why the recommendations were left as they were."""

    summary: RecomputeSummary | None
    not_refreshed: str = ""


def refresh_after_findings(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None
) -> Refreshed:
    """Run `refresh_for_episode` (no clinician facts); a refusal leaves nothing half-written."""
    savepoint = db.begin_nested()
    try:
        summary = refresh_for_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    except Invalid as refused:
        savepoint.rollback()
        return Refreshed(None, refused.message)
    savepoint.commit()
    return Refreshed(summary)


__all__ = ["Refreshed", "refresh_after_findings"]
