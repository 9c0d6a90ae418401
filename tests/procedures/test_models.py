"""The database itself refuses impossible procedure, event, follow-up and medication rows."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import (
    AmputationLevel,
    Conduit,
    DeathCause,
    Drug,
    DuplexPatency,
    FollowUpContact,
    OutcomeEventKind,
    ProcedureKind,
    VesselSegment,
)
from limbsalvage.db.guard import guarded
from limbsalvage.errors import Conflict
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.medications.models import Medication
from limbsalvage.patients.models import Episode
from limbsalvage.procedures.models import Graft, Procedure, SurveillanceStudy, TreatedSegment
from tests.support.factories import make_episode, make_patient, make_site


@pytest.fixture
def episode(db: Session) -> Episode:
    return make_episode(db, make_patient(db, make_site(db)))


def _procedure(episode: Episode, **values: Any) -> Procedure:
    base: dict[str, Any] = {
        "patient_id": episode.patient_id,
        "limb_id": episode.limb_id,
        "episode_id": episode.id,
        "performed_on": date(2026, 1, 10),
        "kind": ProcedureKind.ANGIOPLASTY,
    }
    return Procedure(**{**base, **values})


def _refused(db: Session, row: object) -> None:
    with pytest.raises(Conflict, match="refused"), guarded(db, conflict_message="refused"):
        db.add(row)


def test_a_full_procedure_with_graft_segment_and_studies_is_stored(
    db: Session, episode: Episode
) -> None:
    bypass = _procedure(episode, kind=ProcedureKind.BYPASS, conduit=Conduit.GREAT_SAPHENOUS_VEIN)
    with guarded(db, conflict_message="refused"):
        db.add(bypass)
    graft = Graft(
        patient_id=episode.patient_id,
        procedure_id=bypass.id,
        inflow_segment=VesselSegment.COMMON_FEMORAL,
        outflow_segment=VesselSegment.POSTERIOR_TIBIAL,
    )
    segment = TreatedSegment(
        patient_id=episode.patient_id, procedure_id=bypass.id, segment=VesselSegment.POPLITEAL
    )
    with guarded(db, conflict_message="refused"):
        db.add_all([graft, segment])
    study = SurveillanceStudy(
        patient_id=episode.patient_id,
        graft_id=graft.id,
        studied_on=date(2026, 2, 1),
        patency=DuplexPatency.PATENT,
        peak_systolic_velocity_cm_s=180.0,
        velocity_ratio=1.6,
    )
    with guarded(db, conflict_message="refused"):
        db.add(study)
    db.expire_all()
    assert [g.outflow_segment for g in bypass.grafts] == [VesselSegment.POSTERIOR_TIBIAL]
    assert bypass.segments[0].procedure is bypass


@pytest.mark.parametrize(
    "values",
    [
        {"kind": ProcedureKind.AMPUTATION},
        {"amputation_level": AmputationLevel.TOE},
        {"kind": ProcedureKind.BYPASS},
        {"conduit": Conduit.PROSTHETIC},
        {"kind": ProcedureKind.DEBRIDEMENT, "drug_eluting": True},
    ],
    ids=["level-missing", "level-on-angioplasty", "bypass-no-conduit", "conduit", "eluting"],
)
def test_procedure_checks(db: Session, episode: Episode, values: dict[str, Any]) -> None:
    _refused(db, _procedure(episode, **values))


@pytest.mark.parametrize(
    "values",
    [
        {"residual_stenosis_pct": 120},
        {"lesion_length_cm": 0},
        {"study": {"patency": DuplexPatency.PATENT}},
        {"study": {"patency": DuplexPatency.PATENT, "velocity_ratio": 0, "on_segment": True}},
        {"study": {"patency": DuplexPatency.OCCLUDED, "peak_systolic_velocity_cm_s": -1}},
    ],
    ids=["residual", "length", "no-target", "ratio", "psv"],
)
def test_segment_and_study_checks(db: Session, episode: Episode, values: dict[str, Any]) -> None:
    procedure = _procedure(episode)
    with guarded(db, conflict_message="stored"):
        db.add(procedure)
    values = dict(values)  # parametrized dicts are shared between the two backends
    study = values.pop("study", None)
    segment = TreatedSegment(
        patient_id=episode.patient_id,
        procedure_id=procedure.id,
        segment=VesselSegment.PERONEAL,
        **({} if study else values),
    )
    if study is None:
        _refused(db, segment)
        return
    with guarded(db, conflict_message="stored"):
        db.add(segment)
    on_segment = study.get("on_segment", False)
    findings = {k: v for k, v in study.items() if k != "on_segment"}
    target = {"treated_segment_id": segment.id} if on_segment else {}
    _refused(
        db,
        SurveillanceStudy(
            patient_id=episode.patient_id, studied_on=date(2026, 2, 1), **target, **findings
        ),
    )


@pytest.mark.parametrize(
    "values",
    [
        {"kind": OutcomeEventKind.WOUND_HEALED, "limb_id": None},
        {"kind": OutcomeEventKind.MAJOR_AMPUTATION},
        {"kind": OutcomeEventKind.STROKE, "amputation_level": AmputationLevel.TOE},
        {"kind": OutcomeEventKind.DEATH},
        {"kind": OutcomeEventKind.STROKE, "death_cause": DeathCause.CARDIOVASCULAR},
    ],
    ids=["limb-missing", "level-missing", "level-extra", "cause-missing", "cause-extra"],
)
def test_event_checks(db: Session, episode: Episode, values: dict[str, Any]) -> None:
    base: dict[str, Any] = {
        "patient_id": episode.patient_id,
        "limb_id": episode.limb_id,
        "occurred_on": date(2026, 2, 1),
    }
    _refused(db, OutcomeEvent(**{**base, **values}))


@pytest.mark.parametrize(
    "answers",
    [{"vascuqol6_q1": 3}, {f"vascuqol6_q{n}": 5 for n in range(1, 7)}],
    ids=["partial", "out-of-range"],
)
def test_follow_up_answers_all_or_none_in_range(
    db: Session, episode: Episode, answers: dict[str, int]
) -> None:
    base: dict[str, Any] = {
        "patient_id": episode.patient_id,
        "episode_id": episode.id,
        "seen_on": date(2026, 2, 1),
        "contact": FollowUpContact.CLINIC_VISIT,
    }
    with guarded(db, conflict_message="stored"):
        db.add(FollowUp(**base, **{f"vascuqol6_q{n}": 4 for n in range(1, 7)}))
    _refused(db, FollowUp(**base, **answers))


@pytest.mark.parametrize(
    "values",
    [{"stopped_on": date(2026, 1, 1)}, {"daily_dose_mg": 0}],
    ids=["stopped-before-start", "dose"],
)
def test_medication_checks(db: Session, episode: Episode, values: dict[str, Any]) -> None:
    _refused(
        db,
        Medication(
            patient_id=episode.patient_id,
            drug=Drug.ATORVASTATIN,
            started_on=date(2026, 2, 1),
            **values,
        ),
    )
