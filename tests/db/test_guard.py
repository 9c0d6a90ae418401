"""`guarded`: a refused change raises Conflict, leaves the session usable, writes nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import Sex
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.guard import guarded
from limbsalvage.errors import Conflict, StaleUpdate
from limbsalvage.patients.models import Patient
from tests.support.factories import make_patient, make_site


def _patient(site_id: int, mrn: str) -> Patient:
    return Patient(
        site_id=site_id,
        mrn=mrn,
        given_name="Grace",
        family_name="Hopper",
        birth_date=date(1950, 1, 1),
        sex=Sex.FEMALE,
    )


def _count(db: Session, model: type[Patient] | type[AuditEntry]) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _add_both(db: Session, site_id: int) -> None:
    with guarded(db, conflict_message="mrn: taken"):
        db.add(_patient(site_id, "NEW-1"))
        db.add(_patient(site_id, "MRN-0001"))  # the unique (site, MRN) refuses this one


def test_a_refused_insert_writes_nothing_and_the_session_goes_on(db: Session) -> None:
    site = make_site(db)
    make_patient(db, site)
    patients, entries = _count(db, Patient), _count(db, AuditEntry)
    with pytest.raises(Conflict, match="mrn: taken"):
        _add_both(db, site.id)
    # Neither row of the block was written or audited, and neither stays pending.
    assert (_count(db, Patient), _count(db, AuditEntry)) == (patients, entries)
    assert not db.new
    with guarded(db, conflict_message="mrn: taken"):
        db.add(_patient(site.id, "NEW-2"))
    assert db.scalar(select(Patient.mrn).where(Patient.mrn == "NEW-2")) == "NEW-2"


def test_a_refused_update_is_undone_and_the_session_goes_on(db: Session) -> None:
    site = make_site(db)
    make_patient(db, site)
    other = make_patient(db, site, mrn="MRN-0002")
    with pytest.raises(Conflict), guarded(db, conflict_message="mrn: taken"):
        other.mrn = "MRN-0001"
    assert other.mrn == "MRN-0002"  # reloaded from the database
    with guarded(db, conflict_message="mrn: taken"):
        other.given_name = "Amazing"
    assert db.scalar(select(Patient.given_name).where(Patient.id == other.id)) == "Amazing"


def test_an_update_racing_another_writer_is_stale(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    # Another writer moved the version on since this session read the row.
    db.execute(
        update(Patient).where(Patient.id == patient.id).values(version=Patient.version + 1),
        execution_options={"synchronize_session": False},
    )
    with pytest.raises(StaleUpdate), guarded(db, conflict_message="unused"):
        patient.given_name = "Late"
    assert db.scalar(select(Patient.given_name).where(Patient.id == patient.id)) == "Ada"
    assert _count(db, Patient) == 1
