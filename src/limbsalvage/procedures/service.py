"""Use cases for procedures, grafts, treated segments and duplex surveillance.

Every write passes the timeline rules (`limbsalvage.core.timeline`) and then brings the
procedure-owned outcome events in step (`limbsalvage.events.service.sync_procedure_events`).
"""

from collections.abc import Collection
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import User
from limbsalvage.core import treatment
from limbsalvage.core.surveillance import GraftDuplexGrade, grade_vein_graft
from limbsalvage.core.tables.duplex import VEIN_GRAFT_DUPLEX
from limbsalvage.core.tables.outcomes import AUTOLOGOUS_VEIN_CONDUITS
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, NotFound, invalid
from limbsalvage.events import service as events
from limbsalvage.events.models import OutcomeEvent
from limbsalvage.patients.models import Episode, Limb
from limbsalvage.patients.service import (
    get_episode,
    get_or_create_limb,
    get_patient,
    invalid_from_validation,
)
from limbsalvage.procedures.models import Graft, Procedure, SurveillanceStudy, TreatedSegment
from limbsalvage.procedures.schemas import (
    CONDUIT_KINDS,
    GraftCreate,
    ProcedureCreate,
    SurveillanceStudyCreate,
    TreatedSegmentCreate,
)


def _validate(
    db: Session, *, patient_id: int, procedure_in: ProcedureCreate, procedure_id: int | None
) -> tuple[Limb, Episode | None]:
    patient = get_patient(db=db, patient_id=patient_id)
    limb = get_or_create_limb(db=db, patient_id=patient_id, side=procedure_in.side)
    episode = None
    if procedure_in.episode_id is not None:
        episode = db.get(Episode, procedure_in.episode_id)
        if episode is None or episode.patient_id != patient_id:
            raise invalid("episode_id", "is not an episode of this patient")
        if episode.limb_id != limb.id:
            raise invalid("episode_id", "is an episode of the other limb")
    if procedure_in.operator_id is not None and db.get(User, procedure_in.operator_id) is None:
        raise invalid("operator_id", "is not a user")
    breaches = events.check_date(
        db, patient=patient, field="performed_on", on=procedure_in.performed_on, episode=episode
    )
    probe = Procedure(**procedure_in.model_dump(exclude={"side"}), limb_id=limb.id)
    probe.id = procedure_id  # type: ignore[assignment]
    adopted = None
    if probe.amputation_level is not None:
        kind = treatment.amputation_event_kind(probe.amputation_level)
        adopted = events.adoptable_event(db, limb.id, kind, probe)
    breaches += events.check_limb(
        db,
        field="performed_on",
        candidate=events.procedure_item(probe),
        limb_id=limb.id,
        exclude_procedure=procedure_id,
        exclude_event=adopted.id if adopted is not None else None,
    )
    events.raise_breaches(breaches)
    return limb, episode


def create_procedure(
    *,
    db: Session,
    patient_id: int,
    procedure_in: ProcedureCreate,
    site_ids: Collection[int] | None = None,
) -> Procedure:
    """Record a procedure on a limb; its amputation or reintervention event follows."""
    get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    limb, _ = _validate(db, patient_id=patient_id, procedure_in=procedure_in, procedure_id=None)
    procedure = Procedure(
        patient_id=patient_id, limb_id=limb.id, **procedure_in.model_dump(exclude={"side"})
    )
    with guarded(db, conflict_message="the procedure could not be stored"):
        db.add(procedure)
    events.sync_procedure_events(db=db, limb_id=limb.id)
    return procedure


def get_procedure(
    *, db: Session, procedure_id: int, site_ids: Collection[int] | None = None
) -> Procedure:
    """The procedure, if its patient is visible at `site_ids`."""
    procedure = db.get(Procedure, procedure_id)
    if procedure is None:
        raise NotFound(message=f"procedure {procedure_id} not found")
    events.visible_or_not_found(
        db, patient_id=procedure.patient_id, site_ids=site_ids, what=f"procedure {procedure_id}"
    )
    return procedure


