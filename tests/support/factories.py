"""Small builders for test data, going through the services where one exists."""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Membership, Site, User
from limbsalvage.core.vocabulary import CareSetting, EpisodeCause, Role, Sex, Side
from limbsalvage.patients import service as patients
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.patients.schemas import EpisodeCreate, PatientCreate


def make_site(db: Session, code: str = "north", name: str = "North Limb Salvage") -> Site:
    """A site (program)."""
    site = Site(code=code, name=name, settings={})
    db.add(site)
    db.flush()
    return site


def make_user(db: Session, site: Site, role: Role, email: str | None = None) -> User:
    """A user with one role at one site."""
    user = User(email=email or f"{role.value}@{site.code}.test", display_name=role.value.title())
    db.add(user)
    db.flush()
    db.add(Membership(user_id=user.id, site_id=site.id, role=role))
    db.flush()
    return user


def make_patient(db: Session, site: Site, **overrides: Any) -> Patient:
    """A patient through the service (so validation and audit apply)."""
    values: dict[str, Any] = {
        "mrn": "MRN-0001",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "birth_date": date(1950, 5, 17),
        "sex": Sex.FEMALE,
        "diabetes": True,
    }
    values.update(overrides)
    return patients.create_patient(db=db, site_id=site.id, patient_in=PatientCreate(**values))


def make_episode(
    db: Session,
    patient: Patient,
    *,
    side: Side = Side.LEFT,
    cause: EpisodeCause = EpisodeCause.CLTI,
    presented_on: date = date(2026, 1, 5),
    setting: CareSetting = CareSetting.OUTPATIENT,
) -> Episode:
    """An open episode on one limb."""
    return patients.open_episode(
        db=db,
        patient_id=patient.id,
        episode_in=EpisodeCreate(
            side=side, cause=cause, presented_on=presented_on, setting=setting
        ),
    )
