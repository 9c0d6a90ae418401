"""Procedures through the service layer: rules, owned events, grafts and surveillance.

Major amputation and reintervention by the outcomes table (`core.tables.outcomes`: default
above the ankle, SVS objective performance goals, Conte, Semin Vasc Surg 2010;23:129–37; PARC
2015 reading kept).
"""

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.treatment import ReinterventionClass
from limbsalvage.core.vocabulary import (
    AmputationLevel,
    Conduit,
    DuplexPatency,
    OutcomeEventKind,
    ProcedureKind,
    Role,
    Side,
    VesselSegment,
)
from limbsalvage.db.audit import AuditEntry
from limbsalvage.errors import Conflict, Invalid, NotFound, StaleUpdate
from limbsalvage.events import service as events
from limbsalvage.events.models import OutcomeEvent
from limbsalvage.patients import service as patients
from limbsalvage.patients.schemas import EpisodeClose
from limbsalvage.procedures import service
from limbsalvage.procedures.schemas import (
    GraftCreate,
    ProcedureCreate,
    SurveillanceStudyCreate,
    TreatedSegmentCreate,
)
from tests.support.factories import (
    make_episode,
    make_event,
    make_patient,
    make_procedure,
    make_site,
    make_user,
)


def _events(db: Session, patient_id: int) -> list[tuple[str, date, int | None]]:
    rows = events.list_events(db=db, patient_id=patient_id)
    return [(e.kind.value, e.occurred_on, e.procedure_id) for e in rows]


def test_create_read_list_and_audit(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient)
    stent = make_procedure(
        db,
        patient,
        kind=ProcedureKind.STENT,
        drug_eluting=True,
        episode=episode,
        technical_success=True,
        complications="groin haematoma",
    )
    db.expire_all()
    again = service.get_procedure(db=db, procedure_id=stent.id, site_ids=[site.id])
    assert (again.kind, again.drug_eluting, again.limb_id) == (
        ProcedureKind.STENT,
        True,
        episode.limb_id,
    )
    assert service.list_procedures(db=db, patient_id=patient.id) == [again]
    assert service.list_procedures(db=db, patient_id=patient.id, limb_id=999) == []
    audit = db.scalars(select(AuditEntry).where(AuditEntry.entity == "procedures")).all()
    assert [a.action for a in audit] == ["create"]
    assert audit[0].patient_id == patient.id
    south = make_site(db, code="south", name="South")
    with pytest.raises(NotFound, match=f"procedure {stent.id} not found"):
        service.get_procedure(db=db, procedure_id=stent.id, site_ids=[south.id])
    with pytest.raises(NotFound):
        service.get_procedure(db=db, procedure_id=10_000)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "amputation"}, "amputation_level: required for an amputation"),
        ({"amputation_level": "toe"}, "amputation_level: only for kind amputation"),
        ({"kind": "bypass"}, "conduit: required for a bypass"),
        ({"conduit": "prosthetic"}, "conduit: only for kind bypass or graft_revision"),
        (
            {"kind": "graft_revision"},
            "conduit: required for a graft_revision .* patch revision as patch_angioplasty",
        ),
        ({"kind": "debridement", "drug_eluting": False}, "drug_eluting: only for kind stent"),
    ],
)
def test_schema_cross_field_rules(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "side": "left",
        "performed_on": date(2026, 1, 1),
        "kind": "angioplasty",
        **fields,
    }
    with pytest.raises(ValidationError, match=message):
        ProcedureCreate.model_validate(values)


def test_dates_are_checked_against_clock_birth_episode_and_death(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient, presented_on=date(2026, 1, 5))
    with pytest.raises(Invalid, match="performed_on: must not be in the future") as caught:
        make_procedure(db, patient, performed_on=date(2026, 4, 1))
    assert caught.value.fields[0].field == "performed_on"
    with pytest.raises(Invalid, match="performed_on: must not be before the patient's birth_date"):
        make_procedure(db, patient, performed_on=date(1940, 1, 1))
    with pytest.raises(Invalid, match="must not be before the episode's presented_on"):
        make_procedure(db, patient, performed_on=date(2026, 1, 1), episode=episode)
    with pytest.raises(Invalid, match="episode_id: is an episode of the other limb"):
        make_procedure(db, patient, side=Side.RIGHT, episode=episode)
    other = make_patient(db, site, mrn="OTHER")
    with pytest.raises(Invalid, match="episode_id: is not an episode of this patient"):
        make_procedure(db, other, episode=episode)
    with pytest.raises(Invalid, match="operator_id: is not a user"):
        make_procedure(db, patient, operator_id=999)
    surgeon = make_user(db, site, Role.CLINICIAN)
    assert make_procedure(db, patient, operator_id=surgeon.id).operator_id == surgeon.id
    dead = make_patient(db, site, mrn="DEAD", death_date=date(2025, 12, 1))
    with pytest.raises(Invalid, match="performed_on: must not be after the patient's death_date"):
        make_procedure(db, dead, performed_on=date(2025, 12, 2))


