"""Use cases for the outcome timeline and follow-up, and the rules every clinical write obeys.

One source of truth for procedure-derived events: an amputation procedure owns its amputation
event (major or minor by the cited table), and a revascularisation after the limb's first index
procedure owns its reintervention event. `sync_procedure_events` keeps them in step; an event
recorded on its own (an amputation done elsewhere) is adopted by a matching procedure recorded
later (same limb, kind and level, within `ADOPT_WITHIN_DAYS`), never duplicated.
"""

from collections.abc import Collection, Iterable
from datetime import date

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from limbsalvage.core import timeline, treatment
from limbsalvage.core.tables.outcomes import REVASCULARIZATION_PROCEDURES
from limbsalvage.core.vocabulary import OutcomeEventKind, Side
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, FieldProblem, Invalid, NotFound, invalid
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.events.schemas import LIMB_EVENTS, FollowUpCreate, OutcomeEventCreate
from limbsalvage.medications.models import Medication
from limbsalvage.patients.models import Episode, Limb, Patient
from limbsalvage.patients.service import (
    get_episode,
    get_or_create_limb,
    get_patient,
    invalid_from_validation,
    today,
)
from limbsalvage.procedures.models import Graft, Procedure, TreatedSegment

ADOPT_WITHIN_DAYS = 14


def visible_or_not_found(
    db: Session, *, patient_id: int, site_ids: Collection[int] | None, what: str
) -> None:
    """Refuse a record of a patient at another site as not found (existence never leaks)."""
    try:
        get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    except NotFound:
        raise NotFound(message=f"{what} not found") from None


def raise_breaches(breaches: Iterable[timeline.Breach]) -> None:
    """Refuse the write when any rule is broken, naming every field."""
    problems = [FieldProblem(b.field, b.message) for b in breaches]
    if problems:
        raise Invalid(
            message="; ".join(f"{p.field}: {p.message}" for p in problems), fields=problems
        )


def check_date(
    db: Session,
    *,
    patient: Patient,
    field: str,
    on: date,
    episode: Episode | None = None,
    allow_on_death_date: bool = True,
) -> list[timeline.Breach]:
    """Date-order breaches of one date against the patient, the episode and the clock."""
    return timeline.check_dates(
        field=field,
        on=on,
        today=today(db),
        birth_date=patient.birth_date,
        death_date=patient.death_date,
        presented_on=episode.presented_on if episode is not None else None,
        allow_on_death_date=allow_on_death_date,
    )


def procedure_item(procedure: Procedure) -> timeline.LimbItem:
    """A procedure as the limb rules see it."""
    level = procedure.amputation_level
    return timeline.LimbItem(
        label=f"procedure {procedure.id}" if procedure.id else "this procedure",
        on=procedure.performed_on,
        kind=procedure.kind,
        amputation_level=level,
        major_amputation=level is not None and treatment.is_major_amputation(level).value,
    )


def event_item(event: OutcomeEvent) -> timeline.LimbItem:
    """An event as the limb rules see it."""
    return timeline.LimbItem(
        label=f"outcome event {event.id}" if event.id else "this event",
        on=event.occurred_on,
        kind=event.kind,
        amputation_level=event.amputation_level,
        major_amputation=event.kind is OutcomeEventKind.MAJOR_AMPUTATION,
    )


def limb_items(
    db: Session,
    limb_id: int,
    *,
    exclude_procedure: int | None = None,
    exclude_event: int | None = None,
) -> list[timeline.LimbItem]:
    """Every procedure and event stored on the limb (events owned by a procedure once)."""
    procedures = db.scalars(select(Procedure).where(Procedure.limb_id == limb_id)).all()
    events = db.scalars(
        select(OutcomeEvent).where(
            OutcomeEvent.limb_id == limb_id, OutcomeEvent.procedure_id.is_(None)
        )
    ).all()
    return [procedure_item(p) for p in procedures if p.id != exclude_procedure] + [
        event_item(e) for e in events if e.id != exclude_event
    ]


def check_limb(
    db: Session,
    *,
    field: str,
    candidate: timeline.LimbItem,
    limb_id: int,
    exclude_procedure: int | None = None,
    exclude_event: int | None = None,
) -> list[timeline.Breach]:
    """Breaches of the major-amputation rule for a candidate on a limb."""
    others = limb_items(
        db, limb_id, exclude_procedure=exclude_procedure, exclude_event=exclude_event
    )
    return timeline.check_after_major_amputation(field=field, candidate=candidate, others=others)