def list_procedures(
    *,
    db: Session,
    patient_id: int,
    site_ids: Collection[int] | None = None,
    limb_id: int | None = None,
) -> list[Procedure]:
    """The patient's procedures in date order (optionally of one limb)."""
    get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    query = select(Procedure).where(Procedure.patient_id == patient_id)
    if limb_id is not None:
        query = query.where(Procedure.limb_id == limb_id)
    return list(db.scalars(query.order_by(Procedure.performed_on, Procedure.id)).all())


def update_procedure(
    *,
    db: Session,
    procedure_id: int,
    expected_version: int,
    changes: dict[str, Any],
    site_ids: Collection[int] | None = None,
) -> Procedure:
    """Correct a procedure, revalidating the whole record; its owned event follows."""
    procedure = get_procedure(db=db, procedure_id=procedure_id, site_ids=site_ids)
    check_version(procedure, expected_version=expected_version, entity="procedure")
    unknown = sorted(set(changes) - set(ProcedureCreate.model_fields))
    if unknown:
        raise invalid(unknown[0], "is not a procedure field")
    limb = db.get(Limb, procedure.limb_id)
    assert limb is not None
    current = {n: getattr(procedure, n) for n in ProcedureCreate.model_fields if n != "side"}
    current["side"] = limb.side
    try:
        merged = ProcedureCreate.model_validate({**current, **changes})
    except ValidationError as error:
        raise invalid_from_validation(error) from error
    if merged.side is not limb.side and _has_children(db, procedure.id):
        raise invalid("side", "the procedure has grafts or treated segments; it cannot move limb")
    new_limb, _ = _validate(
        db, patient_id=procedure.patient_id, procedure_in=merged, procedure_id=procedure.id
    )
    values = merged.model_dump(exclude={"side"})
    values["limb_id"] = new_limb.id
    with guarded(db, conflict_message="the procedure could not be updated"):
        for name, value in values.items():
            if getattr(procedure, name) != value:
                setattr(procedure, name, value)
    events.sync_procedure_events(db=db, limb_id=new_limb.id)
    if new_limb.id != limb.id:
        events.sync_procedure_events(db=db, limb_id=limb.id)
    return procedure


def _has_children(db: Session, procedure_id: int) -> bool:
    return bool(
        db.scalar(select(func.count()).where(Graft.procedure_id == procedure_id))
        or db.scalar(select(func.count()).where(TreatedSegment.procedure_id == procedure_id))
    )


def delete_procedure(
    *, db: Session, procedure_id: int, site_ids: Collection[int] | None = None
) -> None:
    """Delete a procedure recorded in error, with the event it owns."""
    procedure = get_procedure(db=db, procedure_id=procedure_id, site_ids=site_ids)
    if _has_children(db, procedure_id):
        raise Conflict(
            message=(f"procedure {procedure_id} has grafts or treated segments; delete them first")
        )
    indexed = db.scalar(select(Episode.id).where(Episode.index_procedure_id == procedure_id))
    if indexed is not None:
        raise Conflict(
            message=(
                f"procedure {procedure_id} is the index procedure of episode {indexed}; "
                "choose another index procedure first"
            )
        )
    with guarded(db, conflict_message=f"procedure {procedure_id} could not be deleted"):
        owned = db.scalar(select(OutcomeEvent).where(OutcomeEvent.procedure_id == procedure_id))
        if owned is not None:
            db.delete(owned)
        limb_id = procedure.limb_id
        db.delete(procedure)
    events.sync_procedure_events(db=db, limb_id=limb_id)


