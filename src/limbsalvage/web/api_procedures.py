"""`/api/v1/procedures`: procedures on a limb, their grafts and treated segments, surveillance.

Every write passes the timeline rules and brings the procedure-owned outcome events in step (the
service does it). What counts as a reintervention, a major amputation or a target-lesion
reintervention, and the duplex grade of a vein graft, are derived on read with their rule and
cited table.
"""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from limbsalvage.accounts.permissions import Principal
from limbsalvage.core import treatment
from limbsalvage.errors import NotFound, invalid
from limbsalvage.events.service import visible_or_not_found
from limbsalvage.patients.schemas import Strict
from limbsalvage.patients.service import get_episode
from limbsalvage.procedures import service
from limbsalvage.procedures.models import Graft, Procedure, SurveillanceStudy, TreatedSegment
from limbsalvage.procedures.schemas import (
    GraftCreate,
    ProcedureCreate,
    SurveillanceStudyCreate,
    TreatedSegmentCreate,
)
from limbsalvage.web.api_support import (
    RANGE_CHECKED,
    Change,
    DerivedOut,
    Id,
    OptionalId,
    PageNumber,
    PageSize,
    Reader,
    Version,
    Writer,
    audit_patient,
    derived_out,
    page_model,
    paged,
    reading,
    row_model,
    writing,
)
from limbsalvage.web.auth import Database
from limbsalvage.web.errors import ERROR_RESPONSES
from limbsalvage.web.patient_views import EpisodeOut, episode_out, latest_wifi_stages

router = APIRouter(
    prefix="/api/v1", tags=["procedures"], responses=ERROR_RESPONSES, dependencies=RANGE_CHECKED
)

ProcedureOut = row_model(Procedure, name="ProcedureOut")
GraftOut = row_model(Graft, name="GraftOut")
SegmentOut = row_model(TreatedSegment, name="TreatedSegmentOut")
StudyRow = row_model(SurveillanceStudy, name="SurveillanceStudyRow")


class ProcedureDetail(BaseModel):
    """A procedure with its grafts and treated segments, and what it counts as."""

    procedure: ProcedureOut  # type: ignore[valid-type]
    grafts: list[GraftOut]  # type: ignore[valid-type]
    segments: list[SegmentOut]  # type: ignore[valid-type]
    reintervention_class: DerivedOut
    major_amputation: DerivedOut | None
    target_lesion_reintervention: bool


class StudyOut(BaseModel):
    """A duplex surveillance study with its grade (vein grafts only; otherwise why not)."""

    study: StudyRow  # type: ignore[valid-type]
    grade: DerivedOut


class IndexedEpisodeOut(EpisodeOut):
    """An episode with its index procedure."""

    index_procedure_id: int | None


class IndexProcedureIn(Strict):
    """The index procedure of the episode read at `version` (null clears it)."""

    version: Version
    procedure_id: int | None = None


def _detail(db: Database, procedure: Procedure) -> ProcedureDetail:
    return ProcedureDetail(
        procedure=ProcedureOut.model_validate(procedure),
        grafts=[GraftOut.model_validate(g) for g in procedure.grafts],
        segments=[SegmentOut.model_validate(s) for s in procedure.segments],
        reintervention_class=derived_out(treatment.reintervention_class(procedure.kind)),
        major_amputation=(
            derived_out(treatment.is_major_amputation(procedure.amputation_level))
            if procedure.amputation_level is not None
            else None
        ),
        target_lesion_reintervention=service.is_target_lesion_reintervention(
            db=db, procedure=procedure
        ),
    )


def _study(db: Database, study: SurveillanceStudy) -> StudyOut:
    grade = service.grade_surveillance_study(db=db, study=study)
    return StudyOut(study=StudyRow.model_validate(study), grade=derived_out(grade))


