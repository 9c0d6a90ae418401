"""Outcome events and follow-up through the service layer, on SQLite and PostgreSQL.

Death causes in the PARC categories (Patel, JACC 2015;65:931–41); VascuQoL-6 total 6–24
(Nordanstig, J Vasc Surg 2014;59:700–7; Larsen, Health Qual Life Outcomes 2017;15:184).
"""

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import (
    AmbulatoryStatus,
    AmputationLevel,
    Conduit,
    DeathCause,
    Drug,
    FollowUpContact,
    OutcomeEventKind,
    ProcedureKind,
    Side,
    VesselSegment,
)
from limbsalvage.db.audit import AuditEntry
from limbsalvage.errors import Conflict, Invalid, NotFound, StaleUpdate
from limbsalvage.events import service
from limbsalvage.events.schemas import FollowUpCreate, OutcomeEventCreate
from limbsalvage.medications import service as medications
from limbsalvage.medications.schemas import MedicationCreate
from limbsalvage.patients import service as patients
from limbsalvage.procedures import service as procedures
from limbsalvage.procedures.schemas import GraftCreate, TreatedSegmentCreate
from limbsalvage.settings import Settings
from tests.support.factories import (
    make_episode,
    make_event,
    make_patient,
    make_procedure,
    make_site,
)

E = OutcomeEventKind


