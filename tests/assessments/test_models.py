"""The findings tables hold their rows and refuse impossible values, on both backends."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from limbsalvage.assessments.models import Assessment, PerfusionStudy, TumourAssessment
from limbsalvage.db.guard import guarded
from limbsalvage.errors import Conflict
from tests.support.factories import make_episode, make_patient, make_site


def _assessment(db: Session) -> Assessment:
    patient = make_patient(db, make_site(db))
    episode = make_episode(db, patient)
    assessment = Assessment(
        patient_id=patient.id, episode_id=episode.id, assessed_on=date(2026, 1, 6)
    )
    db.add(assessment)
    db.flush()
    return assessment


def test_a_finding_is_stored_under_its_assessment(db: Session) -> None:
    assessment = _assessment(db)
    db.add(
        PerfusionStudy(
            patient_id=assessment.patient_id,
            assessment_id=assessment.id,
            toe_pressure_mmhg=35.0,
            dorsalis_pedis_waveform="monophasic",
        )
    )
    db.flush()
    db.expire_all()
    assert [s.toe_pressure_mmhg for s in assessment.perfusion_studies] == [35.0]


def test_check_constraints_refuse_impossible_values(db: Session) -> None:
    assessment = _assessment(db)
    with pytest.raises(Conflict, match="refused"), guarded(db, conflict_message="refused"):
        db.add(
            PerfusionStudy(
                patient_id=assessment.patient_id,
                assessment_id=assessment.id,
                toe_pressure_mmhg=-1.0,
            )
        )


def test_msts_items_are_all_given_or_none(db: Session) -> None:
    assessment = _assessment(db)
    with pytest.raises(Conflict), guarded(db, conflict_message="msts"):
        db.add(
            TumourAssessment(
                patient_id=assessment.patient_id, assessment_id=assessment.id, pain_points=3
            )
        )
