"""Wounds and serial measurements through the service layer, on SQLite and PostgreSQL."""

import json
import math
from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import AreaMethod, FootLocation
from limbsalvage.db.audit import AuditEntry
from limbsalvage.errors import Conflict, Invalid, NotFound, StaleUpdate
from limbsalvage.patients.models import Episode
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.wounds import service
from limbsalvage.wounds.schemas import MeasurementFields, WoundFields
from tests.support.factories import (
    make_assessment,
    make_episode,
    make_measurement,
    make_patient,
    make_site,
    make_wound,
)


@pytest.fixture
def episode(db: Session) -> Episode:
    return make_episode(db, make_patient(db, make_site(db)))


def test_a_wound_belongs_to_the_episode_and_its_limb(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode, onset_on=date(2025, 12, 1))
    assert (wound.limb_id, wound.patient_id) == (episode.limb_id, episode.patient_id)
    assert service.list_wounds(db=db, episode_id=episode.id) == [wound]


def test_labels_are_unique_within_the_episode(db: Session, episode: Episode) -> None:
    make_wound(db, episode)
    with pytest.raises(Conflict, match="label: the episode already has a wound"):
        make_wound(db, episode)
    heel = make_wound(db, episode, label="heel", location=FootLocation.HEEL)
    with pytest.raises(Conflict, match="label"):
        service.update_wound(
            db=db, wound_id=heel.id, expected_version=1, changes={"label": "hallux ulcer"}
        )


def test_other_sites_never_see_the_wound(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode)
    south = make_site(db, code="south", name="South")
    with pytest.raises(NotFound, match=f"wound {wound.id} not found"):
        service.get_wound(db=db, wound_id=wound.id, site_ids=[south.id])
    with pytest.raises(NotFound):
        service.get_wound(db=db, wound_id=10**9)


def test_area_is_the_ellipse_when_not_given(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode)
    computed = make_measurement(db, wound, length_cm=4.0, width_cm=2.0)
    assert computed.area_cm2 == pytest.approx(2 * math.pi)
    assert computed.area_method is AreaMethod.ELLIPSE
    traced = make_measurement(
        db, wound, measured_on=date(2026, 1, 13), length_cm=3.0, width_cm=2.5, area_cm2=5.5
    )
    assert (traced.area_cm2, traced.area_method) == (5.5, AreaMethod.MEASURED)
    described = make_measurement(
        db, wound, measured_on=date(2026, 1, 14), length_cm=None, width_cm=None
    )
    assert (described.area_cm2, described.area_method) == (None, None)


def test_update_recomputes_an_ellipse_area_but_keeps_a_given_one(
    db: Session, episode: Episode
) -> None:
    wound = make_wound(db, episode)
    measurement = make_measurement(db, wound, length_cm=4.0, width_cm=2.0)
    service.update_measurement(
        db=db, measurement_id=measurement.id, expected_version=1, changes={"width_cm": 1.0}
    )
    assert measurement.area_cm2 == pytest.approx(math.pi)
    service.update_measurement(
        db=db,
        measurement_id=measurement.id,
        expected_version=measurement.version,
        changes={"area_cm2": 2.5},
    )
    assert (measurement.area_cm2, measurement.area_method) == (2.5, AreaMethod.MEASURED)
    service.update_measurement(
        db=db,
        measurement_id=measurement.id,
        expected_version=measurement.version,
        changes={"depth_cm": 0.3},
    )
    assert measurement.area_cm2 == 2.5


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ulcer": None, "gangrene": None, "length_cm": None, "width_cm": None}, "measurement:"),
        ({"width_cm": None}, "width_cm: length_cm and width_cm are both needed"),
        ({"length_cm": None}, "length_cm: length_cm and width_cm are both needed"),
        ({"area_cm2": 3.5}, "area_cm2: larger than length_cm × width_cm"),
        ({"exposed_bone": True}, "ulcer: 'shallow' describes no exposed bone"),
        (
            {"ulcer": "exposed_distal_phalanx", "exposed_tendon": True},
            "ulcer: exposed joint or tendon makes the ulcer 'deep'",
        ),
        (
            {
                "ulcer": "deep",
                "exposed_bone": False,
                "exposed_joint": False,
                "exposed_tendon": False,
            },
            "ulcer: 'deep' is an ulcer with exposed bone",
        ),
        ({"length_cm": 51}, "length_cm"),
        ({"ulcer": "crater"}, "ulcer"),
    ],
)
def test_measurement_validation_names_the_field(values: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "measured_on": date(2026, 1, 6),
        "length_cm": 2.0,
        "width_cm": 1.5,
        "ulcer": "shallow",
        "gangrene": "none",
    }
    with pytest.raises(ValidationError, match=message):
        MeasurementFields.model_validate({**base, **values})


def test_consistent_exposures_are_accepted() -> None:
    phalanx = MeasurementFields(
        measured_on=date(2026, 1, 6),
        ulcer="exposed_distal_phalanx",
        gangrene="none",
        exposed_bone=True,
    )
    assert phalanx.exposed_bone is True
    deep = MeasurementFields(
        measured_on=date(2026, 1, 6), ulcer="deep", gangrene="digits", exposed_tendon=True
    )
    assert deep.ulcer == "deep"


@pytest.mark.parametrize(
    ("measured_on", "message"),
    [
        (date(2026, 3, 3), "measured_on: must not be in the future"),
        (date(2026, 1, 4), "measured_on: must not be before the episode's presented_on"),
    ],
)
def test_measurement_dates_are_checked(
    db: Session, episode: Episode, measured_on: date, message: str
) -> None:
    wound = make_wound(db, episode)
    with pytest.raises(Invalid, match=message):
        make_measurement(db, wound, measured_on=measured_on)


