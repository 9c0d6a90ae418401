"""Loading the demo cohort into the registry, on SQLite and PostgreSQL."""

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Membership, Site, User
from limbsalvage.accounts.passwords import verify_password
from limbsalvage.core.vocabulary import Role
from limbsalvage.db import audit
from limbsalvage.db.audit import AuditEntry
from limbsalvage.demo import accounts
from limbsalvage.demo.calibration import measure_survival_stored
from limbsalvage.demo.load import DEFAULT_PATIENTS, DEFAULT_SEED, load_demo
from limbsalvage.demo.model import SURVIVAL_1Y
from limbsalvage.demo.rows import FAMILY_NAME_PREFIX, GIVEN_NAMES, MRN_PREFIX
from limbsalvage.errors import Conflict, Invalid
from limbsalvage.patients.models import Episode, Limb, Patient
from limbsalvage.patients.schemas import PatientCreate
from tests.conftest import FIXED_NOW
from tests.support.factories import make_site

pytestmark = pytest.mark.usefixtures("fast_password_hashing")
TODAY = FIXED_NOW.date()


def _count(db: Session, model: Any) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_loads_a_labelled_cohort_with_sites_and_one_account_per_role(db: Session) -> None:
    summary = load_demo(db=db, patients=120, seed=4)
    assert summary.counts["patients"] == 120 == _count(db, Patient)
    assert summary.counts["limbs"] == _count(db, Limb) >= 120
    assert summary.counts["episodes"] == _count(db, Episode) == summary.counts["limbs"]
    assert summary.as_of == TODAY
    patients = db.scalars(select(Patient)).all()
    assert all(p.is_synthetic for p in patients)
    assert all(p.family_name.startswith(FAMILY_NAME_PREFIX) for p in patients)
    assert all(p.given_name in GIVEN_NAMES and p.mrn.startswith(MRN_PREFIX) for p in patients)
    sites = db.scalars(select(Site)).all()
    assert sorted(s.code for s in sites) == sorted(s.code for s in accounts.DEMO_SITES)
    assert {p.site_id for p in patients} == {s.id for s in sites}
    for role in Role:
        user = db.scalar(select(User).where(User.email == accounts.demo_email(role)))
        assert user is not None
        assert user.is_demo
        assert user.is_active
        assert user.password_hash is not None
        assert verify_password(user.password_hash, accounts.demo_password(role))
        roles = db.scalars(select(Membership.role).where(Membership.user_id == user.id)).all()
        assert roles == [role] * len(sites)


def test_every_stored_patient_passes_the_input_schema(db: Session) -> None:
    load_demo(db=db, patients=300, seed=11)
    fields = PatientCreate.model_fields
    for patient in db.scalars(select(Patient)):
        PatientCreate.model_validate({f: getattr(patient, f) for f in fields})
        assert patient.birth_date < TODAY
        assert patient.last_known_alive_date is not None
        assert patient.last_known_alive_date <= TODAY
    for episode in db.scalars(select(Episode)):
        assert episode.presented_on <= TODAY
        assert episode.closed_on is None or episode.presented_on <= episode.closed_on <= TODAY
        assert (episode.closed_on is None) == (episode.status.value == "open")


def test_one_summary_audit_entry_for_the_bulk_rows_and_the_chain_holds(db: Session) -> None:
    before = _count(db, AuditEntry)
    load_demo(db=db, patients=50, seed=1)
    entries = db.scalars(select(AuditEntry).where(AuditEntry.seq > before)).all()
    loads = [e for e in entries if e.action == "demo_load"]
    assert len(loads) == 1
    assert '"seed": 1' in (loads[0].detail or "")
    assert '"patients": 50' in (loads[0].detail or "")
    # Sites, users and memberships are audited row by row; synthetic patients are not.
    assert {e.entity for e in entries if e.action == "create"} == {"sites", "users", "memberships"}
    assert audit.verify(db.connection()).ok


def test_refuses_a_database_that_holds_data_unless_appending(db: Session) -> None:
    make_site(db)
    with pytest.raises(Conflict, match="demo data loads only into an empty database"):
        load_demo(db=db, patients=10)
    first = load_demo(db=db, patients=10, seed=1, append=True)
    second = load_demo(db=db, patients=15, seed=1, append=True)
    assert (first.counts["patients"], second.counts["patients"]) == (10, 15)
    assert _count(db, Patient) == 25
    assert _count(db, Site) == 3  # the two demo sites are reused
    assert len(set(db.scalars(select(Patient.mrn)))) == 25


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"patients": 0}, "patients: must be a whole number from 1 to 1,000,000"),
        ({"patients": 1_000_001}, "patients: must be a whole number from 1"),
        ({"seed": -1}, "seed: must be a whole number from 0"),
        ({"as_of": TODAY + timedelta(days=1)}, "as_of: must not be in the future"),
    ],
)
def test_bad_arguments_are_refused_naming_the_field(
    db: Session, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        load_demo(db=db, **arguments)


def _content(db: Session) -> list[tuple[Any, ...]]:
    rows = db.execute(select(Patient.__table__).order_by(Patient.id)).all()
    return [tuple(v for k, v in r._mapping.items() if k != "site_id") for r in rows]


def test_the_same_seed_and_date_load_the_same_rows(db: Session) -> None:
    as_of = date(2025, 12, 31)
    nested = db.begin_nested()
    load_demo(db=db, patients=80, seed=9, as_of=as_of)
    first = _content(db)
    nested.rollback()
    nested = db.begin_nested()
    load_demo(db=db, patients=80, seed=9, as_of=as_of)
    assert _content(db) == first
    nested.rollback()
    load_demo(db=db, patients=80, seed=10, as_of=as_of)
    assert _content(db) != first


def test_stored_one_year_survival_is_calibrated_at_the_default_size(db: Session) -> None:
    # Conte 2009 SVS OPG: 1-year survival 80% (limbsalvage.demo.model.SURVIVAL_1Y).
    summary = load_demo(db=db, patients=DEFAULT_PATIENTS, seed=DEFAULT_SEED)
    measured = measure_survival_stored(db=db, as_of=summary.as_of)
    assert measured.target is SURVIVAL_1Y
    assert measured.denominator >= 200
    assert measured.within_tolerance, measured.value


def test_demo_sites_carry_a_time_zone_and_appending_gives_one_to_a_site_without(
    db: Session,
) -> None:
    north = accounts.DEMO_SITES[0]
    db.add(Site(code=north.code, name=north.name, settings={"staging_windows": {"imaging": 90}}))
    db.flush()
    load_demo(db=db, patients=5, seed=1, append=True)
    zones = dict(db.execute(select(Site.code, Site.settings)).all())
    assert zones == {
        north.code: {"time_zone": "Europe/London", "staging_windows": {"imaging": 90}},
        accounts.DEMO_SITES[1].code: {"time_zone": "America/Chicago"},
    }
