"""Findings as a clinician enters them on the chart: at the encounter of a date, then restaged.

A finding entered with a date joins the episode's assessment (encounter) of that date, or a new
one; a wound measurement joins it when there is one, and may record a new wound first. Each write
restages through the registry services, then `finish_entry` brings the staging in force up to
date (`staging.current.bring_current`) and recomputes the episode's recommendations. Services
flush but never commit.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.assessments import service as assessments
from limbsalvage.assessments.models import Assessment, Finding
from limbsalvage.assessments.schemas import AssessmentFields, FindingIn
from limbsalvage.errors import invalid
from limbsalvage.patients.service import get_episode
from limbsalvage.recommendations.after_restaging import Refreshed, refresh_after_findings
from limbsalvage.staging.current import bring_current, current_snapshot
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.staging.service import Difference, differences
from limbsalvage.wounds import service as wounds
from limbsalvage.wounds.models import WoundMeasurement
from limbsalvage.wounds.schemas import MeasurementFields, WoundFields


def encounter_on(
    *, db: Session, episode_id: int, on: date, site_ids: Collection[int] | None = None
) -> Assessment:
    """The episode's assessment of that date (the last recorded), or a new one."""
    get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    existing = db.scalar(
        select(Assessment)
        .where(Assessment.episode_id == episode_id, Assessment.assessed_on == on)
        .order_by(Assessment.id.desc())
        .limit(1)
    )
    if existing is not None:
        return existing
    return assessments.create_assessment(
        db=db,
        episode_id=episode_id,
        assessment_in=AssessmentFields(assessed_on=on),
        site_ids=site_ids,
    )


def record_finding(
    *,
    db: Session,
    episode_id: int,
    on: date,
    finding_in: FindingIn,
    site_ids: Collection[int] | None = None,
) -> Finding:
    """Record a finding at the episode's encounter of `on` (restaged by the service)."""
    assessment = encounter_on(db=db, episode_id=episode_id, on=on, site_ids=site_ids)
    return assessments.create_finding(
        db=db, assessment_id=assessment.id, finding_in=finding_in, site_ids=site_ids
    )


def record_measurement(
    *,
    db: Session,
    episode_id: int,
    wound_id: int | None,
    new_wound: WoundFields | None,
    measurement_in: MeasurementFields,
    site_ids: Collection[int] | None = None,
) -> WoundMeasurement:
    """Measure a wound of the episode (recording `new_wound` first when no wound is given)."""
    if wound_id is None:
        assert new_wound is not None
        wound = wounds.create_wound(
            db=db, episode_id=episode_id, wound_in=new_wound, site_ids=site_ids
        )
    else:
        wound = wounds.get_wound(db=db, wound_id=wound_id, site_ids=site_ids)
        if wound.episode_id != episode_id:
            raise invalid("wound_id", "must be a wound of this episode")
    encounter = db.scalar(
        select(Assessment.id)
        .where(
            Assessment.episode_id == episode_id,
            Assessment.assessed_on == measurement_in.measured_on,
        )
        .order_by(Assessment.id.desc())
        .limit(1)
    )
    linked = measurement_in.model_copy(update={"assessment_id": encounter})
    return wounds.create_measurement(
        db=db, wound_id=wound.id, measurement_in=linked, site_ids=site_ids
    )


@dataclass(frozen=True)
class EntryOutcome:
    """The staging in force after an entry, what changed in it, and the recommendations."""

    before: StagingSnapshot | None
    after: StagingSnapshot | None
    changes: list[Difference]
    recommendations: Refreshed


def finish_entry(
    *,
    db: Session,
    episode_id: int,
    changed_on: date,
    trigger: str,
    before: StagingSnapshot | None,
    site_ids: Collection[int] | None,
) -> EntryOutcome:
    """After a write: staging brought current, its differences, recommendations recomputed."""
    bring_current(db=db, episode_id=episode_id, changed_on=changed_on, trigger=trigger)
    after = current_snapshot(db, episode_id)
    changed = [] if after is None or after is before else differences(before, after)
    refreshed = refresh_after_findings(db=db, episode_id=episode_id, site_ids=site_ids)
    return EntryOutcome(before, after, changed, refreshed)


__all__ = ["EntryOutcome", "encounter_on", "finish_entry", "record_finding", "record_measurement"]
