"""A migrated database with two sites, one user per role, and patients at both sites."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from limbsalvage.accounts.models import Membership, Site, User
from limbsalvage.accounts.passwords import hash_password
from limbsalvage.core.vocabulary import (
    CareSetting,
    EpisodeCause,
    ReferralSource,
    Role,
    Sex,
    Side,
    Urgency,
)
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.patients import service
from limbsalvage.patients.schemas import EpisodeCreate, PatientCreate
from limbsalvage.referrals import service as referrals
from limbsalvage.referrals.models import Referral
from limbsalvage.referrals.schemas import ReferralIn

PASSWORD = "correct horse battery staple"
USERS = {
    "clinician": (Role.CLINICIAN, "north"),
    "coordinator": (Role.COORDINATOR, "north"),
    "analyst": (Role.ANALYST, "north"),
    "admin": (Role.ADMIN, "north"),
    "other_site": (Role.CLINICIAN, "south"),
    "other_coordinator": (Role.COORDINATOR, "south"),
}


@dataclass(frozen=True)
class Seeded:
    """Ids of what `seed` wrote."""

    sites: dict[str, int]
    users: dict[str, int]
    patient_north: int
    episode_north: int
    patient_south: int
    episode_south: int
    referral_north: int
    referral_south: int


def email_of(name: str) -> str:
    """The test account of `name` (a key of USERS, or 'inactive')."""
    return f"{name}@web.test"


def seed(engine: Engine) -> Seeded:
    """Two sites, the users, and one patient with an open episode at each site."""
    factory = make_sessionmaker(engine)
    with unit_of_work(factory) as db:
        sites = {
            code: Site(code=code, name=f"{code} program", settings={})
            for code in ("north", "south")
        }
        db.add_all(sites.values())
        db.flush()
        users = {}
        password_hash = hash_password(PASSWORD)
        for name, (role, site) in USERS.items():
            user = User(email=email_of(name), display_name=name, password_hash=password_hash)
            db.add(user)
            db.flush()
            db.add(Membership(user_id=user.id, site_id=sites[site].id, role=role))
            users[name] = user.id
        db.add(
            User(
                email=email_of("inactive"),
                display_name="inactive",
                password_hash=password_hash,
                is_active=False,
            )
        )
        ids = {}
        for code in ("north", "south"):
            patient = service.create_patient(
                db=db,
                site_id=sites[code].id,
                patient_in=PatientCreate(
                    mrn=f"{code.upper()}-1",
                    given_name="Ada",
                    family_name=f"Lovelace{code.title()}",
                    birth_date=date(1950, 5, 1),
                    sex=Sex.FEMALE,
                ),
            )
            episode = service.open_episode(
                db=db,
                patient_id=patient.id,
                episode_in=EpisodeCreate(
                    side=Side.LEFT,
                    cause=EpisodeCause.CLTI,
                    presented_on=date(2026, 1, 5),
                    setting=CareSetting.OUTPATIENT,
                ),
            )
            receipt = referrals.submit_referral(
                db=db,
                site_code=code,
                referral_in=ReferralIn(
                    source=ReferralSource.SELF_REFERRAL,
                    given_name="Rita",
                    family_name=f"Referred{code.title()}",
                    patient_contact="555-0000",
                    reason="heel ulcer",
                    urgency_requested=Urgency.SOON,
                ),
            )
            referral_id = db.scalar(
                select(Referral.id).where(Referral.reference == receipt.reference)
            )
            assert referral_id is not None
            ids[code] = (patient.id, episode.id, referral_id)
        site_ids = {code: site.id for code, site in sites.items()}
    return Seeded(
        sites=site_ids,
        users=users,
        patient_north=ids["north"][0],
        episode_north=ids["north"][1],
        patient_south=ids["south"][0],
        episode_south=ids["south"][1],
        referral_north=ids["north"][2],
        referral_south=ids["south"][2],
    )


_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
_CSRF_HEADER = re.compile(r'"X-CSRF-Token": "([^"]+)"')


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign `client` in as the USERS account `name`; the session's CSRF token."""
    form = client.get("/signin")
    token = _CSRF_FIELD.search(form.text)
    assert token is not None
    response = client.post(
        "/signin",
        data={"email": email_of(name), "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get("/staging/wifi")
    header = _CSRF_HEADER.search(page.text)
    assert header is not None
    return header.group(1)


@contextmanager
def client_as(app: object, name: str | None) -> Iterator[tuple[TestClient, str]]:
    """A client signed in as `name` (None: anonymous) and its CSRF token ('' when anonymous)."""
    with TestClient(app, raise_server_exceptions=True) as client:  # type: ignore[arg-type]
        token = sign_in(client, name) if name else ""
        yield client, token
