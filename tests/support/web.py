"""A migrated database with two sites, one user per role, and patients at both sites."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Membership, Site, User
from limbsalvage.accounts.passwords import hash_password
from limbsalvage.assessments import service as assessments
from limbsalvage.assessments.schemas import AssessmentFields, PerfusionStudyIn
from limbsalvage.care import service as care
from limbsalvage.care.schemas import AppointmentIn, TaskIn, TeamMemberIn
from limbsalvage.conference import service as conference
from limbsalvage.conference.schemas import ManualCaseIn
from limbsalvage.core.vocabulary import (
    CareRole,
    CareSetting,
    Conduit,
    DuplexPatency,
    EpisodeCause,
    FollowUpContact,
    FootLocation,
    OutcomeEventKind,
    ProcedureKind,
    ReferralSource,
    Role,
    Sex,
    Side,
    Urgency,
    VesselSegment,
)
from limbsalvage.core.wifi import Ulcer
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.events import service as events
from limbsalvage.events.schemas import FollowUpCreate, OutcomeEventCreate
from limbsalvage.patients import service
from limbsalvage.patients.models import Episode
from limbsalvage.patients.schemas import EpisodeCreate, PatientCreate
from limbsalvage.procedures import service as procedures
from limbsalvage.procedures.schemas import (
    GraftCreate,
    ProcedureCreate,
    SurveillanceStudyCreate,
    TreatedSegmentCreate,
)
from limbsalvage.recommendations import service as recommendations
from limbsalvage.referrals import service as referrals
from limbsalvage.referrals.models import Referral
from limbsalvage.referrals.schemas import ReferralIn
from limbsalvage.staging import service as staging
from limbsalvage.wounds import service as wounds
from limbsalvage.wounds.schemas import MeasurementFields, WoundFields
from tests.support.factories import recommendation

PASSWORD = "correct horse battery staple"
SEEN_ON = date(2026, 1, 6)
CONFERENCE_DAY = date(2026, 1, 8)  # a past conference with one case per site
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
    # Every seeded record of each site by its path parameter name ("assessment_id": 3).
    ids: dict[str, dict[str, int]]

    @property
    def case_north(self) -> int:
        """The conference case of the north site's episode."""
        return self.ids["north"]["case_id"]

    @property
    def case_south(self) -> int:
        """The conference case of the south site's episode."""
        return self.ids["south"]["case_id"]


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
        records: dict[str, dict[str, int]] = {}
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
            records[code] = {
                "patient_id": patient.id,
                "episode_id": episode.id,
                "referral_id": referral_id,
                **seed_records(db, episode),
            }
            case = conference.add_case(
                db=db,
                episode_id=episode.id,
                case_in=ManualCaseIn(conference_on=CONFERENCE_DAY, reason="rest pain, no target"),
                site_ids=[sites[code].id],
            )
            records[code]["case_id"] = case.id
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
        ids=records,
    )


def seed_records(db: Session, episode: Episode) -> dict[str, int]:
    """One record of every kind the API serves, on `episode`, by path parameter name."""
    made: dict[str, int] = {"limb_id": episode.limb_id}
    sites = [service.get_patient(db=db, patient_id=episode.patient_id).site_id]
    assessment = assessments.create_assessment(
        db=db, episode_id=episode.id, assessment_in=AssessmentFields(assessed_on=SEEN_ON)
    )
    made["assessment_id"] = assessment.id
    made["finding_id"] = assessments.create_finding(
        db=db,
        assessment_id=assessment.id,
        finding_in=PerfusionStudyIn(toe_pressure_mmhg=35, abi=0.6),
    ).id
    wound = wounds.create_wound(
        db=db,
        episode_id=episode.id,
        wound_in=WoundFields(label="A", location=FootLocation.HALLUX),
    )
    made["wound_id"] = wound.id
    made["measurement_id"] = wounds.create_measurement(
        db=db,
        wound_id=wound.id,
        measurement_in=MeasurementFields(
            measured_on=SEEN_ON, length_cm=2, width_cm=1.5, ulcer=Ulcer.SHALLOW
        ),
    ).id
    made["snapshot_id"] = staging.propose_staging(
        db=db, episode_id=episode.id, as_of=SEEN_ON
    ).snapshot.id
    summary = recommendations.recompute_recommendations(
        db=db, episode_id=episode.id, computed=[recommendation()], engine_version="seed"
    )
    made["recommendation_id"] = summary.added[0].id
    made["task_id"] = care.create_task(
        db=db,
        episode_id=episode.id,
        # A clinical role's task: both coordinators and clinicians may complete it (api.md).
        task_in=TaskIn(
            title="Book duplex", owner_role=CareRole.VASCULAR_SURGEON, urgency=Urgency.SOON
        ),
        site_ids=sites,
    ).id
    made["appointment_id"] = care.create_appointment(
        db=db,
        episode_id=episode.id,
        appointment_in=AppointmentIn(
            clinic="Vascular clinic",
            starts_at=datetime(2026, 2, 1, 9, 0, tzinfo=UTC),
            purpose="review",
        ),
        site_ids=sites,
    ).id
    made["member_id"] = care.add_team_member(
        db=db,
        episode_id=episode.id,
        member_in=TeamMemberIn(role=CareRole.WOUND_NURSE, person_name="Nurse Seed"),
        site_ids=sites,
    ).id
    made.update(_seed_procedure(db, episode))
    made["event_id"] = events.record_event(
        db=db,
        patient_id=episode.patient_id,
        event_in=OutcomeEventCreate(
            kind=OutcomeEventKind.STROKE, occurred_on=date(2026, 3, 1), episode_id=episode.id
        ),
    ).id
    made["follow_up_id"] = events.record_follow_up(
        db=db,
        episode_id=episode.id,
        follow_up_in=FollowUpCreate(seen_on=date(2026, 3, 2), contact=FollowUpContact.TELEPHONE),
    ).id
    return made


def _seed_procedure(db: Session, episode: Episode) -> dict[str, int]:
    procedure = procedures.create_procedure(
        db=db,
        patient_id=episode.patient_id,
        procedure_in=ProcedureCreate(
            side=Side.LEFT,
            episode_id=episode.id,
            performed_on=date(2026, 1, 20),
            kind=ProcedureKind.BYPASS,
            conduit=Conduit.GREAT_SAPHENOUS_VEIN,
        ),
    )
    graft = procedures.add_graft(
        db=db,
        procedure_id=procedure.id,
        graft_in=GraftCreate(
            inflow_segment=VesselSegment.COMMON_FEMORAL,
            outflow_segment=VesselSegment.SUPERFICIAL_FEMORAL,
        ),
    )
    segment = procedures.add_treated_segment(
        db=db,
        procedure_id=procedure.id,
        segment_in=TreatedSegmentCreate(segment=VesselSegment.SUPERFICIAL_FEMORAL),
    )
    study = procedures.record_surveillance_study(
        db=db,
        patient_id=episode.patient_id,
        study_in=SurveillanceStudyCreate(
            graft_id=graft.id, studied_on=date(2026, 2, 20), patency=DuplexPatency.PATENT
        ),
    )
    return {
        "procedure_id": procedure.id,
        "graft_id": graft.id,
        "segment_id": segment.id,
        "study_id": study.id,
    }


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