def records_after(db: Session, *, patient_id: int, on: date) -> list[str]:
    """Records of the patient dated after `on` (what a death on `on` would contradict)."""
    found: list[str] = []
    checks = (
        ("procedure", Procedure, Procedure.performed_on),
        ("outcome event", OutcomeEvent, OutcomeEvent.occurred_on),
        ("follow-up", FollowUp, FollowUp.seen_on),
        ("medication", Medication, Medication.started_on),
    )
    for label, model, column in checks:
        ids = db.scalars(select(model.id).where(model.patient_id == patient_id, column > on)).all()
        found += [f"{label} {row_id}" for row_id in ids]
    return found


# ── Outcome events ─────────────────────────────────────────────────────────────────────────────


def _limb_for(db: Session, patient_id: int, side: Side | None) -> Limb | None:
    return None if side is None else get_or_create_limb(db=db, patient_id=patient_id, side=side)


def _episode_for(
    db: Session, episode_id: int | None, *, patient_id: int, limb: Limb | None
) -> Episode | None:
    if episode_id is None:
        return None
    episode = db.get(Episode, episode_id)
    if episode is None or episode.patient_id != patient_id:
        raise invalid("episode_id", "is not an episode of this patient")
    if limb is not None and episode.limb_id != limb.id:
        raise invalid("episode_id", "is an episode of the other limb")
    return episode


def _check_amputation_kind(event_in: OutcomeEventCreate) -> None:
    level = event_in.amputation_level
    if level is None:
        return
    derived = treatment.is_major_amputation(level)
    expected = treatment.amputation_event_kind(level)
    if event_in.kind is not expected:
        raise invalid(
            "kind",
            f"an amputation at {level.value} is {expected.value} by the registry's definition "
            f"({derived.table.ref}); record it as {expected.value}",
        )


def _check_patency_target(db: Session, event_in: OutcomeEventCreate, limb: Limb | None) -> None:
    procedure_id: int | None = None
    field = "graft_id"
    if event_in.graft_id is not None:
        graft = db.get(Graft, event_in.graft_id)
        if graft is None:
            raise invalid("graft_id", "no such graft")
        procedure_id = graft.procedure_id
    elif event_in.treated_segment_id is not None:
        field = "treated_segment_id"
        segment = db.get(TreatedSegment, event_in.treated_segment_id)
        if segment is None:
            raise invalid(field, "no such treated segment")
        procedure_id = segment.procedure_id
    if procedure_id is not None:
        procedure = db.get(Procedure, procedure_id)
        assert procedure is not None
        if limb is None or procedure.limb_id != limb.id:
            raise invalid(field, "is not on this limb")


def record_event(
    *,
    db: Session,
    patient_id: int,
    event_in: OutcomeEventCreate,
    site_ids: Collection[int] | None = None,
) -> OutcomeEvent:
    """Record an event on the timeline after every data-quality rule passes."""
    patient = get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    limb = _limb_for(db, patient_id, event_in.side)
    episode = _episode_for(db, event_in.episode_id, patient_id=patient_id, limb=limb)
    _check_amputation_kind(event_in)
    _check_patency_target(db, event_in, limb)
    breaches = check_date(
        db, patient=patient, field="occurred_on", on=event_in.occurred_on, episode=episode
    )
    if event_in.kind is OutcomeEventKind.DEATH:
        breaches = [b for b in breaches if b.rule != "nothing_after_death"]
        _check_death(db, patient, event_in.occurred_on)
    event = OutcomeEvent(
        patient_id=patient_id,
        limb_id=limb.id if limb is not None else None,
        episode_id=episode.id if episode is not None else None,
        kind=event_in.kind,
        occurred_on=event_in.occurred_on,
        amputation_level=event_in.amputation_level,
        death_cause=event_in.death_cause,
        description=event_in.description,
        graft_id=event_in.graft_id,
        treated_segment_id=event_in.treated_segment_id,
    )
    if limb is not None:
        breaches += check_limb(
            db, field="occurred_on", candidate=event_item(event), limb_id=limb.id
        )
    raise_breaches(breaches)
    if event_in.kind in LIMB_EVENTS and event_in.amputation_level is not None:
        _refuse_duplicate_of_procedure(db, event)
    with guarded(db, conflict_message="the outcome event could not be stored"):
        db.add(event)
        if event_in.kind is OutcomeEventKind.DEATH:
            patient.death_date = event_in.occurred_on
            cause = event_in.death_cause
            patient.cause_of_death = event_in.description or (cause.value if cause else None)
    return event


