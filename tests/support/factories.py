"""Small builders for test data, going through the services where one exists."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Membership, Site, User
from limbsalvage.assessments import service as assessments
from limbsalvage.assessments.models import Assessment
from limbsalvage.assessments.schemas import (
    AssessmentFields,
    FindingIn,
    ImagingIn,
    InfectionAssessmentIn,
    PerfusionStudyIn,
)
from limbsalvage.core.coordination.recommendations import RecommendationInput
from limbsalvage.core.vocabulary import (
    CareSetting,
    EpisodeCause,
    FootLocation,
    OutcomeEventKind,
    ProcedureKind,
    RevascularizationStrategy,
    Role,
    Sex,
    Side,
    Urgency,
)
from limbsalvage.events import service as events
from limbsalvage.events.models import OutcomeEvent
from limbsalvage.events.schemas import OutcomeEventCreate
from limbsalvage.patients import service as patients
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.patients.schemas import EpisodeCreate, PatientCreate
from limbsalvage.procedures import service as procedures
from limbsalvage.procedures.models import Procedure
from limbsalvage.procedures.schemas import ProcedureCreate
from limbsalvage.referrals import service as referrals
from limbsalvage.referrals.models import Referral
from limbsalvage.referrals.schemas import ReferralIn, StaffReferralIn
from limbsalvage.wounds import service as wounds
from limbsalvage.wounds.models import Wound, WoundMeasurement
from limbsalvage.wounds.schemas import MeasurementFields, WoundFields


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


# Care coordination (issue 4).


def referral_in(**overrides: Any) -> ReferralIn:
    """A referral as a referring clinician states it."""

    values: dict[str, Any] = {
        "source": "referring_clinician",
        "referrer_name": "Dr Grace Kelly",
        "referrer_contact": "gp-surgery@example.test",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "birth_date": date(1950, 5, 17),
        "reason": "Non-healing ulcer of the left hallux for 6 weeks, rest pain at night.",
        "side": "left",
        "urgency_requested": "urgent",
    }
    values.update(overrides)
    return ReferralIn(**values)


def make_referral(db: Session, site: Site, **overrides: Any) -> Referral:
    """A referral entered by staff through the service."""

    received_at = overrides.pop("received_at", datetime(2026, 2, 27, 16, 0, tzinfo=UTC))
    staff_in = StaffReferralIn(**referral_in(**overrides).model_dump(), received_at=received_at)
    return referrals.create_referral(
        db=db, site_id=site.id, referral_in=staff_in, site_ids=[site.id]
    )


def set_time_zone(db: Session, site: Site, name: str = "Europe/London") -> Site:
    """Give a site its IANA time zone."""
    site.settings = {**(site.settings or {}), "time_zone": name}
    db.flush()
    return site


def recommendation(rule_id: str = "gvg.revasc.avg", **changes: Any) -> RecommendationInput:
    """One recommendation as the pathway engine gives it (typed input)."""
    values: dict[str, Any] = {
        "rule_id": rule_id,
        "category": "revascularization",
        "urgency": Urgency.URGENT,
        "strategy": RevascularizationStrategy.ENDOVASCULAR,
        "text": "Offer revascularization; an endovascular approach first.",
        "rationale": "WIfI stage 3 with GLASS stage I in an average-risk patient.",
        "citation": "Conte MS et al. Global Vascular Guidelines 2019, recommendation 6.9",
        "missing": ("toe_pressure_mmhg",),
    }
    values.update(changes)
    return RecommendationInput(**values)


# Findings (limbsalvage.wounds, limbsalvage.assessments), through their services.


def make_assessment(db: Session, episode: Episode, **overrides: Any) -> Assessment:
    """An assessment of the episode (on 2026-01-06 unless told)."""

    values: dict[str, Any] = {"assessed_on": date(2026, 1, 6)}
    values.update(overrides)
    return assessments.create_assessment(
        db=db, episode_id=episode.id, assessment_in=AssessmentFields(**values)
    )


def make_finding(db: Session, assessment: Assessment, finding_in: FindingIn) -> Any:
    """A finding of any kind at the assessment."""

    return assessments.create_finding(db=db, assessment_id=assessment.id, finding_in=finding_in)


def make_wound(db: Session, episode: Episode, **overrides: Any) -> Wound:
    """A wound of the episode (a hallux ulcer unless told)."""

    values: dict[str, Any] = {"label": "hallux ulcer", "location": FootLocation.HALLUX}
    values.update(overrides)
    return wounds.create_wound(db=db, episode_id=episode.id, wound_in=WoundFields(**values))


def make_measurement(db: Session, wound: Wound, **overrides: Any) -> WoundMeasurement:
    """A measurement of the wound (2 × 1.5 cm, shallow ulcer, no gangrene, on 2026-01-06)."""

    values: dict[str, Any] = {
        "measured_on": date(2026, 1, 6),
        "length_cm": 2.0,
        "width_cm": 1.5,
        "ulcer": "shallow",
        "gangrene": "none",
    }
    values.update(overrides)
    return wounds.create_measurement(
        db=db, wound_id=wound.id, measurement_in=MeasurementFields(**values)
    )


# The staging worked example (tests/staging/test_service.py docstring).
DAY = date(2026, 1, 6)
PERFUSION = PerfusionStudyIn(
    brachial_right_mmhg=140, dorsalis_pedis_mmhg=70, posterior_tibial_mmhg=84, toe_pressure_mmhg=35
)
MILD_INFECTION = InfectionAssessmentIn(
    erythema_extent_cm=1.5,
    osteomyelitis=False,
    suspected_active_charcot=False,
    local_warmth=True,
    purulent_discharge=True,
    deep_tissue_involvement=False,
    sirs_criteria_count=0,
)
CTA = ImagingIn(
    modality="ct_angiography", performed_on=DAY, fp_grade=1, ip_grade=3, im_modifier="P1"
)


def make_worked_clti(db: Session, episode: Episode) -> Assessment:
    """The worked example: wound, perfusion, infection, CTA and the clinical picture."""
    assessment = make_assessment(db, episode, assessed_on=DAY, presentation="minor_tissue_loss")
    wound = make_wound(db, episode)
    make_measurement(db, wound, ulcer="deep", gangrene="none", exposed_bone=True)
    make_finding(db, assessment, PERFUSION)
    make_finding(db, assessment, MILD_INFECTION)
    make_finding(db, assessment, CTA)
    return assessment


def make_procedure(
    db: Session,
    patient: Patient,
    *,
    side: Side = Side.LEFT,
    kind: ProcedureKind = ProcedureKind.ANGIOPLASTY,
    performed_on: date = date(2026, 1, 10),
    episode: Episode | None = None,
    **fields: Any,
) -> Procedure:
    """A procedure through the service (timeline rules and owned events apply)."""
    return procedures.create_procedure(
        db=db,
        patient_id=patient.id,
        procedure_in=ProcedureCreate(
            side=side,
            kind=kind,
            performed_on=performed_on,
            episode_id=episode.id if episode is not None else None,
            **fields,
        ),
    )


def make_event(
    db: Session,
    patient: Patient,
    *,
    kind: OutcomeEventKind,
    occurred_on: date = date(2026, 2, 1),
    side: Side | None = None,
    **fields: Any,
) -> OutcomeEvent:
    """An outcome event through the service."""
    return events.record_event(
        db=db,
        patient_id=patient.id,
        event_in=OutcomeEventCreate(kind=kind, occurred_on=occurred_on, side=side, **fields),
    )
