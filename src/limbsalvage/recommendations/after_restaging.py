"""Recompute an episode's recommendations after its findings changed, without failing the change.

Entering a finding must store the finding even when the pathway engine cannot run yet (inputs
missing, or contradictory until the clinician reviews the staging): the refresh runs in a
savepoint, and a refusal is returned as the engine's message (field names only, no values).

The refresh uses the clinician facts in force (`limbsalvage.facts`: stored per episode with who
and when), the same ones a clinician's recompute uses, so it is no longer blind to them.

Decision on answered recommendations (issue 4: ask again only when a recommendation actually
changes). A recompute is applied in full, answered recommendations included:
- a recommendation whose content (rule, category, urgency, strategy, text, citation, discussion
  framing: its fingerprint) is unchanged keeps its row, its answer and its task — a new
  finding that only changes the rationale asks for nothing;
- one whose content changed is superseded (the old row and its answer stay in the history, its
  open task is cancelled) and the new version is pending: the clinician is asked to
  acknowledge it again (`RecomputeSummary.needs_acknowledgement`);
- one whose rule no longer fires is withdrawn (kept in the history, task cancelled).
The one exception is a recommendation answered before facts were stored (its
`clinician_facts` is NULL): it may rest on facts given once and never recorded, so a recompute
that would change or withdraw it is not applied here; the recommendations are left as they
were and the message asks a clinician to record the facts (saving them recomputes with the
clinician present). Pending recommendations are recomputed freely.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import RecommendationState
from limbsalvage.errors import Invalid
from limbsalvage.facts.models import ClinicianFact
from limbsalvage.facts.service import record_facts
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
    """Run `refresh_for_episode` with the facts in force; a refusal leaves nothing half-written."""
    savepoint = db.begin_nested()
    try:
        summary = refresh_for_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    except Invalid as refused:
        savepoint.rollback()
        return Refreshed(None, refused.message)
    unrecorded = [r for r in answered_superseded(db, summary) if r.clinician_facts is None]
    if unrecorded:
        savepoint.rollback()
        return Refreshed(
            None,
            f"the recompute would change or withdraw {len(unrecorded)} recommendation(s) "
            "answered before clinician facts were stored, which may rest on facts given then; "
            "record the facts on the chart (saving them recomputes)",
        )
    savepoint.commit()
    return Refreshed(summary)


def record_facts_and_refresh(
    *,
    db: Session,
    episode_id: int,
    facts: Mapping[str, Any],
    site_ids: Collection[int] | None,
    note: str | None = None,
) -> tuple[list[ClinicianFact], Refreshed]:
    """Record a clinician's facts (all refused when one is wrong), then recompute with them.

    The clinician is present, so a recompute is applied in full, over earlier answers too (a
    changed recommendation is asked again). When the engine refuses the registry's input
    (staging contradictory until reviewed…) the facts stay recorded and the recommendations
    as they were, with the reason.
    """
    entries = record_facts(db=db, episode_id=episode_id, facts=facts, site_ids=site_ids, note=note)
    savepoint = db.begin_nested()
    try:
        summary = refresh_for_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    except Invalid as refused:
        savepoint.rollback()
        return entries, Refreshed(None, refused.message)
    savepoint.commit()
    return entries, Refreshed(summary)


__all__ = [
    "Refreshed",
    "answered_superseded",
    "record_facts_and_refresh",
    "refresh_after_findings",
]