def _check_death(db: Session, patient: Patient, on: date) -> None:
    existing = db.scalar(
        select(OutcomeEvent.id).where(
            OutcomeEvent.patient_id == patient.id, OutcomeEvent.kind == OutcomeEventKind.DEATH
        )
    )
    if existing is not None:
        raise Conflict(message=f"kind: the patient already has a death event ({existing})")
    if patient.death_date is not None and patient.death_date != on:
        raise invalid(
            "occurred_on",
            "differs from the patient's death_date; correct the patient or the event first",
        )
    later = records_after(db, patient_id=patient.id, on=on)
    if later:
        raise invalid(
            "occurred_on",
            "records are dated after this death (" + ", ".join(later) + "); correct them first",
        )


def check_patient_death_date(*, db: Session, patient: Patient, death_date: date | None) -> None:
    """Refuse a death date that contradicts the death event or precedes stored records."""
    event = db.scalar(
        select(OutcomeEvent).where(
            OutcomeEvent.patient_id == patient.id, OutcomeEvent.kind == OutcomeEventKind.DEATH
        )
    )
    if event is not None and event.occurred_on != death_date:
        raise invalid(
            "death_date",
            f"differs from the death event ({event.id}); correct or delete that event instead",
        )
    if death_date is not None:
        later = records_after(db, patient_id=patient.id, on=death_date)
        if later:
            raise invalid(
                "death_date",
                "records are dated after this death (" + ", ".join(later) + "); correct them first",
            )


def _refuse_duplicate_of_procedure(db: Session, event: OutcomeEvent) -> None:
    owned = db.scalar(
        select(OutcomeEvent.procedure_id).where(
            OutcomeEvent.limb_id == event.limb_id,
            OutcomeEvent.kind == event.kind,
            OutcomeEvent.amputation_level == event.amputation_level,
            OutcomeEvent.occurred_on == event.occurred_on,
            OutcomeEvent.procedure_id.is_not(None),
        )
    )
    if owned is not None:
        raise Conflict(
            message=f"kind: this amputation is already on the timeline from procedure {owned}"
        )


def get_event(
    *, db: Session, event_id: int, site_ids: Collection[int] | None = None
) -> OutcomeEvent:
    """The event, if its patient is visible at `site_ids`."""
    event = db.get(OutcomeEvent, event_id)
    if event is None:
        raise NotFound(message=f"outcome event {event_id} not found")
    visible_or_not_found(
        db, patient_id=event.patient_id, site_ids=site_ids, what=f"outcome event {event_id}"
    )
    return event


def list_events(
    *,
    db: Session,
    patient_id: int,
    site_ids: Collection[int] | None = None,
    limb_id: int | None = None,
) -> list[OutcomeEvent]:
    """The patient's timeline in date order (optionally one limb and its patient events)."""
    get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    query = select(OutcomeEvent).where(OutcomeEvent.patient_id == patient_id)
    if limb_id is not None:
        query = query.where(or_(OutcomeEvent.limb_id == limb_id, OutcomeEvent.limb_id.is_(None)))
    return list(db.scalars(query.order_by(OutcomeEvent.occurred_on, OutcomeEvent.id)).all())


def _refuse_owned(event: OutcomeEvent) -> None:
    if event.procedure_id is not None:
        raise Conflict(
            message=(
                f"outcome event {event.id} is kept in step with procedure {event.procedure_id}; "
                "change or delete the procedure instead"
            )
        )


