"""Recompute an episode's recommendations after its findings changed, without failing the change.

Entering a finding must store the finding even when the pathway engine cannot run yet (inputs
missing, or contradictory until the clinician reviews the staging): the refresh runs in a
savepoint, and a refusal is returned as the engine's message (field names only, no values).

This refresh has no clinician facts (usable vein, risk estimates, life expectancy…: they are not
stored). A recommendation a clinician has answered may rest on facts given at an earlier refresh,
so a recompute that would change or withdraw an answered recommendation is not applied here: the
recommendations are left as they were and the message says why, for a clinician to refresh them
with the facts (`refresh_for_episode(..., facts=...)`). Pending ones are recomputed freely.
"""

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import RecommendationState
from limbsalvage.errors import Invalid
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.recommendations.refresh import refresh_for_episode
from limbsalvage.recommendations.service import RecomputeSummary


@dataclass(frozen=True)
class Refreshed:
    """What the refresh did, or why the recommendations were left as they were."""

    summary: RecomputeSummary | None
    not_refreshed: str = ""


def answered_superseded(db: Session, summary: RecomputeSummary) -> list[StoredRecommendation]:
    """The answered recommendations a recompute changed or withdrew."""
    replaced = [row.id for row in summary.changed]
    old = list(summary.withdrawn)
    if replaced:
        old += db.scalars(
            select(StoredRecommendation).where(StoredRecommendation.superseded_by_id.in_(replaced))
        )
    return [row for row in old if row.state is not RecommendationState.PENDING]


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
    answered = answered_superseded(db, summary)
    if answered:
        savepoint.rollback()
        return Refreshed(
            None,
            f"the recompute would change or withdraw {len(answered)} answered "
            "recommendation(s), which may rest on facts a clinician gave; review them and "
            "refresh with those facts",
        )
    savepoint.commit()
    return Refreshed(summary)


__all__ = ["Refreshed", "answered_superseded", "refresh_after_findings"]
