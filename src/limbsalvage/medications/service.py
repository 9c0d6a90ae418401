"""Use cases for medications of best medical therapy; class and statin intensity are derived."""

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core import treatment
from limbsalvage.core.tables.medications import DrugClass, StatinIntensity
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import NotFound, invalid
from limbsalvage.events import service as events
from limbsalvage.medications.models import Medication
from limbsalvage.medications.schemas import MedicationCreate, MedicationStop
from limbsalvage.patients.models import Episode
from limbsalvage.patients.service import get_patient


@dataclass(frozen=True)
class MedicationSummary:
    """The derived class and, for statins, the ACC/AHA intensity with its rule."""

    drug_class: DrugClass
    statin_intensity: StatinIntensity | None
    rule: str


def start_medication(
    *,
    db: Session,
    patient_id: int,
    medication_in: MedicationCreate,
    site_ids: Collection[int] | None = None,
) -> Medication:
    """Record a drug the patient takes (from `started_on`, until `stopped_on` if given)."""
    patient = get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    episode = None
    if medication_in.episode_id is not None:
        episode = db.get(Episode, medication_in.episode_id)
        if episode is None or episode.patient_id != patient_id:
            raise invalid("episode_id", "is not an episode of this patient")
    breaches = events.check_date(
        db, patient=patient, field="started_on", on=medication_in.started_on
    )
    if medication_in.stopped_on is not None:
        breaches += events.check_date(
            db, patient=patient, field="stopped_on", on=medication_in.stopped_on
        )
    events.raise_breaches(breaches)
    medication = Medication(patient_id=patient_id, **medication_in.model_dump())
    with guarded(db, conflict_message="the medication could not be stored"):
        db.add(medication)
    return medication


def get_medication(
    *, db: Session, medication_id: int, site_ids: Collection[int] | None = None
) -> Medication:
    """The medication, if its patient is visible at `site_ids`."""
    medication = db.get(Medication, medication_id)
    if medication is None:
        raise NotFound(message=f"medication {medication_id} not found")
    events.visible_or_not_found(
        db, patient_id=medication.patient_id, site_ids=site_ids, what=f"medication {medication_id}"
    )
    return medication


def list_medications(
    *, db: Session, patient_id: int, site_ids: Collection[int] | None = None
) -> list[Medication]:
    """The patient's medications by start date."""
    get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    return list(
        db.scalars(
            select(Medication)
            .where(Medication.patient_id == patient_id)
            .order_by(Medication.started_on, Medication.id)
        ).all()
    )


def stop_medication(
    *,
    db: Session,
    medication_id: int,
    stop_in: MedicationStop,
    site_ids: Collection[int] | None = None,
) -> Medication:
    """Record when (and why) a drug was stopped."""
    medication = get_medication(db=db, medication_id=medication_id, site_ids=site_ids)
    check_version(medication, expected_version=stop_in.version, entity="medication")
    if stop_in.stopped_on < medication.started_on:
        raise invalid("stopped_on", "must not be before started_on")
    patient = get_patient(db=db, patient_id=medication.patient_id)
    events.raise_breaches(
        events.check_date(db, patient=patient, field="stopped_on", on=stop_in.stopped_on)
    )
    with guarded(db, conflict_message="the medication could not be stopped"):
        medication.stopped_on = stop_in.stopped_on
        medication.stop_reason = stop_in.stop_reason
    return medication


def delete_medication(
    *, db: Session, medication_id: int, site_ids: Collection[int] | None = None
) -> None:
    """Delete a medication recorded in error."""
    medication = get_medication(db=db, medication_id=medication_id, site_ids=site_ids)
    with guarded(db, conflict_message=f"medication {medication_id} could not be deleted"):
        db.delete(medication)


def summarise(medication: Medication) -> MedicationSummary:
    """The derived class and statin intensity of a medication (never stored)."""
    drug_class = treatment.drug_class(medication.drug)
    if drug_class is not DrugClass.STATIN:
        return MedicationSummary(drug_class, None, f"{medication.drug.value} is {drug_class.value}")
    derived = treatment.statin_intensity(medication.drug, medication.daily_dose_mg)
    return MedicationSummary(drug_class, derived.value, f"{derived.rule} ({derived.table.ref})")


__all__ = [
    "MedicationSummary",
    "delete_medication",
    "get_medication",
    "list_medications",
    "start_medication",
    "stop_medication",
    "summarise",
]