def set_index_procedure(
    *,
    db: Session,
    episode_id: int,
    procedure_id: int | None,
    expected_version: int,
    site_ids: Collection[int] | None = None,
) -> Episode:
    """Make a procedure of the episode's limb its index procedure (None clears it)."""
    episode = get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    check_version(episode, expected_version=expected_version, entity="episode")
    if procedure_id is not None:
        procedure = get_procedure(db=db, procedure_id=procedure_id)
        if procedure.limb_id != episode.limb_id:
            raise invalid("procedure_id", "is a procedure of another limb")
        if procedure.episode_id not in (None, episode.id):
            raise invalid("procedure_id", "belongs to another episode")
        if procedure.performed_on < episode.presented_on:
            raise invalid("procedure_id", "was performed before the episode's presented_on")
    with guarded(db, conflict_message="the index procedure could not be set"):
        episode.index_procedure_id = procedure_id
    events.sync_procedure_events(db=db, limb_id=episode.limb_id)
    return episode


def reintervention_class(procedure: Procedure) -> treatment.ReinterventionClass | None:
    """Major or minor when the procedure counts as a reintervention (it owns such an event)."""
    return treatment.reintervention_class(procedure.kind).value


def is_major_amputation(procedure: Procedure) -> bool:
    """Whether the procedure is a major amputation by the registry's definition."""
    level = procedure.amputation_level
    return level is not None and treatment.is_major_amputation(level).value


# ── Grafts, treated segments and surveillance ─────────────────────────────────────────────────


def add_graft(
    *,
    db: Session,
    procedure_id: int,
    graft_in: GraftCreate,
    site_ids: Collection[int] | None = None,
) -> Graft:
    """Record the graft a bypass or graft revision built."""
    procedure = get_procedure(db=db, procedure_id=procedure_id, site_ids=site_ids)
    if procedure.kind not in CONDUIT_KINDS:
        raise invalid("procedure_id", "a graft is built only by a bypass or graft_revision")
    graft = Graft(
        patient_id=procedure.patient_id, procedure_id=procedure.id, **graft_in.model_dump()
    )
    with guarded(db, conflict_message="the graft could not be stored"):
        db.add(graft)
    return graft


def _graft_on_limb(db: Session, graft_id: int, limb_id: int, field: str) -> Graft:
    graft = db.get(Graft, graft_id)
    if graft is None:
        raise invalid(field, "no such graft")
    owner = db.get(Procedure, graft.procedure_id)
    assert owner is not None
    if owner.limb_id != limb_id:
        raise invalid(field, "is a graft of another limb")
    return graft


def add_treated_segment(
    *,
    db: Session,
    procedure_id: int,
    segment_in: TreatedSegmentCreate,
    site_ids: Collection[int] | None = None,
) -> TreatedSegment:
    """Record a segment a procedure treated (in a graft, or re-treating an earlier segment)."""
    procedure = get_procedure(db=db, procedure_id=procedure_id, site_ids=site_ids)
    if segment_in.graft_id is not None:
        graft = _graft_on_limb(db, segment_in.graft_id, procedure.limb_id, "graft_id")
        built = db.get(Procedure, graft.procedure_id)
        assert built is not None
        if built.performed_on > procedure.performed_on:
            raise invalid("graft_id", "the graft was built after this procedure")
    if segment_in.retreats_segment_id is not None:
        earlier = db.get(TreatedSegment, segment_in.retreats_segment_id)
        if earlier is None:
            raise invalid("retreats_segment_id", "no such treated segment")
        before = db.get(Procedure, earlier.procedure_id)
        assert before is not None
        if before.limb_id != procedure.limb_id:
            raise invalid("retreats_segment_id", "is a segment of another limb")
        if before.performed_on >= procedure.performed_on or before.id == procedure.id:
            raise invalid("retreats_segment_id", "must be treated by an earlier procedure")
    segment = TreatedSegment(
        patient_id=procedure.patient_id, procedure_id=procedure.id, **segment_in.model_dump()
    )
    with guarded(db, conflict_message="the treated segment could not be stored"):
        db.add(segment)
    return segment