def test_measurement_not_before_onset_and_onset_not_after_it(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode, onset_on=date(2026, 1, 10))
    with pytest.raises(Invalid, match="measured_on: must not be before the wound's onset_on"):
        make_measurement(db, wound, measured_on=date(2026, 1, 6))
    other = make_wound(db, episode, label="heel", location=FootLocation.HEEL)
    make_measurement(db, other, measured_on=date(2026, 1, 6))
    with pytest.raises(Invalid, match="onset_on: must not be after the wound's first measurement"):
        service.update_wound(
            db=db, wound_id=other.id, expected_version=1, changes={"onset_on": date(2026, 1, 7)}
        )
    with pytest.raises(Invalid, match="onset_on: must not be in the future"):
        make_wound(db, episode, label="new", onset_on=date(2027, 1, 1))


def test_measurement_at_an_assessment_carries_its_date(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode)
    assessment = make_assessment(db, episode, assessed_on=date(2026, 1, 8))
    with pytest.raises(Invalid, match="measured_on: must be the date of the assessment"):
        make_measurement(db, wound, assessment_id=assessment.id)
    measured = make_measurement(
        db, wound, assessment_id=assessment.id, measured_on=date(2026, 1, 8)
    )
    assert measured.assessment_id == assessment.id
    other = make_episode(db, make_patient(db, make_site(db, code="x"), mrn="Z"))
    foreign = make_assessment(db, other)
    with pytest.raises(
        Invalid, match="assessment_id: must be an assessment of the wound's episode"
    ):
        make_measurement(db, wound, assessment_id=foreign.id)


def test_stale_versions_are_refused(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode)
    measurement = make_measurement(db, wound)
    service.update_measurement(
        db=db, measurement_id=measurement.id, expected_version=1, changes={"depth_cm": 0.2}
    )
    with pytest.raises(StaleUpdate, match="wound measurement"):
        service.update_measurement(
            db=db, measurement_id=measurement.id, expected_version=1, changes={"depth_cm": 0.4}
        )
    with pytest.raises(StaleUpdate, match="wound"):
        service.update_wound(db=db, wound_id=wound.id, expected_version=7, changes={})


def test_unknown_fields_are_refused(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode)
    with pytest.raises(Invalid, match="shoe_size: is not a field of a wound"):
        service.update_wound(db=db, wound_id=wound.id, expected_version=1, changes={"shoe_size": 9})
    with pytest.raises(Invalid, match="location"):
        service.update_wound(
            db=db, wound_id=wound.id, expected_version=1, changes={"location": "elbow"}
        )


def test_changes_are_audited(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode)
    measurement = make_measurement(db, wound)
    service.update_measurement(
        db=db, measurement_id=measurement.id, expected_version=1, changes={"depth_cm": 0.2}
    )
    service.delete_measurement(db=db, measurement_id=measurement.id, expected_version=2)
    entries = db.scalars(
        select(AuditEntry).where(AuditEntry.entity == "wound_measurements").order_by(AuditEntry.seq)
    ).all()
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.patient_id == episode.patient_id for e in entries)
    assert json.loads(entries[1].after or "{}") == {"depth_cm": 0.2}


def test_a_wound_with_measurements_cannot_be_deleted(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode)
    measurement = make_measurement(db, wound)
    with pytest.raises(Conflict, match=r"wound \d+ has 1 measurement\(s\); delete them first"):
        service.delete_wound(db=db, wound_id=wound.id, expected_version=1)
    service.delete_measurement(db=db, measurement_id=measurement.id, expected_version=1)
    service.delete_wound(db=db, wound_id=wound.id, expected_version=1)
    assert service.list_wounds(db=db, episode_id=episode.id) == []


def test_area_progress_since_baseline_and_at_four_weeks(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode)
    make_measurement(db, wound, area_cm2=3.0, measured_on=date(2026, 1, 6))
    progress = service.wound_area_progress(db=db, wound_id=wound.id)
    assert progress.since_baseline is None
    assert "a second measured day" in progress.since_baseline_reason
    make_measurement(db, wound, area_cm2=2.0, measured_on=date(2026, 1, 20))
    make_measurement(db, wound, area_cm2=1.2, measured_on=date(2026, 2, 2))
    make_measurement(db, wound, area_cm2=0.6, measured_on=date(2026, 2, 16))
    progress = service.wound_area_progress(db=db, wound_id=wound.id)
    assert progress.since_baseline is not None
    assert progress.since_baseline.percent_reduction == pytest.approx(80)
    assert progress.four_week is not None
    assert progress.four_week.measured_on == date(2026, 2, 2)
    assert progress.four_week.percent_reduction == pytest.approx(60)
    assert progress.four_week.meets_four_week_target is True


def test_a_new_measurement_proposes_a_new_staging(db: Session, episode: Episode) -> None:
    wound = make_wound(db, episode)
    make_measurement(db, wound)
    snapshots = db.scalars(
        select(StagingSnapshot).where(StagingSnapshot.episode_id == episode.id)
    ).all()
    assert [s.trigger.split(" ")[:2] for s in snapshots] == [["wound", "measurement"]]
    assert snapshots[0].results["wifi"]["error"].startswith("cannot classify wifi")


def test_wound_fields_are_strict() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        WoundFields(label="a", location="heel", colour="red")  # type: ignore[call-arg]