def test_a_major_amputation_procedure_owns_its_event(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    bka = make_procedure(
        db,
        patient,
        kind=ProcedureKind.AMPUTATION,
        amputation_level=AmputationLevel.BELOW_KNEE,
    )
    assert service.is_major_amputation(bka)
    assert _events(db, patient.id) == [("major_amputation", date(2026, 1, 10), bka.id)]
    # Correcting the procedure corrects its event; the event cannot be edited on its own.
    service.update_procedure(
        db=db,
        procedure_id=bka.id,
        expected_version=1,
        changes={
            "performed_on": date(2026, 1, 12),
            "amputation_level": AmputationLevel.KNEE_DISARTICULATION,
        },
    )
    assert _events(db, patient.id) == [("major_amputation", date(2026, 1, 12), bka.id)]
    owned = db.scalars(select(OutcomeEvent)).one()
    assert owned.amputation_level is AmputationLevel.KNEE_DISARTICULATION
    with pytest.raises(Conflict, match=f"kept in step with procedure {bka.id}"):
        events.delete_event(db=db, event_id=owned.id)
    with pytest.raises(Conflict, match="change or delete the procedure instead"):
        events.update_event(db=db, event_id=owned.id, expected_version=owned.version, changes={})
    service.update_procedure(
        db=db,
        procedure_id=bka.id,
        expected_version=2,
        changes={"amputation_level": AmputationLevel.SYME},  # minor by the default reading
    )
    assert _events(db, patient.id) == [("minor_amputation", date(2026, 1, 12), bka.id)]
    service.delete_procedure(db=db, procedure_id=bka.id)
    assert _events(db, patient.id) == []


def test_a_procedure_adopts_the_amputation_already_on_the_timeline(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    reported = make_event(
        db,
        patient,
        kind=OutcomeEventKind.MAJOR_AMPUTATION,
        side=Side.LEFT,
        occurred_on=date(2026, 1, 8),
        amputation_level=AmputationLevel.BELOW_KNEE,
    )
    bka = make_procedure(
        db,
        patient,
        kind=ProcedureKind.AMPUTATION,
        amputation_level=AmputationLevel.BELOW_KNEE,
    )
    assert _events(db, patient.id) == [("major_amputation", date(2026, 1, 10), bka.id)]
    assert reported.procedure_id == bka.id
    with pytest.raises(Conflict, match=f"already on the timeline from procedure {bka.id}"):
        make_event(
            db,
            patient,
            kind=OutcomeEventKind.MAJOR_AMPUTATION,
            side=Side.LEFT,
            occurred_on=date(2026, 1, 10),
            amputation_level=AmputationLevel.BELOW_KNEE,
        )


def test_nothing_below_a_major_amputation_after_it(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    bka = make_procedure(
        db,
        patient,
        kind=ProcedureKind.AMPUTATION,
        amputation_level=AmputationLevel.BELOW_KNEE,
    )
    with pytest.raises(Invalid, match=rf"major amputation before this date \(procedure {bka.id}\)"):
        make_procedure(db, patient, kind=ProcedureKind.ANGIOPLASTY, performed_on=date(2026, 2, 1))
    with pytest.raises(Invalid, match="performed_on: the limb had a major amputation"):
        make_procedure(
            db,
            patient,
            kind=ProcedureKind.AMPUTATION,
            amputation_level=AmputationLevel.TOE,
            performed_on=date(2026, 2, 1),
        )
    with pytest.raises(Invalid, match="occurred_on: the limb had a major amputation"):
        make_event(db, patient, kind=OutcomeEventKind.WOUND_HEALED, side=Side.LEFT)
    # Same day, residual limb care, a higher level, the other limb: all allowed.
    make_procedure(db, patient, kind=ProcedureKind.DEBRIDEMENT, performed_on=date(2026, 2, 1))
    make_procedure(db, patient, kind=ProcedureKind.STENT, performed_on=date(2026, 1, 10))
    make_procedure(db, patient, side=Side.RIGHT, performed_on=date(2026, 2, 1))
    aka = make_procedure(
        db,
        patient,
        kind=ProcedureKind.AMPUTATION,
        amputation_level=AmputationLevel.ABOVE_KNEE,
        performed_on=date(2026, 2, 20),
    )
    # Moving the first amputation after later records is refused.
    with pytest.raises(Invalid, match=f"would leave procedure {aka.id} after it"):
        service.update_procedure(
            db=db,
            procedure_id=bka.id,
            expected_version=1,
            changes={"amputation_level": AmputationLevel.HIP_DISARTICULATION},
        )


def test_reinterventions_follow_the_index_procedure(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    episode = make_episode(db, patient)
    bypass = make_procedure(
        db,
        patient,
        kind=ProcedureKind.BYPASS,
        conduit=Conduit.GREAT_SAPHENOUS_VEIN,
        episode=episode,
    )
    same_day = make_procedure(db, patient, kind=ProcedureKind.ANGIOPLASTY, episode=episode)
    later = make_procedure(
        db,
        patient,
        kind=ProcedureKind.THROMBECTOMY,
        performed_on=date(2026, 2, 1),
        episode=episode,
    )
    make_procedure(db, patient, kind=ProcedureKind.DEBRIDEMENT, performed_on=date(2026, 2, 2))
    assert _events(db, patient.id) == []  # no index procedure yet
    service.set_index_procedure(
        db=db, episode_id=episode.id, procedure_id=bypass.id, expected_version=1
    )
    assert _events(db, patient.id) == [("reintervention", date(2026, 2, 1), later.id)]
    assert service.reintervention_class(later) is ReinterventionClass.MAJOR
    assert service.reintervention_class(same_day) is ReinterventionClass.MINOR
    with pytest.raises(Conflict, match=f"index procedure of episode {episode.id}"):
        service.delete_procedure(db=db, procedure_id=bypass.id)
    with pytest.raises(StaleUpdate):
        service.set_index_procedure(
            db=db, episode_id=episode.id, procedure_id=None, expected_version=1
        )
    service.set_index_procedure(db=db, episode_id=episode.id, procedure_id=None, expected_version=2)
    assert _events(db, patient.id) == []


def test_index_procedure_must_fit_the_episode(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    first = make_episode(db, patient, presented_on=date(2025, 11, 1))
    in_first = make_procedure(db, patient, performed_on=date(2025, 11, 5), episode=first)
    patients.close_episode(
        db=db, episode_id=first.id, close_in=EpisodeClose(version=1, closed_on=date(2025, 12, 1))
    )
    episode = make_episode(db, patient, presented_on=date(2026, 1, 5))
    right = make_procedure(db, patient, side=Side.RIGHT)
    early = make_procedure(db, patient, performed_on=date(2026, 1, 2))
    for procedure, message in [
        (right, "is a procedure of another limb"),
        (early, "was performed before the episode's presented_on"),
        (in_first, "belongs to another episode"),
    ]:
        with pytest.raises(Invalid, match=f"procedure_id: {message}"):
            service.set_index_procedure(
                db=db, episode_id=episode.id, procedure_id=procedure.id, expected_version=1
            )


def test_update_validation_and_concurrency(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    procedure = make_procedure(db, patient)
    with pytest.raises(Invalid, match="shoe_size: is not a procedure field"):
        service.update_procedure(
            db=db, procedure_id=procedure.id, expected_version=1, changes={"shoe_size": 1}
        )
    with pytest.raises(Invalid, match="conduit: only for kind bypass"):
        service.update_procedure(
            db=db,
            procedure_id=procedure.id,
            expected_version=1,
            changes={"conduit": Conduit.PROSTHETIC},
        )
    service.update_procedure(
        db=db, procedure_id=procedure.id, expected_version=1, changes={"side": Side.RIGHT}
    )
    with pytest.raises(StaleUpdate):
        service.update_procedure(
            db=db, procedure_id=procedure.id, expected_version=1, changes={"drug_eluting": True}
        )


def test_grafts_segments_and_surveillance(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    bypass = make_procedure(
        db,
        patient,
        kind=ProcedureKind.BYPASS,
        conduit=Conduit.GREAT_SAPHENOUS_VEIN,
    )
    graft = service.add_graft(
        db=db,
        procedure_id=bypass.id,
        graft_in=GraftCreate(
            inflow_segment=VesselSegment.COMMON_FEMORAL,
            outflow_segment=VesselSegment.ANTERIOR_TIBIAL,
        ),
    )
    plasty = make_procedure(db, patient, performed_on=date(2026, 2, 1))
    with pytest.raises(Invalid, match="a graft is built only by a bypass or graft_revision"):
        service.add_graft(
            db=db,
            procedure_id=plasty.id,
            graft_in=GraftCreate(
                inflow_segment=VesselSegment.POPLITEAL, outflow_segment=VesselSegment.PERONEAL
            ),
        )
    in_graft = service.add_treated_segment(
        db=db,
        procedure_id=plasty.id,
        segment_in=TreatedSegmentCreate(
            segment=VesselSegment.POPLITEAL,
            graft_id=graft.id,
            lesion="stenosis",
            lesion_length_cm=2,
            residual_stenosis_pct=10,
        ),
    )
    early = make_procedure(db, patient, performed_on=date(2026, 1, 2))
    with pytest.raises(Invalid, match="graft_id: the graft was built after this procedure"):
        service.add_treated_segment(
            db=db,
            procedure_id=early.id,
            segment_in=TreatedSegmentCreate(segment=VesselSegment.POPLITEAL, graft_id=graft.id),
        )
    again = make_procedure(db, patient, performed_on=date(2026, 2, 20))
    retreat = service.add_treated_segment(
        db=db,
        procedure_id=again.id,
        segment_in=TreatedSegmentCreate(
            segment=VesselSegment.POPLITEAL, retreats_segment_id=in_graft.id
        ),
    )
    assert retreat.retreats_segment_id == in_graft.id
    with pytest.raises(Invalid, match="retreats_segment_id: must be treated by an earlier"):
        service.add_treated_segment(
            db=db,
            procedure_id=plasty.id,
            segment_in=TreatedSegmentCreate(
                segment=VesselSegment.POPLITEAL, retreats_segment_id=retreat.id
            ),
        )
    with pytest.raises(Invalid, match="retreats_segment_id: no such treated segment"):
        service.add_treated_segment(
            db=db,
            procedure_id=again.id,
            segment_in=TreatedSegmentCreate(
                segment=VesselSegment.PERONEAL, retreats_segment_id=999
            ),
        )
    with pytest.raises(Invalid, match="graft_id: no such graft"):
        service.add_treated_segment(
            db=db,
            procedure_id=again.id,
            segment_in=TreatedSegmentCreate(segment=VesselSegment.PERONEAL, graft_id=999),
        )
    first = service.record_surveillance_study(
        db=db,
        patient_id=patient.id,
        study_in=SurveillanceStudyCreate(
            graft_id=graft.id,
            studied_on=date(2026, 1, 20),
            patency=DuplexPatency.PATENT,
            peak_systolic_velocity_cm_s=320,
            velocity_ratio=3.8,
        ),
    )
    second = service.record_surveillance_study(
        db=db,
        patient_id=patient.id,
        study_in=SurveillanceStudyCreate(
            graft_id=graft.id, studied_on=date(2026, 2, 25), patency=DuplexPatency.OCCLUDED
        ),
    )
    assert service.list_surveillance_studies(db=db, graft_id=graft.id) == [first, second]
    on_segment = service.record_surveillance_study(
        db=db,
        patient_id=patient.id,
        study_in=SurveillanceStudyCreate(
            treated_segment_id=retreat.id,
            studied_on=date(2026, 2, 25),
            patency=DuplexPatency.PATENT,
        ),
    )
    assert service.list_surveillance_studies(db=db, treated_segment_id=retreat.id) == [on_segment]
    with pytest.raises(Invalid, match="graft_id: give exactly one"):
        service.list_surveillance_studies(db=db)
    with pytest.raises(Invalid, match="studied_on: must not be before the procedure"):
        service.record_surveillance_study(
            db=db,
            patient_id=patient.id,
            study_in=SurveillanceStudyCreate(
                graft_id=graft.id, studied_on=date(2026, 1, 1), patency=DuplexPatency.PATENT
            ),
        )
    with pytest.raises(ValidationError, match="graft_id: give exactly one"):
        SurveillanceStudyCreate(studied_on=date(2026, 1, 1), patency=DuplexPatency.PATENT)
    with pytest.raises(Conflict, match="has grafts or treated segments"):
        service.delete_procedure(db=db, procedure_id=bypass.id)
    with pytest.raises(Invalid, match="side: the procedure has grafts or treated segments"):
        service.update_procedure(
            db=db, procedure_id=bypass.id, expected_version=1, changes={"side": Side.RIGHT}
        )
    stranger = make_patient(db, make_site(db, code="s2"), mrn="S2")
    with pytest.raises(
        Invalid, match="graft_id: is not a graft or treated segment of this patient"
    ):
        service.record_surveillance_study(
            db=db,
            patient_id=stranger.id,
            study_in=SurveillanceStudyCreate(
                graft_id=graft.id, studied_on=date(2026, 2, 1), patency=DuplexPatency.PATENT
            ),
        )


def test_surveillance_studies_are_graded_for_vein_grafts_only(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    graft_in = GraftCreate(
        inflow_segment=VesselSegment.COMMON_FEMORAL, outflow_segment=VesselSegment.POPLITEAL
    )
    vein = make_procedure(db, patient, kind=ProcedureKind.BYPASS, conduit=Conduit.ARM_VEIN)
    ptfe = make_procedure(db, patient, kind=ProcedureKind.BYPASS, conduit=Conduit.PROSTHETIC)
    vein_graft = service.add_graft(db=db, procedure_id=vein.id, graft_in=graft_in)
    ptfe_graft = service.add_graft(db=db, procedure_id=ptfe.id, graft_in=graft_in)
    segment = service.add_treated_segment(
        db=db,
        procedure_id=vein.id,
        segment_in=TreatedSegmentCreate(segment=VesselSegment.COMMON_FEMORAL),
    )
    findings = {
        "studied_on": date(2026, 2, 1),
        "patency": DuplexPatency.PATENT,
        "peak_systolic_velocity_cm_s": 320,
        "velocity_ratio": 4.0,
    }
    studies = [
        service.record_surveillance_study(
            db=db, patient_id=patient.id, study_in=SurveillanceStudyCreate(**target, **findings)
        )
        for target in (
            {"graft_id": vein_graft.id},
            {"graft_id": ptfe_graft.id},
            {"treated_segment_id": segment.id},
        )
    ]
    grades = [service.grade_surveillance_study(db=db, study=s) for s in studies]
    assert grades[0].value == "high_grade_stenosis"
    assert "conduit prosthetic" in grades[1].rule
    assert grades[1].value is None
    assert "treated segment" in grades[2].rule


def test_target_lesion_reintervention_is_derived_from_the_segments(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    bypass = make_procedure(db, patient, kind=ProcedureKind.BYPASS, conduit=Conduit.ARM_VEIN)
    graft = service.add_graft(
        db=db,
        procedure_id=bypass.id,
        graft_in=GraftCreate(
            inflow_segment=VesselSegment.COMMON_FEMORAL, outflow_segment=VesselSegment.PERONEAL
        ),
    )
    own = service.add_treated_segment(
        db=db,
        procedure_id=bypass.id,
        segment_in=TreatedSegmentCreate(segment=VesselSegment.POPLITEAL, graft_id=graft.id),
    )
    assert own.graft_id == graft.id
    assert not service.is_target_lesion_reintervention(db=db, procedure=bypass)
    in_graft = make_procedure(db, patient, performed_on=date(2026, 2, 1))
    service.add_treated_segment(
        db=db,
        procedure_id=in_graft.id,
        segment_in=TreatedSegmentCreate(segment=VesselSegment.POPLITEAL, graft_id=graft.id),
    )
    assert service.is_target_lesion_reintervention(db=db, procedure=in_graft)
    native = make_procedure(db, patient, performed_on=date(2026, 1, 20))
    first = service.add_treated_segment(
        db=db,
        procedure_id=native.id,
        segment_in=TreatedSegmentCreate(segment=VesselSegment.SUPERFICIAL_FEMORAL),
    )
    assert not service.is_target_lesion_reintervention(db=db, procedure=native)
    again = make_procedure(db, patient, performed_on=date(2026, 2, 20))
    service.add_treated_segment(
        db=db,
        procedure_id=again.id,
        segment_in=TreatedSegmentCreate(
            segment=VesselSegment.SUPERFICIAL_FEMORAL, retreats_segment_id=first.id
        ),
    )
    assert service.is_target_lesion_reintervention(db=db, procedure=again)
