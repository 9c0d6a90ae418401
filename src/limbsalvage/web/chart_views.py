"""The chart's timeline: what happened to each limb, in date order (read only)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.patients.models import Episode, Limb
from limbsalvage.procedures.models import Procedure
from limbsalvage.staging.models import StagingSnapshot


@dataclass(frozen=True)
class TimelineItem:
    """One dated entry of the chart's timeline."""

    on: date
    kind: str
    text: str
    side: str


def _words(value: object) -> str:
    text = getattr(value, "value", value)
    return str(text).replace("_", " ")


def timeline(db: Session, patient_id: int) -> list[TimelineItem]:
    """Episodes, staging, procedures, events and follow-up of the patient, newest first."""
    sides = dict(db.execute(select(Limb.id, Limb.side).where(Limb.patient_id == patient_id)).all())
    episode_sides = {
        e.id: _words(sides.get(e.limb_id, ""))
        for e in db.scalars(select(Episode).where(Episode.patient_id == patient_id))
    }
    items: list[TimelineItem] = []
    for episode in db.scalars(select(Episode).where(Episode.patient_id == patient_id)):
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
    for procedure in db.scalars(select(Procedure).where(Procedure.patient_id == patient_id)):
        text = _words(procedure.kind)
        if procedure.amputation_level is not None:
            text += f" ({_words(procedure.amputation_level)})"
        items.append(
            TimelineItem(
                procedure.performed_on, "procedure", text, _words(sides.get(procedure.limb_id, ""))
            )
        )
    for event in db.scalars(select(OutcomeEvent).where(OutcomeEvent.patient_id == patient_id)):
        text = _words(event.kind)
        if event.amputation_level is not None:
            text += f" ({_words(event.amputation_level)})"
        side = _words(sides.get(event.limb_id, "")) if event.limb_id else ""
        items.append(TimelineItem(event.occurred_on, "event", text, side))
    for visit in db.scalars(select(FollowUp).where(FollowUp.patient_id == patient_id)):
        items.append(
            TimelineItem(
                visit.seen_on,
                "follow-up",
                f"follow-up ({_words(visit.contact)})",
                episode_sides.get(visit.episode_id, ""),
            )
        )
    return sorted(items, key=lambda item: item.on, reverse=True)
