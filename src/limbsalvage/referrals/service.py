"""Referral intake, triage and conversion into a patient, limb and episode. Flush, never commit.

Public intake (`submit_referral`) never reads the patient tables: its answer and its work are
the same whether or not the person is known, so it reveals nothing about other patients.
"""

import secrets
from collections.abc import Collection
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.care.scope import visible_episode
from limbsalvage.care.settings import site_zone
from limbsalvage.core.vocabulary import EpisodeStatus, ReferralStatus, Side, Urgency
from limbsalvage.db.clock import now
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, Invalid, NotFound, invalid
from limbsalvage.patients import service as patients
from limbsalvage.patients.models import Episode, Limb, Patient
from limbsalvage.patients.schemas import EpisodeCreate, PatientCreate
from limbsalvage.referrals.models import Referral
from limbsalvage.referrals.schemas import (
    ConversionIn,
    DeclineIn,
    ReferralIn,
    ReferralReceipt,
    StaffReferralIn,
    TriageIn,
)

# No 0/O or 1/I/L, so a reference read over the phone is not misheard.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 10
T = TypeVar("T")
URGENCY_RANK = {u: rank for rank, u in enumerate(Urgency)}


def actor_id(db: Session) -> int | None:
    """The user the session acts for (None for the system or the public form)."""
    actor = db.info.get("actor_id")
    return actor if isinstance(actor, int) else None


def _new_reference(db: Session) -> str:
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if db.scalar(select(Referral.id).where(Referral.reference == reference)) is None:
            return reference


def _no_future_birth(db: Session, referral_in: ReferralIn) -> None:
    if referral_in.birth_date is not None and referral_in.birth_date > now(db).date():
        raise invalid("birth_date", "must not be in the future")


def _store(db: Session, site: Site, referral_in: ReferralIn, received_at: datetime) -> Referral:
    values = referral_in.model_dump(exclude={"received_at"})
    referral = Referral(
        site_id=site.id,
        reference=_new_reference(db),
        received_at=received_at,
        status=ReferralStatus.NEW,
        **values,
    )
    with guarded(db, conflict_message="the referral could not be stored; submit it again"):
        db.add(referral)
    return referral


def submit_referral(*, db: Session, site_code: str, referral_in: ReferralIn) -> ReferralReceipt:
    """Public intake: store the referral as stated and return the same receipt for anyone."""
    site = db.scalar(select(Site).where(Site.code == site_code))
    if site is None:
        raise NotFound(message=f"site {site_code} not found")
    _no_future_birth(db, referral_in)
    referral = _store(db, site, referral_in, now(db))
    return ReferralReceipt(
        reference=referral.reference, received_at=referral.received_at, site_name=site.name
    )


def create_referral(
    *, db: Session, site_id: int, referral_in: StaffReferralIn, site_ids: Collection[int]
) -> Referral:
    """Staff intake at one of the caller's sites, with the time the referral was received."""
    site = db.get(Site, site_id)
    if site is None or site_id not in site_ids:
        raise NotFound(message=f"site {site_id} not found")
    _no_future_birth(db, referral_in)
    if referral_in.received_at > now(db):
        raise invalid("received_at", "must not be in the future")
    return _store(db, site, referral_in, referral_in.received_at)


def get_referral(*, db: Session, referral_id: int, site_ids: Collection[int]) -> Referral:
    """The referral, if it was made to one of `site_ids`."""
    referral = db.get(Referral, referral_id)
    if referral is None or referral.site_id not in site_ids:
        raise NotFound(message=f"referral {referral_id} not found")
    return referral


def _queue(site_ids: Collection[int], statuses: Collection[ReferralStatus]) -> Select[Referral]:
    return select(Referral).where(Referral.site_id.in_(site_ids), Referral.status.in_(statuses))


def _most_urgent_first(query: Select[Referral]) -> Select[Referral]:
    priority = case(
        *[(Referral.triage_priority == urgency, rank) for urgency, rank in URGENCY_RANK.items()],
        else_=None,
    )
    requested = case(
        *[(Referral.urgency_requested == urgency, rank) for urgency, rank in URGENCY_RANK.items()],
    )
    rank = case((priority.is_(None), requested), else_=priority)
    return query.order_by(rank, Referral.received_at, Referral.id)


def list_referrals(
    *,
    db: Session,
    site_ids: Collection[int],
    statuses: Collection[ReferralStatus] = (ReferralStatus.NEW, ReferralStatus.TRIAGED),
    limit: int = 100,
    offset: int = 0,
) -> list[Referral]:
    """The triage worklist: most urgent first (triage priority, else as requested), then oldest."""
    query = _most_urgent_first(_queue(site_ids, statuses)).limit(limit).offset(offset)
    return list(db.scalars(query))


def count_referrals(
    *,
    db: Session,
    site_ids: Collection[int],
    statuses: Collection[ReferralStatus] = (ReferralStatus.NEW, ReferralStatus.TRIAGED),
) -> int:
    """How many referrals `list_referrals` would list without a limit."""
    counted = select(func.count()).select_from(_queue(site_ids, statuses).subquery())
    return db.scalar(counted) or 0


def _open_for_decision(referral: Referral) -> None:
    if referral.status in (ReferralStatus.DECLINED, ReferralStatus.CONVERTED):
        raise Conflict(
            message=f"referral {referral.id} is already {referral.status.value}; it cannot change"
        )


