"""Patients, limbs and episodes through the service layer, on SQLite and PostgreSQL."""

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import CareSetting, EpisodeCause, EpisodeStatus, Side
from limbsalvage.db.audit import AuditEntry
from limbsalvage.errors import Conflict, Invalid, NotFound, StaleUpdate
from limbsalvage.patients import service
from limbsalvage.patients.schemas import EpisodeClose, EpisodeCreate, PatientCreate
from limbsalvage.settings import Settings
from tests.support.factories import make_episode, make_patient, make_site


def test_create_and_read_back(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site, hba1c_pct=8.1)
    db.expire_all()
    again = service.get_patient(db=db, patient_id=patient.id, site_ids=[site.id])
    assert (again.mrn, again.family_name, again.hba1c_pct) == ("MRN-0001", "Lovelace", 8.1)
    assert again.version == 1
    assert again.created_at is not None
    assert again.created_at.tzinfo is not None


def test_mrn_is_unique_per_site_only(db: Session) -> None:
    north, south = make_site(db), make_site(db, code="south", name="South")
    make_patient(db, north)
    with pytest.raises(Conflict, match="mrn: a patient with this MRN already exists"):
        make_patient(db, north, given_name="Other")
    assert make_patient(db, south).site_id == south.id  # same MRN, another program


def test_other_sites_never_see_the_patient(db: Session) -> None:
    north, south = make_site(db), make_site(db, code="south", name="South")
    patient = make_patient(db, north)
    with pytest.raises(NotFound, match=f"patient {patient.id} not found"):
        service.get_patient(db=db, patient_id=patient.id, site_ids=[south.id])
    assert service.list_patients(db=db, site_ids=[south.id]) == ([], 0)


def test_search_by_name_or_mrn(db: Session) -> None:
    site = make_site(db)
    make_patient(db, site)
    make_patient(db, site, mrn="X-77", given_name="Grace", family_name="Hopper")
    found, total = service.list_patients(db=db, site_ids=[site.id], search="hopp")
    assert total == 1
    assert found[0].mrn == "X-77"
    assert service.list_patients(db=db, site_ids=[site.id], search="x-77")[1] == 1


def test_death_before_birth_is_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError, match="death_date: must not be before birth_date"):
        PatientCreate(
            mrn="1",
            given_name="A",
            family_name="B",
            birth_date=date(1960, 1, 1),
            sex="male",
            death_date=date(1959, 1, 1),
        )


def test_future_dates_are_refused(db: Session) -> None:
    site = make_site(db)
    with pytest.raises(Invalid, match="birth_date: must not be in the future") as caught:
        make_patient(db, site, birth_date=date(2030, 1, 1))
    assert caught.value.fields[0].field == "birth_date"


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        PatientCreate(
            mrn="1",
            given_name="A",
            family_name="B",
            birth_date=date(1960, 1, 1),
            sex="male",
            shoe_size=9,  # type: ignore[call-arg]
        )


def test_update_with_a_stale_version_is_a_conflict(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    service.update_patient(
        db=db, patient_id=patient.id, expected_version=1, changes={"bmi_kg_m2": 31}
    )
    assert patient.version == 2
    with pytest.raises(StaleUpdate, match=r"changed by someone else .*version 2.*version 1"):
        service.update_patient(
            db=db, patient_id=patient.id, expected_version=1, changes={"bmi_kg_m2": 29}
        )
    assert patient.bmi_kg_m2 == 31


def test_update_revalidates_the_whole_record(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    with pytest.raises(Invalid, match="death_date: must not be before birth_date"):
        service.update_patient(
            db=db,
            patient_id=patient.id,
            expected_version=1,
            changes={"death_date": date(1940, 1, 1)},
        )
    with pytest.raises(Invalid, match="shoe_size: is not a patient field"):
        service.update_patient(
            db=db, patient_id=patient.id, expected_version=1, changes={"shoe_size": 9}
        )
    with pytest.raises(Invalid, match="hba1c_pct"):
        service.update_patient(
            db=db, patient_id=patient.id, expected_version=1, changes={"hba1c_pct": 99}
        )


def test_one_open_episode_per_limb(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient)
    with pytest.raises(Conflict, match="left limb already has an open episode"):
        make_episode(db, patient)
    right = make_episode(db, patient, side=Side.RIGHT, cause=EpisodeCause.DIABETIC_FOOT)
    assert right.limb_id != episode.limb_id
    service.close_episode(
        db=db, episode_id=episode.id, close_in=EpisodeClose(version=1, closed_on=date(2026, 2, 1))
    )
    assert episode.status is EpisodeStatus.CLOSED
    assert make_episode(db, patient, presented_on=date(2026, 2, 10)).limb_id == episode.limb_id


def test_episode_dates_are_checked(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site, death_date=date(2025, 6, 1))
    with pytest.raises(Invalid, match="presented_on: must not be after the patient's death_date"):
        make_episode(db, patient, presented_on=date(2025, 7, 1))
    with pytest.raises(Invalid, match="presented_on: must not be before the patient's birth_date"):
        make_episode(db, patient, presented_on=date(1900, 7, 1))
    episode = make_episode(db, patient, presented_on=date(2025, 5, 1))
    with pytest.raises(Invalid, match="closed_on: must not be before presented_on"):
        service.close_episode(
            db=db,
            episode_id=episode.id,
            close_in=EpisodeClose(version=1, closed_on=date(2025, 4, 1)),
        )


def test_delete_is_refused_once_clinical_data_exists_and_purge_is_audited(
    db: Session, tmp_path: Path
) -> None:
    site = make_site(db)
    empty = make_patient(db, site, mrn="EMPTY")
    service.delete_patient(db=db, patient_id=empty.id)
    patient = make_patient(db, site)
    make_episode(db, patient)
    with pytest.raises(Conflict, match=r"has clinical data .*purge"):
        service.delete_patient(db=db, patient_id=patient.id)
    with pytest.raises(Invalid, match="reason"):
        service.purge_patient(
            db=db, patient_id=patient.id, reason=" ", settings=Settings(data_dir=tmp_path)
        )
    counts = service.purge_patient(
        db=db,
        patient_id=patient.id,
        reason="registered twice",
        settings=Settings(data_dir=tmp_path),
    )
    assert counts == {"episodes": 1, "limbs": 1}
    purge = db.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
    assert purge.patient_id == patient.id
    assert "registered twice" in (purge.detail or "")
    with pytest.raises(NotFound):
        service.get_patient(db=db, patient_id=patient.id)


def test_episode_create_schema_names_allowed_values() -> None:
    with pytest.raises(ValidationError, match="'clti', 'diabetic_foot'"):
        EpisodeCreate(
            side="left", cause="gout", presented_on=date(2026, 1, 1), setting="outpatient"
        )
    assert CareSetting("inpatient") is CareSetting.INPATIENT


def test_another_sites_episode_names_only_the_episode(db: Session) -> None:
    north, south = make_site(db), make_site(db, code="south", name="South")
    episode = make_episode(db, make_patient(db, north))
    with pytest.raises(NotFound) as caught:
        service.get_episode(db=db, episode_id=episode.id, site_ids=[south.id])
    assert str(caught.value) == f"episode {episode.id} not found"