def record_surveillance_study(
    *,
    db: Session,
    patient_id: int,
    study_in: SurveillanceStudyCreate,
    site_ids: Collection[int] | None = None,
) -> SurveillanceStudy:
    """Record a duplex study of a graft or treated segment, not before its procedure."""
    patient = get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    if study_in.graft_id is not None:
        target = db.get(Graft, study_in.graft_id)
        field = "graft_id"
    else:
        target = db.get(TreatedSegment, study_in.treated_segment_id)  # type: ignore[assignment]
        field = "treated_segment_id"
    if target is None or target.patient_id != patient_id:
        raise invalid(field, "is not a graft or treated segment of this patient")
    procedure = db.get(Procedure, target.procedure_id)
    assert procedure is not None
    breaches = events.check_date(db, patient=patient, field="studied_on", on=study_in.studied_on)
    events.raise_breaches(breaches)
    if study_in.studied_on < procedure.performed_on:
        raise invalid("studied_on", "must not be before the procedure that built or treated it")
    study = SurveillanceStudy(patient_id=patient_id, **study_in.model_dump())
    with guarded(db, conflict_message="the surveillance study could not be stored"):
        db.add(study)
    return study


def list_surveillance_studies(
    *,
    db: Session,
    graft_id: int | None = None,
    treated_segment_id: int | None = None,
    site_ids: Collection[int] | None = None,
) -> list[SurveillanceStudy]:
    """Studies of one graft or treated segment over time."""
    if (graft_id is None) == (treated_segment_id is None):
        raise invalid("graft_id", "give exactly one of graft_id or treated_segment_id")
    query = select(SurveillanceStudy)
    if graft_id is not None:
        query = query.where(SurveillanceStudy.graft_id == graft_id)
    else:
        query = query.where(SurveillanceStudy.treated_segment_id == treated_segment_id)
    studies = list(db.scalars(query.order_by(SurveillanceStudy.studied_on)).all())
    for study in studies[:1]:
        get_patient(db=db, patient_id=study.patient_id, site_ids=site_ids)
    return studies


def is_target_lesion_reintervention(*, db: Session, procedure: Procedure) -> bool:
    """Whether the procedure re-treats a lesion treated before (derived from its segments).

    True when one of its treated segments re-treats an earlier treated segment
    (`retreats_segment_id`) or lies in a graft built by an earlier procedure (`graft_id`).
    """
    segments = db.scalars(
        select(TreatedSegment).where(TreatedSegment.procedure_id == procedure.id)
    ).all()
    for segment in segments:
        if segment.retreats_segment_id is not None:
            return True
        if segment.graft_id is not None:
            graft = db.get(Graft, segment.graft_id)
            if graft is not None and graft.procedure_id != procedure.id:
                return True
    return False


def grade_surveillance_study(
    *, db: Session, study: SurveillanceStudy
) -> treatment.Derived[GraftDuplexGrade | None]:
    """The duplex grade of a study of a vein graft (the criteria apply to vein grafts only)."""
    if study.graft_id is None:
        return treatment.Derived(
            None,
            "not graded: the vein-graft criteria do not apply to a treated segment",
            VEIN_GRAFT_DUPLEX,
        )
    graft = db.get(Graft, study.graft_id)
    assert graft is not None
    built = db.get(Procedure, graft.procedure_id)
    assert built is not None
    if built.conduit not in AUTOLOGOUS_VEIN_CONDUITS:
        conduit = built.conduit.value if built.conduit else "unknown"
        return treatment.Derived(
            None,
            f"not graded: the criteria are for vein grafts (conduit {conduit})",
            VEIN_GRAFT_DUPLEX,
        )
    return grade_vein_graft(
        patency=study.patency,
        peak_systolic_velocity_cm_s=study.peak_systolic_velocity_cm_s,
        velocity_ratio=study.velocity_ratio,
    )


__all__ = [
    "add_graft",
    "add_treated_segment",
    "create_procedure",
    "delete_procedure",
    "get_procedure",
    "grade_surveillance_study",
    "is_major_amputation",
    "is_target_lesion_reintervention",
    "list_procedures",
    "list_surveillance_studies",
    "record_surveillance_study",
    "reintervention_class",
    "set_index_procedure",
    "update_procedure",
]
