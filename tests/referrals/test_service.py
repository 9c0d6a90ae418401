"""Referral intake, triage, decline and conversion, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import (
    CareSetting,
    EpisodeCause,
    EpisodeStatus,
    ReferralStatus,
    Role,
    Side,
    Urgency,
)
from limbsalvage.db.audit import AuditEntry
from limbsalvage.errors import Conflict, Invalid, NotFound, StaleUpdate
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.referrals import service
from limbsalvage.referrals.schemas import (
    ConversionIn,
    DeclineIn,
    ReferralIn,
    StaffReferralIn,
    TriageIn,
)
from tests.conftest import FIXED_NOW
from tests.support.factories import (
    make_episode,
    make_patient,
    make_referral,
    make_site,
    make_user,
    referral_in,
    set_time_zone,
)


def convert(**values: object) -> ConversionIn:
    base: dict[str, object] = {
        "version": 1,
        "mrn": "MRN-0001",
        "sex": "female",
        "cause": "clti",
        "setting": "outpatient",
    }
    base.update(values)
    return ConversionIn(**base)


def test_public_submission_gets_a_receipt_and_lands_new(db: Session) -> None:
    site = make_site(db)
    receipt = service.submit_referral(db=db, site_code="north", referral_in=referral_in())
    assert receipt.site_name == "North Limb Salvage"
    assert receipt.received_at == FIXED_NOW
    assert len(receipt.reference) == 10
    assert set(receipt.reference) <= set(service.REFERENCE_ALPHABET)
    stored = db.scalars(select(service.Referral)).one()
    assert (stored.site_id, stored.status, stored.patient_id) == (site.id, ReferralStatus.NEW, None)
    assert stored.reference == receipt.reference


def test_public_submission_reveals_nothing_about_known_patients(db: Session) -> None:
    north = make_site(db)
    known = make_patient(db, make_site(db, code="x", name="X"))  # another site's patient
    # The site by name: an unordered SELECT may return either site on PostgreSQL.
    site_patient = make_patient(db, north)
    assert known.id != site_patient.id
    # The same person (MRN, name, date of birth) and a stranger get receipts of the same shape,
    # and intake links neither to a patient.
    about_known = service.submit_referral(
        db=db, site_code="north", referral_in=referral_in(mrn="MRN-0001")
    )
    about_stranger = service.submit_referral(
        db=db,
        site_code="north",
        referral_in=referral_in(mrn="NOPE", given_name="Zed", birth_date=date(1977, 1, 1)),
    )
    assert set(about_known.model_dump()) == set(about_stranger.model_dump())
    assert about_known.site_name == about_stranger.site_name
    assert about_known.received_at == about_stranger.received_at
    linked = db.scalar(
        select(func.count())
        .select_from(service.Referral)
        .where(service.Referral.patient_id.is_not(None))
    )
    assert linked == 0


def test_public_submission_to_an_unknown_site(db: Session) -> None:
    with pytest.raises(NotFound, match="site nowhere not found"):
        service.submit_referral(db=db, site_code="nowhere", referral_in=referral_in())


def test_intake_validation_names_the_field() -> None:
    with pytest.raises(ValidationError, match="referrer_name: required when a clinician refers"):
        referral_in(referrer_name=None)
    with pytest.raises(ValidationError, match="patient_contact: give the patient's"):
        referral_in(source="self_referral", referrer_name=None, referrer_contact=None)
    with pytest.raises(ValidationError, match="birth_date: must not be before 1900"):
        referral_in(birth_date=date(1899, 12, 31))
    with pytest.raises(ValidationError, match="reason"):
        referral_in(reason="  ")
    with pytest.raises(ValidationError, match="at most 2000 characters"):
        referral_in(reason="x" * 2001)
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        ReferralIn(**referral_in().model_dump(), patient_id=3)
    self_referral = referral_in(
        source="self_referral", referrer_name=None, referrer_contact=None, patient_contact="07700"
    )
    assert self_referral.referrer_name is None


def test_future_dates_are_refused(db: Session) -> None:
    site = make_site(db)
    with pytest.raises(Invalid, match="birth_date: must not be in the future"):
        service.submit_referral(
            db=db, site_code="north", referral_in=referral_in(birth_date=date(2027, 1, 1))
        )
    with pytest.raises(Invalid, match="birth_date: must not be in the future"):
        make_referral(db, site, birth_date=date(2027, 1, 1))
    with pytest.raises(Invalid, match="received_at: must not be in the future"):
        make_referral(db, site, received_at=datetime(2026, 3, 3, tzinfo=UTC))
    with pytest.raises(ValidationError, match="timezone"):
        StaffReferralIn(**referral_in().model_dump(), received_at=datetime(2026, 3, 1))


def test_staff_intake_is_site_scoped(db: Session) -> None:
    north, south = make_site(db), make_site(db, code="south", name="South")
    referral = make_referral(db, north)
    assert referral.received_at == datetime(2026, 2, 27, 16, 0, tzinfo=UTC)
    with pytest.raises(NotFound, match=f"referral {referral.id} not found"):
        service.get_referral(db=db, referral_id=referral.id, site_ids=[south.id])
    with pytest.raises(NotFound, match=f"site {north.id} not found"):
        service.create_referral(
            db=db,
            site_id=north.id,
            referral_in=StaffReferralIn(**referral_in().model_dump(), received_at=FIXED_NOW),
            site_ids=[south.id],
        )
    assert service.list_referrals(db=db, site_ids=[south.id]) == []


def test_worklist_most_urgent_first_then_oldest(db: Session) -> None:
    site = make_site(db)
    routine = make_referral(db, site, urgency_requested="routine")
    urgent_late = make_referral(
        db, site, received_at=datetime(2026, 3, 1, tzinfo=UTC), urgency_requested="urgent"
    )
    urgent_early = make_referral(
        db, site, received_at=datetime(2026, 2, 1, tzinfo=UTC), urgency_requested="urgent"
    )
    soon = make_referral(db, site, urgency_requested="soon")
    # triage overrides the requested urgency in the ordering
    service.triage_referral(
        db=db,
        referral_id=routine.id,
        triage_in=TriageIn(version=1, priority=Urgency.EMERGENT),
        site_ids=[site.id],
    )
    order = [r.id for r in service.list_referrals(db=db, site_ids=[site.id])]
    assert order == [routine.id, urgent_early.id, urgent_late.id, soon.id]
    service.decline_referral(
        db=db,
        referral_id=soon.id,
        decline_in=DeclineIn(version=1, reason="Claudication only; back to primary care."),
        site_ids=[site.id],
    )
    assert soon.id not in [r.id for r in service.list_referrals(db=db, site_ids=[site.id])]
    declined = service.list_referrals(db=db, site_ids=[site.id], statuses=[ReferralStatus.DECLINED])
    assert [r.id for r in declined] == [soon.id]


def test_triage_records_who_when_and_why(db: Session) -> None:
    site = make_site(db)
    coordinator = make_user(db, site, Role.COORDINATOR)
    db.info["actor_id"] = coordinator.id
    referral = make_referral(db, site)
    triaged = service.triage_referral(
        db=db,
        referral_id=referral.id,
        triage_in=TriageIn(version=1, priority=Urgency.URGENT, note="Rest pain, tissue loss"),
        site_ids=[site.id],
    )
    assert (triaged.status, triaged.triage_priority) == (ReferralStatus.TRIAGED, Urgency.URGENT)
    assert (triaged.triaged_by_id, triaged.triaged_at) == (coordinator.id, FIXED_NOW)
    assert triaged.triage_note == "Rest pain, tissue loss"
    with pytest.raises(StaleUpdate, match="version 2, your copy is version 1"):
        service.triage_referral(
            db=db,
            referral_id=referral.id,
            triage_in=TriageIn(version=1, priority=Urgency.SOON),
            site_ids=[site.id],
        )
    retriaged = service.triage_referral(
        db=db,
        referral_id=referral.id,
        triage_in=TriageIn(version=2, priority=Urgency.EMERGENT),
        site_ids=[site.id],
    )
    assert retriaged.triage_priority is Urgency.EMERGENT
    changes = db.scalars(
        select(AuditEntry).where(AuditEntry.entity == "referrals", AuditEntry.action == "update")
    ).all()
    assert len(changes) == 2


def test_decline_needs_a_reason_and_is_final(db: Session) -> None:
    site = make_site(db)
    referral = make_referral(db, site)
    with pytest.raises(ValidationError, match="reason"):
        DeclineIn(version=1, reason=" ")
    service.decline_referral(
        db=db,
        referral_id=referral.id,
        decline_in=DeclineIn(version=1, reason="Duplicate of an earlier referral"),
        site_ids=[site.id],
    )
    assert referral.declined_at == FIXED_NOW
    with pytest.raises(Conflict, match="already declined; it cannot change"):
        service.triage_referral(
            db=db,
            referral_id=referral.id,
            triage_in=TriageIn(version=2, priority=Urgency.URGENT),
            site_ids=[site.id],
        )


def test_conversion_registers_patient_limb_and_episode_without_retyping(db: Session) -> None:
    site = set_time_zone(db, make_site(db), "America/Los_Angeles")
    clinician = make_user(db, site, Role.CLINICIAN)
    db.info["actor_id"] = clinician.id
    # 16:00 UTC on 27 Feb is 08:00 in Los Angeles: presentation defaults to that local day.
    referral = make_referral(db, site, mrn="A-17")
    converted = service.convert_referral(
        db=db, referral_id=referral.id, conversion_in=convert(mrn=None), site_ids=[site.id]
    )
    patient = db.get_one(Patient, converted.patient_id)
    episode = db.get_one(Episode, converted.episode_id)
    assert (patient.mrn, patient.given_name, patient.family_name, patient.birth_date) == (
        "A-17",
        "Ada",
        "Lovelace",
        date(1950, 5, 17),
    )
    assert (episode.cause, episode.setting, episode.presented_on) == (
        EpisodeCause.CLTI,
        CareSetting.OUTPATIENT,
        date(2026, 2, 27),
    )
    assert episode.limb.side is Side.LEFT
    assert (converted.status, converted.converted_by_id, converted.converted_at) == (
        ReferralStatus.CONVERTED,
        clinician.id,
        FIXED_NOW,
    )
    with pytest.raises(Conflict, match="already converted"):
        service.convert_referral(
            db=db, referral_id=referral.id, conversion_in=convert(version=2), site_ids=[site.id]
        )


def test_presentation_day_is_local_to_the_site(db: Session) -> None:
    site = set_time_zone(db, make_site(db), "Pacific/Auckland")
    # 16:00 UTC on 27 Feb is 05:00 on 28 Feb in Auckland.
    referral = make_referral(db, site)
    converted = service.convert_referral(
        db=db, referral_id=referral.id, conversion_in=convert(), site_ids=[site.id]
    )
    assert db.get_one(Episode, converted.episode_id).presented_on == date(2026, 2, 28)


def test_conversion_without_time_zone_asks_for_the_presentation_day(db: Session) -> None:
    site = make_site(db)
    referral = make_referral(db, site)
    with pytest.raises(Invalid, match="presented_on: required: the site has no time zone"):
        service.convert_referral(
            db=db, referral_id=referral.id, conversion_in=convert(), site_ids=[site.id]
        )
    converted = service.convert_referral(
        db=db,
        referral_id=referral.id,
        conversion_in=convert(presented_on=date(2026, 3, 1), setting="inpatient"),
        site_ids=[site.id],
    )
    assert db.get_one(Episode, converted.episode_id).presented_on == date(2026, 3, 1)


def test_conversion_links_the_patient_already_registered_with_the_mrn(db: Session) -> None:
    site = set_time_zone(db, make_site(db))
    existing = make_patient(db, site)
    referral = make_referral(db, site, side=None, given_name="Augusta")
    with pytest.raises(Invalid, match="side: required: the referral does not say which limb"):
        service.convert_referral(
            db=db, referral_id=referral.id, conversion_in=convert(), site_ids=[site.id]
        )
    converted = service.convert_referral(
        db=db, referral_id=referral.id, conversion_in=convert(side="right"), site_ids=[site.id]
    )
    assert converted.patient_id == existing.id
    assert db.scalar(select(func.count()).select_from(Patient)) == 1
    assert existing.given_name == "Ada"  # the registry's record is not overwritten


def test_conversion_refuses_an_mrn_whose_patient_has_another_birth_date(db: Session) -> None:
    site = set_time_zone(db, make_site(db))
    make_patient(db, site)
    referral = make_referral(db, site, birth_date=date(1951, 5, 17))
    with pytest.raises(Conflict, match="birth_date: the patient registered with this MRN"):
        service.convert_referral(
            db=db, referral_id=referral.id, conversion_in=convert(), site_ids=[site.id]
        )
    fixed = service.convert_referral(
        db=db,
        referral_id=referral.id,
        conversion_in=convert(birth_date=date(1950, 5, 17)),
        site_ids=[site.id],
    )
    assert fixed.status is ReferralStatus.CONVERTED


def test_conversion_names_what_is_missing(db: Session) -> None:
    site = set_time_zone(db, make_site(db))
    referral = make_referral(db, site, birth_date=None)
    cases = [
        (convert(mrn=None), "mrn: required: the referral gives no MRN"),
        (convert(), "birth_date: required to register a new patient"),
        (convert(birth_date=date(1960, 1, 1), sex=None), "sex: required to register"),
        (convert(birth_date=date(1960, 1, 1), cause=None), "cause: required to open"),
        (convert(birth_date=date(1960, 1, 1), setting=None), "setting: required to open"),
    ]
    for conversion_in, message in cases:
        with pytest.raises(Invalid, match=message):
            service.convert_referral(
                db=db, referral_id=referral.id, conversion_in=conversion_in, site_ids=[site.id]
            )
    assert db.scalar(select(func.count()).select_from(Patient)) == 0  # nothing half-written


def test_conversion_attaches_to_an_open_episode(db: Session) -> None:
    site = set_time_zone(db, make_site(db))
    patient = make_patient(db, site)
    episode = make_episode(db, patient)
    referral = make_referral(db, site)
    with pytest.raises(Conflict, match="already has an open episode"):
        service.convert_referral(
            db=db, referral_id=referral.id, conversion_in=convert(), site_ids=[site.id]
        )
    converted = service.convert_referral(
        db=db,
        referral_id=referral.id,
        conversion_in=convert(episode_id=episode.id, cause=None, setting=None),
        site_ids=[site.id],
    )
    assert converted.episode_id == episode.id


def test_conversion_refuses_a_wrong_episode(db: Session) -> None:
    site = set_time_zone(db, make_site(db))
    patient = make_patient(db, site)
    other = make_patient(db, site, mrn="B-2", birth_date=date(1940, 1, 1))
    right_limb = make_episode(db, patient, side=Side.RIGHT)
    others = make_episode(db, other)
    closed = make_episode(db, patient, presented_on=date(2025, 1, 1))
    closed.status = EpisodeStatus.CLOSED
    closed.closed_on = date(2025, 6, 1)
    db.flush()
    referral = make_referral(db, site)
    for episode_id, message in [
        (others.id, "episode_id: is an episode of another patient"),
        (closed.id, "episode_id: is closed"),
        (right_limb.id, "episode_id: is an episode of the other limb"),
    ]:
        with pytest.raises(Invalid, match=message):
            service.convert_referral(
                db=db,
                referral_id=referral.id,
                conversion_in=convert(episode_id=episode_id),
                site_ids=[site.id],
            )
