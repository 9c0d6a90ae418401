"""The chart's timeline: what happened to each limb, in date order (read only).

The timeline and the outcome section (limbsalvage.web.outcome_views) show the same episodes,
assessments, procedures, events and follow-up visits: `chart_rows` reads them once per
request for both.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Result, literal, select, union_all
from sqlalchemy.orm import Session, selectinload

from limbsalvage.assessments.models import Assessment
from limbsalvage.assessments.service import KINDS
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.patients.models import Episode, Limb
from limbsalvage.procedures.models import Procedure
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.wounds.models import WoundMeasurement


@dataclass(frozen=True)
class TimelineItem:
    """One dated entry of the chart's timeline."""

    on: date
    kind: str
    text: str
    side: str


@dataclass(frozen=True)
class ChartRows:
    """A patient's rows that more than one section of the chart shows, each in id order."""

    limbs: list[Limb]
    episodes: list[Episode]
    assessments: list[Assessment]
    procedures: list[Procedure]  # with their treated segments and grafts
    events: list[OutcomeEvent]
    follow_ups: list[FollowUp]


def chart_rows(db: Session, patient_id: int) -> ChartRows:
    """The patient's limbs, episodes, assessments, procedures, events and follow-up visits."""
    procedures = select(Procedure).options(
        selectinload(Procedure.segments), selectinload(Procedure.grafts)
    )
    return ChartRows(
        limbs=list(db.scalars(select(Limb).where(Limb.patient_id == patient_id).order_by(Limb.id))),
        episodes=list(
            db.scalars(select(Episode).where(Episode.patient_id == patient_id).order_by(Episode.id))
        ),
        assessments=list(
            db.scalars(
                select(Assessment)
                .where(Assessment.patient_id == patient_id)
                .order_by(Assessment.id)
            )
        ),
        procedures=list(
            db.scalars(procedures.where(Procedure.patient_id == patient_id).order_by(Procedure.id))
        ),
        events=list(
            db.scalars(
                select(OutcomeEvent)
                .where(OutcomeEvent.patient_id == patient_id)
                .order_by(OutcomeEvent.id)
            )
        ),
        follow_ups=list(
            db.scalars(
                select(FollowUp).where(FollowUp.patient_id == patient_id).order_by(FollowUp.id)
            )
        ),
    )


def _words(value: object) -> str:
    text = getattr(value, "value", value)
    return str(text).replace("_", " ")


def timeline(db: Session, patient_id: int, rows: ChartRows) -> list[TimelineItem]:
    """Episodes, assessments, staging, procedures, events and follow-up, newest first."""
    sides = {limb.id: limb.side for limb in rows.limbs}
    episode_sides = {e.id: _words(sides.get(e.limb_id, "")) for e in rows.episodes}
    items: list[TimelineItem] = []
    for episode in rows.episodes:
        side = episode_sides[episode.id]
        items.append(
            TimelineItem(
                episode.presented_on, "episode", f"presented: {_words(episode.cause)}", side
            )
        )
        if episode.closed_on is not None:
            items.append(
                TimelineItem(
                    episode.closed_on, "episode", f"episode {_words(episode.status)}", side
                )
            )
    items.extend(assessment_items(db, patient_id, episode_sides, rows.assessments))
    for snapshot in db.scalars(
        select(StagingSnapshot).where(StagingSnapshot.patient_id == patient_id)
    ):
        stage = "not staged" if snapshot.wifi_stage is None else f"WIfI stage {snapshot.wifi_stage}"
        text = f"staging {_words(snapshot.status)}: {stage}"
        items.append(
            TimelineItem(
                snapshot.as_of, "staging", text, episode_sides.get(snapshot.episode_id, "")
            )
        )
    for procedure in rows.procedures:
        text = _words(procedure.kind)
        if procedure.amputation_level is not None:
            text += f" ({_words(procedure.amputation_level)})"
        items.append(
            TimelineItem(
                procedure.performed_on, "procedure", text, _words(sides.get(procedure.limb_id, ""))
            )
        )
    for event in rows.events:
        text = _words(event.kind)
        if event.amputation_level is not None:
            text += f" ({_words(event.amputation_level)})"
        side = _words(sides.get(event.limb_id, "")) if event.limb_id else ""
        items.append(TimelineItem(event.occurred_on, "event", text, side))
    for visit in rows.follow_ups:
        items.append(
            TimelineItem(
                visit.seen_on,
                "follow-up",
                f"follow-up ({_words(visit.contact)})",
                episode_sides.get(visit.episode_id, ""),
            )
        )
    return sorted(items, key=lambda item: item.on, reverse=True)


def assessment_items(
    db: Session, patient_id: int, episode_sides: dict[int, str], assessments: list[Assessment]
) -> list[TimelineItem]:
    """Each assessment (encounter) with the kinds of findings recorded at it."""
    # One statement for every kind of finding (it used to be one per kind).
    per_kind = [
        select(spec.model.assessment_id, literal(_words(kind)).label("kind"))
        .where(spec.model.patient_id == patient_id)
        .distinct()
        for kind, spec in KINDS.items()
    ]
    measured = (
        select(WoundMeasurement.assessment_id, literal("wound measurement").label("kind"))
        .where(
            WoundMeasurement.patient_id == patient_id, WoundMeasurement.assessment_id.is_not(None)
        )
        .distinct()
    )
    recorded: dict[int, list[str]] = {}
    found: Result[int, str] = db.execute(union_all(*per_kind, measured))
    for assessment_id, kind in found:
        recorded.setdefault(assessment_id, []).append(kind)
    items = []
    for assessment in assessments:
        parts = sorted(recorded.get(assessment.id, []))
        if assessment.presentation is not None:
            parts.append(f"presentation {_words(assessment.presentation)}")
        if assessment.unsalvageable:
            parts.append("judged unsalvageable")
        who = f" ({_words(assessment.discipline)})" if assessment.discipline else ""
        text = f"assessment{who}: {', '.join(parts) if parts else 'no findings recorded'}"
        side = episode_sides.get(assessment.episode_id, "")
        items.append(TimelineItem(assessment.assessed_on, "assessment", text, side))
    return items
