"""A site's coordination settings: checked before they are stored, defaults where unset."""

import pytest
from sqlalchemy.orm import Session

from limbsalvage.care.settings import coordination, parse_coordination, update_site_coordination
from limbsalvage.core.coordination.tasks import DEFAULT_DUE_HOURS
from limbsalvage.core.coordination.time_to_treatment import DEFAULT_TARGETS
from limbsalvage.core.vocabulary import CareRole, Urgency
from limbsalvage.errors import Invalid, NotFound, StaleUpdate
from tests.support.factories import make_site


def test_defaults_when_nothing_is_set(db: Session) -> None:
    settings = coordination(make_site(db))
    assert settings.due_hours == DEFAULT_DUE_HOURS
    assert settings.targets == DEFAULT_TARGETS
    assert settings.owner_roles["imaging"] is CareRole.COORDINATOR
    assert settings.conference_weekday is None


def test_update_checks_then_stores(db: Session) -> None:
    site = make_site(db)
    updated = update_site_coordination(
        db=db,
        site_id=site.id,
        expected_version=1,
        time_zone="Europe/Dublin",
        coordination_settings={
            "task_due_hours": {"emergent": 4},
            "task_owner_roles": {"imaging": "interventionalist", "offloading": None},
            "conference_weekday": "thursday",
        },
    )
    assert updated.settings["time_zone"] == "Europe/Dublin"
    settings = coordination(updated)
    assert settings.due_hours[Urgency.EMERGENT] == 4
    assert settings.owner_roles["imaging"] is CareRole.INTERVENTIONALIST
    assert settings.owner_roles["offloading"] is None
    assert settings.conference_weekday == "thursday"
    with pytest.raises(StaleUpdate):
        update_site_coordination(db=db, site_id=site.id, expected_version=1, time_zone="UTC")
    with pytest.raises(NotFound, match="site 999999 not found"):
        update_site_coordination(db=db, site_id=999999, expected_version=1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"colour": "red"}, "coordination.colour: not a setting"),
        ({"task_due_hours": {"urgent": -1}}, r"task_due_hours\.urgent: must be a number of hours"),
        ({"task_owner_roles": {"imaging": "radiographer"}}, "task_owner_roles.imaging: must be"),
        ({"conference_weekday": "caturday"}, "conference_weekday: must be one of monday"),
        (
            {"time_to_treatment_targets": [{"measure_id": "x", "days": 1, "citation": "c"}]},
            r"time_to_treatment_targets\[0\]\.measure_id: must be",
        ),
    ],
)
def test_bad_settings_are_named(raw: dict, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        parse_coordination(raw)


def test_bad_time_zone_is_refused(db: Session) -> None:
    site = make_site(db)
    with pytest.raises(Invalid, match="time_zone: not a known IANA time zone"):
        update_site_coordination(db=db, site_id=site.id, expected_version=1, time_zone="Nowhere/X")
    assert "time_zone" not in site.settings
