"""Medications of best medical therapy; statin intensity per the 2018 AHA/ACC cholesterol
guideline table 3 (Grundy SM et al. JACC 2019;73:e285–e350)."""

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from limbsalvage.core.tables.medications import DrugClass, StatinIntensity
from limbsalvage.core.vocabulary import Drug
from limbsalvage.errors import Invalid, NotFound, StaleUpdate
from limbsalvage.medications import service
from limbsalvage.medications.schemas import MedicationCreate, MedicationStop
from tests.support.factories import make_episode, make_patient, make_site


def test_start_list_stop_and_summarise(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient)
    statin = service.start_medication(
        db=db,
        patient_id=patient.id,
        medication_in=MedicationCreate(
            drug=Drug.ATORVASTATIN,
            daily_dose_mg=80,
            started_on=date(2026, 1, 6),
            episode_id=episode.id,
        ),
    )
    aspirin = service.start_medication(
        db=db,
        patient_id=patient.id,
        medication_in=MedicationCreate(
            drug=Drug.ASPIRIN, daily_dose_mg=75, started_on=date(2025, 1, 1)
        ),
    )
    assert service.list_medications(db=db, patient_id=patient.id) == [aspirin, statin]
    summary = service.summarise(statin)
    assert (summary.drug_class, summary.statin_intensity) == (
        DrugClass.STATIN,
        StatinIntensity.HIGH,
    )
    assert "statin-intensity@2018.1" in summary.rule
    assert service.summarise(aspirin).drug_class is DrugClass.ANTIPLATELET
    service.stop_medication(
        db=db,
        medication_id=statin.id,
        stop_in=MedicationStop(version=1, stopped_on=date(2026, 2, 1), stop_reason="myalgia"),
    )
    assert (statin.stopped_on, statin.stop_reason) == (date(2026, 2, 1), "myalgia")
    with pytest.raises(StaleUpdate):
        service.stop_medication(
            db=db,
            medication_id=statin.id,
            stop_in=MedicationStop(version=1, stopped_on=date(2026, 2, 2)),
        )
    with pytest.raises(Invalid, match="stopped_on: must not be before started_on"):
        service.stop_medication(
            db=db,
            medication_id=aspirin.id,
            stop_in=MedicationStop(version=1, stopped_on=date(2024, 2, 2)),
        )
    with pytest.raises(Invalid, match="stopped_on: must not be in the future"):
        service.stop_medication(
            db=db,
            medication_id=aspirin.id,
            stop_in=MedicationStop(version=1, stopped_on=date(2027, 2, 2)),
        )
    south = make_site(db, code="south", name="South")
    with pytest.raises(NotFound, match=f"medication {aspirin.id} not found"):
        service.get_medication(db=db, medication_id=aspirin.id, site_ids=[south.id])
    service.delete_medication(db=db, medication_id=aspirin.id)
    with pytest.raises(NotFound, match=f"medication {aspirin.id} not found"):
        service.get_medication(db=db, medication_id=aspirin.id)


def test_medication_validation(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site, death_date=date(2026, 1, 1))
    with pytest.raises(Invalid, match="started_on: must not be after the patient's death_date"):
        service.start_medication(
            db=db,
            patient_id=patient.id,
            medication_in=MedicationCreate(drug=Drug.APIXABAN, started_on=date(2026, 1, 2)),
        )
    with pytest.raises(Invalid, match="stopped_on: must not be after the patient's death_date"):
        service.start_medication(
            db=db,
            patient_id=patient.id,
            medication_in=MedicationCreate(
                drug=Drug.APIXABAN, started_on=date(2025, 1, 2), stopped_on=date(2026, 1, 5)
            ),
        )
    other = make_patient(db, site, mrn="OTHER")
    episode = make_episode(db, other)
    with pytest.raises(Invalid, match="episode_id: is not an episode of this patient"):
        service.start_medication(
            db=db,
            patient_id=patient.id,
            medication_in=MedicationCreate(
                drug=Drug.APIXABAN, started_on=date(2025, 1, 2), episode_id=episode.id
            ),
        )
    with pytest.raises(ValidationError, match="stopped_on: must not be before started_on"):
        MedicationCreate(
            drug=Drug.ASPIRIN, started_on=date(2025, 1, 2), stopped_on=date(2025, 1, 1)
        )
    with pytest.raises(ValidationError, match="stop_reason: given without stopped_on"):
        MedicationCreate(drug=Drug.ASPIRIN, started_on=date(2025, 1, 2), stop_reason="bleeding")