def update_event(
    *,
    db: Session,
    event_id: int,
    expected_version: int,
    changes: dict[str, object],
    site_ids: Collection[int] | None = None,
) -> OutcomeEvent:
    """Correct a stand-alone event: the whole record is revalidated as if recorded anew."""
    event = get_event(db=db, event_id=event_id, site_ids=site_ids)
    check_version(event, expected_version=expected_version, entity="outcome event")
    _refuse_owned(event)
    if event.kind is OutcomeEventKind.DEATH:
        raise Conflict(message="a death event is corrected by deleting it and recording it again")
    unknown = sorted(set(changes) - set(OutcomeEventCreate.model_fields))
    if unknown:
        raise invalid(unknown[0], "is not an outcome event field")
    limb = db.get(Limb, event.limb_id) if event.limb_id is not None else None
    current: dict[str, object] = {
        name: getattr(event, name)
        for name in OutcomeEventCreate.model_fields
        if name != "side" and hasattr(event, name)
    }
    current["side"] = limb.side if limb is not None else None
    try:
        merged = OutcomeEventCreate.model_validate({**current, **changes})
    except ValidationError as error:
        raise invalid_from_validation(error) from error
    patient = get_patient(db=db, patient_id=event.patient_id)
    new_limb = _limb_for(db, event.patient_id, merged.side)
    episode = _episode_for(db, merged.episode_id, patient_id=event.patient_id, limb=new_limb)
    _check_amputation_kind(merged)
    _check_patency_target(db, merged, new_limb)
    if merged.kind is OutcomeEventKind.DEATH:
        raise invalid("kind", "record a death as a new event")
    breaches = check_date(
        db, patient=patient, field="occurred_on", on=merged.occurred_on, episode=episode
    )
    values = merged.model_dump(exclude={"side"})
    values["limb_id"] = new_limb.id if new_limb is not None else None
    probe = OutcomeEvent(**values)
    probe.id = event.id
    if new_limb is not None:
        breaches += check_limb(
            db,
            field="occurred_on",
            candidate=event_item(probe),
            limb_id=new_limb.id,
            exclude_event=event.id,
        )
    raise_breaches(breaches)
    with guarded(db, conflict_message="the outcome event could not be updated"):
        for name, value in values.items():
            if getattr(event, name) != value:
                setattr(event, name, value)
    return event


def delete_event(*, db: Session, event_id: int, site_ids: Collection[int] | None = None) -> None:
    """Delete a stand-alone event; deleting the death event clears the patient's death."""
    event = get_event(db=db, event_id=event_id, site_ids=site_ids)
    _refuse_owned(event)
    with guarded(db, conflict_message=f"outcome event {event_id} could not be deleted"):
        if event.kind is OutcomeEventKind.DEATH:
            patient = get_patient(db=db, patient_id=event.patient_id)
            patient.death_date = None
            patient.cause_of_death = None
        db.delete(event)


# ── Events owned by procedures ─────────────────────────────────────────────────────────────────


def _desired_events(db: Session, limb_id: int) -> dict[int, tuple[OutcomeEventKind, Procedure]]:
    procedures = db.scalars(
        select(Procedure).where(Procedure.limb_id == limb_id).order_by(Procedure.performed_on)
    ).all()
    index_ids = set(
        db.scalars(
            select(Episode.index_procedure_id).where(
                Episode.limb_id == limb_id, Episode.index_procedure_id.is_not(None)
            )
        ).all()
    )
    index_dates = [p.performed_on for p in procedures if p.id in index_ids]
    first_index = min(index_dates) if index_dates else None
    desired: dict[int, tuple[OutcomeEventKind, Procedure]] = {}
    for procedure in procedures:
        if procedure.amputation_level is not None:
            desired[procedure.id] = (
                treatment.amputation_event_kind(procedure.amputation_level),
                procedure,
            )
        elif (
            procedure.kind in REVASCULARIZATION_PROCEDURES
            and first_index is not None
            and procedure.id not in index_ids
            and procedure.performed_on > first_index
        ):
            desired[procedure.id] = (OutcomeEventKind.REINTERVENTION, procedure)
    return desired


def sync_procedure_events(*, db: Session, limb_id: int) -> None:
    """Create, align or remove the events the limb's procedures stand for."""
    db.flush()
    desired = _desired_events(db, limb_id)
    owned = {
        e.procedure_id: e
        for e in db.scalars(
            select(OutcomeEvent).where(
                OutcomeEvent.limb_id == limb_id, OutcomeEvent.procedure_id.is_not(None)
            )
        ).all()
    }
    for procedure_id, stale in owned.items():
        if procedure_id not in desired:
            db.delete(stale)
    db.flush()
    with guarded(db, conflict_message="the procedure's outcome event could not be stored"):
        for procedure_id, (kind, procedure) in desired.items():
            found = owned.get(procedure_id) or adoptable_event(db, limb_id, kind, procedure)
            event = found or OutcomeEvent(patient_id=procedure.patient_id, limb_id=limb_id)
            if found is None:
                db.add(event)
            values = {
                "kind": kind,
                "occurred_on": procedure.performed_on,
                "amputation_level": procedure.amputation_level,
                "episode_id": procedure.episode_id,
                "procedure_id": procedure.id,
            }
            for name, value in values.items():
                if getattr(event, name, None) != value:
                    setattr(event, name, value)