@router.get(
    "/patients/{patient_id}/procedures",
    summary="A patient's procedures",
    response_model=page_model(ProcedureOut),
)
def list_procedures(
    *,
    db: Database,
    principal: Reader,
    patient_id: Id,
    limb_id: OptionalId = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> Any:
    """The patient's procedures in date order (`?limb_id=` one limb); audited."""
    rows = service.list_procedures(
        db=db, patient_id=patient_id, site_ids=reading(principal), limb_id=limb_id
    )
    return paged(
        db,
        "api procedures",
        rows,
        page=page,
        page_size=page_size,
        shape=ProcedureOut.model_validate,
    )


@router.post("/patients/{patient_id}/procedures", status_code=201, summary="Record a procedure")
def create_procedure(
    db: Database, principal: Writer, patient_id: Id, procedure_in: ProcedureCreate
) -> ProcedureDetail:
    """A procedure on the limb of `side`; its amputation or reintervention event follows."""
    row = service.create_procedure(
        db=db, patient_id=patient_id, procedure_in=procedure_in, site_ids=writing(principal)
    )
    return _detail(db, row)


@router.get("/procedures/{procedure_id}", summary="One procedure with its grafts and segments")
def get_procedure(db: Database, principal: Reader, procedure_id: Id) -> ProcedureDetail:
    """The procedure, its grafts and segments and what it counts as; audited."""
    row = service.get_procedure(db=db, procedure_id=procedure_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api procedure {row.id}")
    return _detail(db, row)


@router.patch("/procedures/{procedure_id}", summary="Correct a procedure (optimistic concurrency)")
def update_procedure(
    db: Database, principal: Writer, procedure_id: Id, change: Change
) -> ProcedureDetail:
    """Apply `changes` to the procedure read at `version`; its owned event follows; 409 if stale."""
    row = service.update_procedure(
        db=db,
        procedure_id=procedure_id,
        expected_version=change.version,
        changes=change.changes,
        site_ids=writing(principal),
    )
    return _detail(db, row)


@router.post(
    "/procedures/{procedure_id}/grafts",
    status_code=201,
    summary="Record the graft a bypass built",
    response_model=GraftOut,
)
def add_graft(db: Database, principal: Writer, procedure_id: Id, graft_in: GraftCreate) -> Any:
    """A graft of a bypass or graft revision, by inflow and outflow segment."""
    row = service.add_graft(
        db=db, procedure_id=procedure_id, graft_in=graft_in, site_ids=writing(principal)
    )
    return GraftOut.model_validate(row)


@router.post(
    "/procedures/{procedure_id}/segments",
    status_code=201,
    summary="Record a segment the procedure treated",
    response_model=SegmentOut,
)
def add_segment(
    db: Database, principal: Writer, procedure_id: Id, segment_in: TreatedSegmentCreate
) -> Any:
    """A treated segment (in a graft, or re-treating an earlier segment)."""
    row = service.add_treated_segment(
        db=db, procedure_id=procedure_id, segment_in=segment_in, site_ids=writing(principal)
    )
    return SegmentOut.model_validate(row)


@router.post(
    "/patients/{patient_id}/surveillance",
    status_code=201,
    summary="Record a duplex surveillance study",
)
def record_study(
    db: Database, principal: Writer, patient_id: Id, study_in: SurveillanceStudyCreate
) -> StudyOut:
    """A duplex study of one graft or treated segment of the patient, with its grade."""
    row = service.record_surveillance_study(
        db=db, patient_id=patient_id, study_in=study_in, site_ids=writing(principal)
    )
    return _study(db, row)


def _studies(
    db: Database, principal: Principal, *, target: Graft | TreatedSegment | None, what: str
) -> list[SurveillanceStudy]:
    if target is None:
        raise NotFound(message=f"{what} not found")
    visible_or_not_found(db, patient_id=target.patient_id, site_ids=reading(principal), what=what)
    if isinstance(target, Graft):
        return service.list_surveillance_studies(db=db, graft_id=target.id)
    return service.list_surveillance_studies(db=db, treated_segment_id=target.id)


@router.get(
    "/grafts/{graft_id}/surveillance",
    summary="A graft's surveillance studies",
    response_model=page_model(StudyOut),
)
def graft_studies(
    db: Database, principal: Reader, graft_id: Id, page: PageNumber = 1, page_size: PageSize = 50
) -> Any:
    """Duplex studies of the graft over time, each graded; audited."""
    rows = _studies(db, principal, target=db.get(Graft, graft_id), what=f"graft {graft_id}")
    return paged(
        db,
        "api surveillance",
        rows,
        page=page,
        page_size=page_size,
        shape=lambda study: _study(db, study),
    )


@router.get(
    "/segments/{segment_id}/surveillance",
    summary="A treated segment's surveillance studies",
    response_model=page_model(StudyOut),
)
def segment_studies(
    db: Database, principal: Reader, segment_id: Id, page: PageNumber = 1, page_size: PageSize = 50
) -> Any:
    """Duplex studies of the treated segment over time (not graded: vein-graft criteria)."""
    target = db.get(TreatedSegment, segment_id)
    rows = _studies(db, principal, target=target, what=f"treated segment {segment_id}")
    return paged(
        db,
        "api surveillance",
        rows,
        page=page,
        page_size=page_size,
        shape=lambda study: _study(db, study),
    )


@router.put("/episodes/{episode_id}/index-procedure", summary="Set the episode's index procedure")
def set_index_procedure(
    db: Database, principal: Writer, episode_id: Id, index_in: IndexProcedureIn
) -> IndexedEpisodeOut:
    """Make a procedure of the episode's limb its index procedure (null clears); 409 if stale."""
    episode = get_episode(db=db, episode_id=episode_id, site_ids=writing(principal))
    if index_in.procedure_id is not None and db.get(Procedure, index_in.procedure_id) is None:
        raise invalid("procedure_id", f"no such procedure of episode {episode.id}'s limb")
    episode = service.set_index_procedure(
        db=db,
        episode_id=episode_id,
        procedure_id=index_in.procedure_id,
        expected_version=index_in.version,
        site_ids=writing(principal),
    )
    stage = latest_wifi_stages(db, [episode.id]).get(episode.id)
    shown = episode_out(episode, episode.limb.side, stage).model_dump()
    return IndexedEpisodeOut(**shown, index_procedure_id=episode.index_procedure_id)
