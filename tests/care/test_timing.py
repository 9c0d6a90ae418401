"""Time-to-treatment gathered from the registry (referral, appointments, assessments, imaging,
procedures) and measured in the site's local days; PAD QIF targets. SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from limbsalvage.assessments.models import Assessment, Imaging
from limbsalvage.care import service as care
from limbsalvage.care.schemas import AppointmentIn, AppointmentUpdate
from limbsalvage.care.timing import episode_time_to_treatment, site_time_to_treatment
from limbsalvage.core.coordination.time_to_treatment import Breach, Status
from limbsalvage.core.vocabulary import (
    CareSetting,
    Conduit,
    ImagingModality,
    ProcedureKind,
)
from limbsalvage.errors import Invalid, NotFound
from limbsalvage.patients.models import Episode
from limbsalvage.procedures.models import Procedure
from limbsalvage.referrals import service as referrals
from limbsalvage.referrals.schemas import ConversionIn
from tests.support.factories import (
    make_episode,
    make_patient,
    make_referral,
    make_site,
    set_time_zone,
)


def by_id(timing: object) -> dict:
    return {m.measure_id: m for m in timing.measures}  # type: ignore[attr-defined]


def imaging(db: Session, episode: Episode, on: date, modality: ImagingModality) -> None:
    assessment = Assessment(patient_id=episode.patient_id, episode_id=episode.id, assessed_on=on)
    db.add(assessment)
    db.flush()
    db.add(
        Imaging(
            patient_id=episode.patient_id,
            assessment_id=assessment.id,
            modality=modality,
            performed_on=on,
        )
    )
    db.flush()


def procedure(db: Session, episode: Episode, on: date, kind: ProcedureKind) -> None:
    db.add(
        Procedure(
            patient_id=episode.patient_id,
            limb_id=episode.limb_id,
            episode_id=episode.id,
            performed_on=on,
            kind=kind,
            conduit=Conduit.GREAT_SAPHENOUS_VEIN if kind is ProcedureKind.BYPASS else None,
        )
    )
    db.flush()


def test_a_converted_referral_through_to_revascularization(db: Session) -> None:
    site = set_time_zone(db, make_site(db), "America/New_York")
    # received 23:30 on 20 Feb in New York (04:30 UTC on 21 Feb)
    referral = make_referral(db, site, received_at=datetime(2026, 2, 21, 4, 30, tzinfo=UTC))
    converted = referrals.convert_referral(
        db=db,
        referral_id=referral.id,
        conversion_in=ConversionIn(
            version=1, mrn="M-1", sex="female", cause="clti", setting="outpatient"
        ),
        site_ids=[site.id],
    )
    episode = db.get_one(Episode, converted.episode_id)
    assert episode.presented_on == date(2026, 2, 20)
    visit = care.create_appointment(
        db=db,
        episode_id=episode.id,
        appointment_in=AppointmentIn(
            clinic="Hot clinic",
            starts_at=datetime(2026, 2, 27, 14, 0, tzinfo=UTC),
            purpose="First visit",
        ),
        site_ids=[site.id],
    )
    care.update_appointment(
        db=db,
        appointment_id=visit.id,
        update_in=AppointmentUpdate(version=1, status="attended"),
        site_ids=[site.id],
    )
    imaging(db, episode, date(2026, 2, 26), ImagingModality.PLAIN_RADIOGRAPH)  # not counted
    imaging(db, episode, date(2026, 2, 27), ImagingModality.DUPLEX_ULTRASOUND)
    procedure(db, episode, date(2026, 2, 28), ProcedureKind.DEBRIDEMENT)  # not counted
    procedure(db, episode, date(2026, 3, 2), ProcedureKind.ANGIOPLASTY)
    timing = episode_time_to_treatment(db=db, episode_id=episode.id, site_ids=[site.id])
    assert timing.time_zone == "America/New_York"
    measures = by_id(timing)
    first_visit = measures["referral_to_first_visit"]
    # the first assessment (26 Feb, from the radiograph's encounter) precedes the appointment
    assert (first_visit.start_on, first_visit.end_on, first_visit.days) == (
        date(2026, 2, 20),
        date(2026, 2, 26),
        6,
    )
    assert first_visit.breach is Breach.MET
    assert measures["presentation_to_imaging"].days == 7
    assert measures["presentation_to_imaging"].breach is Breach.NO_TARGET
    revasc = measures["presentation_to_revascularization"]
    assert (revasc.days, revasc.target.days, revasc.breach) == (10, 14, Breach.MET)
    assert timing.breached == ()


def test_missing_events_are_not_yet_or_unknown(db: Session) -> None:
    site = set_time_zone(db, make_site(db), "Europe/London")
    episode = make_episode(
        db, make_patient(db, site), presented_on=date(2026, 2, 20), setting=CareSetting.INPATIENT
    )
    measures = by_id(episode_time_to_treatment(db=db, episode_id=episode.id, site_ids=[site.id]))
    assert measures["referral_to_first_visit"].status is Status.UNKNOWN
    assert measures["presentation_to_imaging"].status is Status.NOT_YET
    revasc = measures["presentation_to_revascularization"]
    assert (revasc.status, revasc.days, revasc.elapsed_days, revasc.breach) == (
        Status.NOT_YET,
        None,
        10,
        Breach.BREACHED,
    )
    worklist = site_time_to_treatment(
        db=db, site_id=site.id, site_ids=[site.id], breached_only=True
    )
    assert [t.episode_id for t in worklist] == [episode.id]
    earlier = site_time_to_treatment(
        db=db, site_id=site.id, site_ids=[site.id], as_of=datetime(2026, 2, 22, tzinfo=UTC)
    )
    assert by_id(earlier[0])["presentation_to_revascularization"].breach is Breach.ON_TRACK


def test_site_targets_and_missing_time_zone(db: Session) -> None:
    site = make_site(db)
    episode = make_episode(db, make_patient(db, site), presented_on=date(2026, 2, 28))
    with pytest.raises(Invalid, match="time_zone: site north has no time zone"):
        episode_time_to_treatment(db=db, episode_id=episode.id, site_ids=[site.id])
    site.settings = {
        "time_zone": "Asia/Kolkata",
        "coordination": {
            "time_to_treatment_targets": [
                {"measure_id": "presentation_to_imaging", "days": 1, "citation": "local rule"}
            ]
        },
    }
    db.flush()
    measures = by_id(episode_time_to_treatment(db=db, episode_id=episode.id, site_ids=[site.id]))
    assert measures["presentation_to_imaging"].breach is Breach.BREACHED  # 2 days so far
    assert measures["presentation_to_revascularization"].target is None  # replaced set
    with pytest.raises(Invalid, match="time_zone: not a known IANA time zone"):
        site.settings = {"time_zone": "Mars/Olympus"}  # refused when written


def test_scope(db: Session) -> None:
    site = set_time_zone(db, make_site(db))
    other = make_site(db, code="south", name="South")
    episode = make_episode(db, make_patient(db, site))
    with pytest.raises(NotFound, match=f"episode {episode.id} not found"):
        episode_time_to_treatment(db=db, episode_id=episode.id, site_ids=[other.id])
    with pytest.raises(NotFound, match=f"site {site.id} not found"):
        site_time_to_treatment(db=db, site_id=site.id, site_ids=[other.id])