def triage_referral(
    *, db: Session, referral_id: int, triage_in: TriageIn, site_ids: Collection[int]
) -> Referral:
    """Record (or revise) the triage priority of a new or triaged referral."""
    referral = get_referral(db=db, referral_id=referral_id, site_ids=site_ids)
    check_version(referral, expected_version=triage_in.version, entity="referral")
    _open_for_decision(referral)
    with guarded(db, conflict_message="the triage decision could not be stored"):
        referral.status = ReferralStatus.TRIAGED
        referral.triage_priority = triage_in.priority
        referral.triage_note = triage_in.note
        referral.triaged_at = now(db)
        referral.triaged_by_id = actor_id(db)
    return referral


def decline_referral(
    *, db: Session, referral_id: int, decline_in: DeclineIn, site_ids: Collection[int]
) -> Referral:
    """Decline a new or triaged referral, with the reason."""
    referral = get_referral(db=db, referral_id=referral_id, site_ids=site_ids)
    check_version(referral, expected_version=decline_in.version, entity="referral")
    _open_for_decision(referral)
    with guarded(db, conflict_message="the referral could not be declined"):
        referral.status = ReferralStatus.DECLINED
        referral.decline_reason = decline_in.reason
        referral.declined_at = now(db)
        referral.declined_by_id = actor_id(db)
    return referral


def convert_referral(
    *, db: Session, referral_id: int, conversion_in: ConversionIn, site_ids: Collection[int]
) -> Referral:
    """Turn a referral into a patient (or the patient with its MRN), a limb and an episode."""
    referral = get_referral(db=db, referral_id=referral_id, site_ids=site_ids)
    check_version(referral, expected_version=conversion_in.version, entity="referral")
    _open_for_decision(referral)
    mrn = conversion_in.mrn or referral.mrn
    if mrn is None:
        raise invalid("mrn", "required: the referral gives no MRN")
    side = conversion_in.side or referral.side
    if side is None:
        raise invalid("side", "required: the referral does not say which limb")
    birth_date = conversion_in.birth_date or referral.birth_date
    # Everything is checked before anything is written, so a refusal leaves no partial patient.
    episode_in = None
    if conversion_in.episode_id is None:
        episode_in = EpisodeCreate(
            side=side,
            cause=_required(conversion_in.cause, "cause"),
            setting=_required(conversion_in.setting, "setting"),
            presented_on=conversion_in.presented_on or _received_on(db, referral),
        )
    patient = db.scalar(
        select(Patient).where(Patient.site_id == referral.site_id, Patient.mrn == mrn)
    )
    if patient is None:
        patient = _register(db, referral, conversion_in, mrn=mrn, birth_date=birth_date)
    elif birth_date is not None and birth_date != patient.birth_date:
        raise Conflict(
            message=(
                "birth_date: the patient registered with this MRN has another date of birth; "
                "check the MRN or correct the referral's date of birth"
            )
        )
    if episode_in is None:
        episode = _existing_episode(
            db, _required(conversion_in.episode_id, "episode_id"), patient, side, site_ids
        )
    else:
        episode = patients.open_episode(
            db=db, patient_id=patient.id, episode_in=episode_in, site_ids=site_ids
        )
    with guarded(db, conflict_message="the referral could not be converted"):
        referral.status = ReferralStatus.CONVERTED
        referral.patient_id = patient.id
        referral.episode_id = episode.id
        referral.converted_at = now(db)
        referral.converted_by_id = actor_id(db)
    return referral


def _register(
    db: Session,
    referral: Referral,
    conversion_in: ConversionIn,
    *,
    mrn: str,
    birth_date: date | None,
) -> Patient:
    return patients.create_patient(
        db=db,
        site_id=referral.site_id,
        patient_in=PatientCreate(
            mrn=mrn,
            given_name=conversion_in.given_name or referral.given_name,
            family_name=conversion_in.family_name or referral.family_name,
            birth_date=_required(birth_date, "birth_date", "to register a new patient"),
            sex=_required(conversion_in.sex, "sex", "to register a new patient"),
        ),
    )


def _existing_episode(
    db: Session, episode_id: int, patient: Patient, side: Side, site_ids: Collection[int]
) -> Episode:
    episode = visible_episode(db, episode_id, site_ids)
    if episode.patient_id != patient.id:
        raise invalid("episode_id", "is an episode of another patient")
    if episode.status is not EpisodeStatus.OPEN:
        raise invalid("episode_id", "is closed; attach the referral to an open episode")
    limb = db.get(Limb, episode.limb_id)
    if limb is None or limb.side != side:
        raise invalid("episode_id", "is an episode of the other limb")
    return episode


def _required(value: T | None, name: str, purpose: str = "to open the episode") -> T:
    if value is None:
        raise invalid(name, f"required {purpose}")
    return value


def _received_on(db: Session, referral: Referral) -> date:
    try:
        zone = site_zone(db.get_one(Site, referral.site_id))
    except Invalid as error:
        raise invalid(
            "presented_on",
            "required: the site has no time zone, so the day the referral was received is "
            "not known locally",
        ) from error
    return referral.received_at.astimezone(zone).date()