def test_events_are_recorded_listed_and_audited(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient)
    mi = make_event(db, patient, kind=E.MYOCARDIAL_INFARCTION, occurred_on=date(2026, 1, 20))
    healed = make_event(db, patient, kind=E.WOUND_HEALED, side=Side.LEFT, episode_id=episode.id)
    readmitted = make_event(
        db, patient, kind=E.READMISSION, description="stump infection", occurred_on=date(2026, 2, 3)
    )
    assert mi.limb_id is None
    assert healed.limb_id == episode.limb_id
    assert service.list_events(db=db, patient_id=patient.id) == [mi, healed, readmitted]
    assert service.list_events(db=db, patient_id=patient.id, limb_id=episode.limb_id) == [
        mi,
        healed,
        readmitted,
    ]
    assert service.get_event(db=db, event_id=mi.id, site_ids=[site.id]) is mi
    south = make_site(db, code="south", name="South")
    with pytest.raises(NotFound, match=f"outcome event {mi.id} not found"):
        service.get_event(db=db, event_id=mi.id, site_ids=[south.id])
    with pytest.raises(NotFound, match="outcome event 9999 not found"):
        service.get_event(db=db, event_id=9999)
    entries = db.scalars(select(AuditEntry).where(AuditEntry.entity == "outcome_events")).all()
    assert len(entries) == 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "wound_healed"}, "side: required for a wound_healed event"),
        ({"kind": "major_amputation", "side": "left"}, "amputation_level: required"),
        ({"kind": "stroke", "amputation_level": "toe"}, "amputation_level: only for amputation"),
        ({"kind": "death"}, "death_cause: required for a death"),
        ({"kind": "stroke", "death_cause": "cardiovascular"}, "death_cause: only for a death"),
        ({"kind": "stroke", "graft_id": 1}, "graft_id: a graft or treated segment is named only"),
        (
            {"kind": "loss_of_patency", "side": "left", "graft_id": 1, "treated_segment_id": 2},
            "graft_id: give at most one",
        ),
    ],
)
def test_event_schema_rules(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        OutcomeEventCreate.model_validate({"occurred_on": date(2026, 1, 1), **fields})


def test_amputation_event_kind_must_agree_with_the_table(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    with pytest.raises(Invalid, match="kind: an amputation at toe is minor_amputation"):
        make_event(
            db,
            patient,
            kind=E.MAJOR_AMPUTATION,
            side=Side.LEFT,
            amputation_level=AmputationLevel.TOE,
        )
    with pytest.raises(Invalid, match="kind: an amputation at syme is minor_amputation"):
        make_event(
            db,
            patient,
            kind=E.MAJOR_AMPUTATION,
            side=Side.LEFT,
            amputation_level=AmputationLevel.SYME,
        )
    syme = make_event(
        db,
        patient,
        kind=E.MINOR_AMPUTATION,
        side=Side.LEFT,
        amputation_level=AmputationLevel.SYME,
    )
    assert syme.amputation_level is AmputationLevel.SYME


def test_death_sets_the_patient_and_nothing_may_follow(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    episode = make_episode(db, patient)
    make_procedure(db, patient, performed_on=date(2026, 1, 20))
    with pytest.raises(
        Invalid, match=r"occurred_on: records are dated after this death \(procedure"
    ):
        make_event(
            db,
            patient,
            kind=E.DEATH,
            occurred_on=date(2026, 1, 15),
            death_cause=DeathCause.CARDIOVASCULAR,
        )
    death = make_event(
        db,
        patient,
        kind=E.DEATH,
        occurred_on=date(2026, 2, 1),
        death_cause=DeathCause.CARDIOVASCULAR,
        description="myocardial infarction",
    )
    assert (patient.death_date, patient.cause_of_death) == (
        date(2026, 2, 1),
        "myocardial infarction",
    )
    with pytest.raises(Conflict, match=f"already has a death event \\({death.id}\\)"):
        make_event(
            db,
            patient,
            kind=E.DEATH,
            occurred_on=date(2026, 2, 1),
            death_cause=DeathCause.UNDETERMINED,
        )
    with pytest.raises(Invalid, match="occurred_on: must not be after the patient's death_date"):
        make_event(db, patient, kind=E.STROKE, occurred_on=date(2026, 2, 2))
    with pytest.raises(Invalid, match="seen_on: must not be after the patient's death_date"):
        service.record_follow_up(
            db=db,
            episode_id=episode.id,
            follow_up_in=FollowUpCreate(
                seen_on=date(2026, 2, 5), contact=FollowUpContact.TELEPHONE
            ),
        )
    with pytest.raises(Conflict, match="corrected by deleting it"):
        service.update_event(db=db, event_id=death.id, expected_version=1, changes={})
    service.delete_event(db=db, event_id=death.id)
    assert (patient.death_date, patient.cause_of_death) == (None, None)


def test_a_death_must_agree_with_the_patients_death_date(db: Session) -> None:
    patient = make_patient(db, make_site(db), death_date=date(2026, 1, 30))
    with pytest.raises(Invalid, match="occurred_on: differs from the patient's death_date"):
        make_event(
            db,
            patient,
            kind=E.DEATH,
            occurred_on=date(2026, 1, 29),
            death_cause=DeathCause.UNDETERMINED,
        )
    death = make_event(
        db,
        patient,
        kind=E.DEATH,
        occurred_on=date(2026, 1, 30),
        death_cause=DeathCause.NON_CARDIOVASCULAR,
    )
    assert patient.cause_of_death == "non_cardiovascular"
    assert death.death_cause is DeathCause.NON_CARDIOVASCULAR


def test_records_after_death_include_follow_ups_and_medications(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    episode = make_episode(db, patient)
    service.record_follow_up(
        db=db,
        episode_id=episode.id,
        follow_up_in=FollowUpCreate(
            seen_on=date(2026, 2, 10), contact=FollowUpContact.CLINIC_VISIT
        ),
    )
    medications.start_medication(
        db=db,
        patient_id=patient.id,
        medication_in=MedicationCreate(drug=Drug.ASPIRIN, started_on=date(2026, 2, 11)),
    )
    with pytest.raises(Invalid, match=r"\(follow-up \d+, medication \d+\)"):
        make_event(
            db,
            patient,
            kind=E.DEATH,
            occurred_on=date(2026, 2, 1),
            death_cause=DeathCause.UNDETERMINED,
        )


def test_event_relations_are_checked(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient)
    other = make_patient(db, site, mrn="OTHER")
    with pytest.raises(Invalid, match="episode_id: is not an episode of this patient"):
        make_event(db, other, kind=E.WOUND_HEALED, side=Side.LEFT, episode_id=episode.id)
    with pytest.raises(Invalid, match="episode_id: is an episode of the other limb"):
        make_event(db, patient, kind=E.WOUND_HEALED, side=Side.RIGHT, episode_id=episode.id)
    with pytest.raises(Invalid, match="occurred_on: must not be before the episode's presented_on"):
        make_event(
            db,
            patient,
            kind=E.WOUND_HEALED,
            side=Side.LEFT,
            episode_id=episode.id,
            occurred_on=date(2025, 12, 1),
        )
    bypass = make_procedure(
        db,
        patient,
        kind=ProcedureKind.BYPASS,
        conduit=Conduit.PROSTHETIC,
    )
    graft = procedures.add_graft(
        db=db,
        procedure_id=bypass.id,
        graft_in=GraftCreate(
            inflow_segment=VesselSegment.COMMON_FEMORAL, outflow_segment=VesselSegment.POPLITEAL
        ),
    )
    lost = make_event(db, patient, kind=E.LOSS_OF_PATENCY, side=Side.LEFT, graft_id=graft.id)
    assert lost.graft_id == graft.id
    with pytest.raises(Invalid, match="graft_id: is not on this limb"):
        make_event(db, patient, kind=E.LOSS_OF_PATENCY, side=Side.RIGHT, graft_id=graft.id)
    with pytest.raises(Invalid, match="graft_id: no such graft"):
        make_event(db, patient, kind=E.LOSS_OF_PATENCY, side=Side.LEFT, graft_id=999)
    with pytest.raises(Invalid, match="treated_segment_id: no such treated segment"):
        make_event(db, patient, kind=E.LOSS_OF_PATENCY, side=Side.LEFT, treated_segment_id=999)
    segment = procedures.add_treated_segment(
        db=db,
        procedure_id=bypass.id,
        segment_in=TreatedSegmentCreate(segment=VesselSegment.SUPERFICIAL_FEMORAL),
    )
    with pytest.raises(Invalid, match="treated_segment_id: is not on this limb"):
        make_event(
            db, patient, kind=E.LOSS_OF_PATENCY, side=Side.RIGHT, treated_segment_id=segment.id
        )


def test_update_and_delete_stand_alone_events(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    stroke = make_event(db, patient, kind=E.STROKE)
    service.update_event(
        db=db,
        event_id=stroke.id,
        expected_version=1,
        changes={"occurred_on": date(2026, 2, 2), "description": "left MCA"},
    )
    assert (stroke.occurred_on, stroke.version) == (date(2026, 2, 2), 2)
    with pytest.raises(StaleUpdate):
        service.update_event(db=db, event_id=stroke.id, expected_version=1, changes={})
    with pytest.raises(Invalid, match="shoe_size: is not an outcome event field"):
        service.update_event(
            db=db, event_id=stroke.id, expected_version=2, changes={"shoe_size": 1}
        )
    with pytest.raises(Invalid, match="side: required for a wound_healed event"):
        service.update_event(
            db=db, event_id=stroke.id, expected_version=2, changes={"kind": E.WOUND_HEALED}
        )
    with pytest.raises(Invalid, match="kind: record a death as a new event"):
        service.update_event(
            db=db,
            event_id=stroke.id,
            expected_version=2,
            changes={"kind": E.DEATH, "death_cause": DeathCause.UNDETERMINED},
        )
    with pytest.raises(Invalid, match="occurred_on: must not be in the future"):
        service.update_event(
            db=db, event_id=stroke.id, expected_version=2, changes={"occurred_on": date(2027, 1, 1)}
        )
    service.update_event(
        db=db,
        event_id=stroke.id,
        expected_version=2,
        changes={"kind": E.WOUND_HEALED, "side": Side.LEFT},
    )
    assert stroke.limb_id is not None
    make_procedure(
        db,
        patient,
        kind=ProcedureKind.AMPUTATION,
        amputation_level=AmputationLevel.ABOVE_KNEE,
        performed_on=date(2026, 2, 10),
    )
    with pytest.raises(Invalid, match="occurred_on: the limb had a major amputation"):
        service.update_event(
            db=db,
            event_id=stroke.id,
            expected_version=3,
            changes={"occurred_on": date(2026, 2, 15)},
        )
    service.delete_event(db=db, event_id=stroke.id)
    with pytest.raises(NotFound):
        service.get_event(db=db, event_id=stroke.id)


def test_follow_up_with_vascuqol6(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient)
    answers = {f"vascuqol6_q{n}": a for n, a in zip(range(1, 7), [2, 3, 4, 1, 2, 3], strict=True)}
    visit = service.record_follow_up(
        db=db,
        episode_id=episode.id,
        follow_up_in=FollowUpCreate(
            seen_on=date(2026, 2, 15),
            contact=FollowUpContact.CLINIC_VISIT,
            ambulatory_status=AmbulatoryStatus.WITH_ASSISTANCE,
            **answers,
        ),
    )
    score = service.vascuqol6_score(visit)
    assert (score.value, score.table.ref) == (15, "vascuqol-6@2014.1")
    call = service.record_follow_up(
        db=db,
        episode_id=episode.id,
        follow_up_in=FollowUpCreate(seen_on=date(2026, 2, 1), contact=FollowUpContact.TELEPHONE),
    )
    assert service.vascuqol6_score(call).value is None
    assert service.list_follow_ups(db=db, episode_id=episode.id) == [call, visit]
    service.update_follow_up(
        db=db,
        follow_up_id=call.id,
        expected_version=1,
        changes={"ambulatory_status": AmbulatoryStatus.INDEPENDENT},
    )
    with pytest.raises(StaleUpdate):
        service.update_follow_up(db=db, follow_up_id=call.id, expected_version=1, changes={})
    with pytest.raises(Invalid, match="vascuqol6_q2: VascuQoL-6 needs all six answers"):
        service.update_follow_up(
            db=db, follow_up_id=call.id, expected_version=2, changes={"vascuqol6_q1": 3}
        )
    with pytest.raises(Invalid, match="shoe_size: is not a follow-up field"):
        service.update_follow_up(
            db=db, follow_up_id=call.id, expected_version=2, changes={"shoe_size": 3}
        )
    with pytest.raises(Invalid, match="seen_on: must not be before the episode's presented_on"):
        service.update_follow_up(
            db=db, follow_up_id=call.id, expected_version=2, changes={"seen_on": date(2025, 1, 1)}
        )
    south = make_site(db, code="south", name="South")
    with pytest.raises(NotFound, match=f"follow-up {call.id} not found"):
        service.get_follow_up(db=db, follow_up_id=call.id, site_ids=[south.id])
    service.delete_follow_up(db=db, follow_up_id=call.id)
    with pytest.raises(NotFound, match=f"follow-up {call.id} not found"):
        service.get_follow_up(db=db, follow_up_id=call.id)
    with pytest.raises(ValidationError, match="vascuqol6_q1"):
        FollowUpCreate(seen_on=date(2026, 2, 1), contact="telephone", vascuqol6_q1=5)  # type: ignore[arg-type]


def test_purge_removes_the_new_tables(db: Session, tmp_path: Path) -> None:
    patient = make_patient(db, make_site(db))
    make_procedure(
        db, patient, kind=ProcedureKind.AMPUTATION, amputation_level=AmputationLevel.BELOW_KNEE
    )
    counts = patients.purge_patient(
        db=db, patient_id=patient.id, reason="test record", settings=Settings(data_dir=tmp_path)
    )
    assert counts["procedures"] == 1
    assert counts["outcome_events"] == 1


def test_the_patients_death_date_stays_consistent_with_the_timeline(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    make_procedure(db, patient, performed_on=date(2026, 1, 20))
    with pytest.raises(
        Invalid, match=r"death_date: records are dated after this death \(procedure"
    ):
        patients.update_patient(
            db=db,
            patient_id=patient.id,
            expected_version=1,
            changes={"death_date": date(2026, 1, 15)},
        )
    death = make_event(
        db,
        patient,
        kind=E.DEATH,
        occurred_on=date(2026, 2, 1),
        death_cause=DeathCause.UNDETERMINED,
    )
    version = patient.version
    for changed in (date(2026, 2, 3), None):
        with pytest.raises(
            Invalid, match=f"death_date: differs from the death event \\({death.id}\\)"
        ):
            patients.update_patient(
                db=db,
                patient_id=patient.id,
                expected_version=version,
                changes={"death_date": changed},
            )
    patients.update_patient(
        db=db, patient_id=patient.id, expected_version=version, changes={"bmi_kg_m2": 24}
    )