def adoptable_event(
    db: Session, limb_id: int, kind: OutcomeEventKind, procedure: Procedure
) -> OutcomeEvent | None:
    """The stand-alone amputation event a procedure stands for, if one is on the timeline."""
    if procedure.amputation_level is None:
        return None
    candidates = db.scalars(
        select(OutcomeEvent).where(
            OutcomeEvent.limb_id == limb_id,
            OutcomeEvent.kind == kind,
            OutcomeEvent.amputation_level == procedure.amputation_level,
            OutcomeEvent.procedure_id.is_(None),
        )
    ).all()
    close = [
        e
        for e in candidates
        if abs((e.occurred_on - procedure.performed_on).days) <= ADOPT_WITHIN_DAYS
    ]
    return min(
        close, key=lambda e: abs((e.occurred_on - procedure.performed_on).days), default=None
    )


# ── Follow-up ──────────────────────────────────────────────────────────────────────────────────


def record_follow_up(
    *,
    db: Session,
    episode_id: int,
    follow_up_in: FollowUpCreate,
    site_ids: Collection[int] | None = None,
) -> FollowUp:
    """Record a follow-up contact of an episode."""
    episode = get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    patient = get_patient(db=db, patient_id=episode.patient_id)
    raise_breaches(
        check_date(db, patient=patient, field="seen_on", on=follow_up_in.seen_on, episode=episode)
    )
    follow_up = FollowUp(
        patient_id=episode.patient_id, episode_id=episode.id, **follow_up_in.model_dump()
    )
    with guarded(db, conflict_message="the follow-up could not be stored"):
        db.add(follow_up)
    return follow_up


def get_follow_up(
    *, db: Session, follow_up_id: int, site_ids: Collection[int] | None = None
) -> FollowUp:
    """The follow-up, if its patient is visible at `site_ids`."""
    follow_up = db.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound(message=f"follow-up {follow_up_id} not found")
    visible_or_not_found(
        db, patient_id=follow_up.patient_id, site_ids=site_ids, what=f"follow-up {follow_up_id}"
    )
    return follow_up


def list_follow_ups(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None = None
) -> list[FollowUp]:
    """The episode's follow-up contacts in date order."""
    get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    return list(
        db.scalars(
            select(FollowUp)
            .where(FollowUp.episode_id == episode_id)
            .order_by(FollowUp.seen_on, FollowUp.id)
        ).all()
    )


def vascuqol6_score(follow_up: FollowUp) -> treatment.Derived[int | None]:
    """The derived VascuQoL-6 total of a follow-up (never stored)."""
    return treatment.vascuqol6_score([getattr(follow_up, f"vascuqol6_q{n}") for n in range(1, 7)])


def update_follow_up(
    *,
    db: Session,
    follow_up_id: int,
    expected_version: int,
    changes: dict[str, object],
    site_ids: Collection[int] | None = None,
) -> FollowUp:
    """Correct a follow-up, revalidating the whole record."""
    follow_up = get_follow_up(db=db, follow_up_id=follow_up_id, site_ids=site_ids)
    check_version(follow_up, expected_version=expected_version, entity="follow-up")
    unknown = sorted(set(changes) - set(FollowUpCreate.model_fields))
    if unknown:
        raise invalid(unknown[0], "is not a follow-up field")
    current = {name: getattr(follow_up, name) for name in FollowUpCreate.model_fields}
    try:
        merged = FollowUpCreate.model_validate({**current, **changes})
    except ValidationError as error:
        raise invalid_from_validation(error) from error
    episode = get_episode(db=db, episode_id=follow_up.episode_id)
    patient = get_patient(db=db, patient_id=follow_up.patient_id)
    raise_breaches(
        check_date(db, patient=patient, field="seen_on", on=merged.seen_on, episode=episode)
    )
    with guarded(db, conflict_message="the follow-up could not be updated"):
        for name, value in merged.model_dump().items():
            if getattr(follow_up, name) != value:
                setattr(follow_up, name, value)
    return follow_up


def delete_follow_up(
    *, db: Session, follow_up_id: int, site_ids: Collection[int] | None = None
) -> None:
    """Delete a follow-up recorded in error."""
    follow_up = get_follow_up(db=db, follow_up_id=follow_up_id, site_ids=site_ids)
    with guarded(db, conflict_message=f"follow-up {follow_up_id} could not be deleted"):
        db.delete(follow_up)


__all__ = [
    "ADOPT_WITHIN_DAYS",
    "delete_event",
    "delete_follow_up",
    "get_event",
    "get_follow_up",
    "list_events",
    "list_follow_ups",
    "record_event",
    "record_follow_up",
    "sync_procedure_events",
    "update_event",
    "update_follow_up",
    "vascuqol6_score",
]
