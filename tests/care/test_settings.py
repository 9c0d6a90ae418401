"""Coordination settings read through the one SiteSettings schema, defaults where unset."""

import pytest
from sqlalchemy.orm import Session

from limbsalvage.accounts.service import update_site_settings
from limbsalvage.care.settings import coordination, site_zone
from limbsalvage.core.coordination.tasks import DEFAULT_DUE_HOURS
from limbsalvage.core.coordination.time_to_treatment import DEFAULT_TARGETS
from limbsalvage.core.vocabulary import CareRole, EpisodeCause, Urgency
from limbsalvage.errors import Invalid
from tests.support.factories import make_site


def test_defaults_when_nothing_is_set(db: Session) -> None:
    site = make_site(db)
    settings = coordination(site)
    assert settings.due_hours == DEFAULT_DUE_HOURS
    assert settings.targets == DEFAULT_TARGETS
    assert settings.owner_roles["imaging"] is CareRole.COORDINATOR
    assert settings.conference_weekday is None
    with pytest.raises(Invalid, match="time_zone: site north has no time zone"):
        site_zone(site)


def test_stored_settings_reach_the_services(db: Session) -> None:
    site = make_site(db)
    updated = update_site_settings(
        db=db,
        site_id=site.id,
        expected_version=1,
        changes={
            "time_zone": "Europe/Dublin",
            "coordination": {
                "task_due_hours": {"emergent": 4},
                "task_owner_roles": {"imaging": "interventionalist", "offloading": None},
                "time_to_treatment_targets": [
                    {"measure_id": "presentation_to_imaging", "days": 3, "citation": "local"}
                ],
                "conference_weekday": "thursday",
            },
        },
    )
    assert site_zone(updated).key == "Europe/Dublin"
    settings = coordination(updated)
    assert settings.due_hours[Urgency.EMERGENT] == 4
    assert settings.due_hours[Urgency.URGENT] == DEFAULT_DUE_HOURS[Urgency.URGENT]
    assert settings.owner_roles["imaging"] is CareRole.INTERVENTIONALIST
    assert settings.owner_roles["offloading"] is None
    assert settings.owner_roles["revascularization"] is CareRole.VASCULAR_SURGEON
    assert [(t.measure_id, t.days, t.causes) for t in settings.targets] == [
        ("presentation_to_imaging", 3, None)
    ]
    assert settings.conference_weekday == "thursday"


def test_targets_keep_their_setting_and_causes(db: Session) -> None:
    site = make_site(db)
    site.settings = {
        "coordination": {
            "time_to_treatment_targets": [
                {
                    "measure_id": "presentation_to_revascularization",
                    "days": 2,
                    "setting": "inpatient",
                    "causes": ["clti", "diabetic_foot"],
                    "citation": "regional network standard 2026",
                    "note": "stricter than the QIF",
                }
            ]
        }
    }
    (target,) = coordination(site).targets
    assert target.causes == frozenset({EpisodeCause.CLTI, EpisodeCause.DIABETIC_FOOT})
    assert (target.setting.value if target.setting else None, target.note) == (
        "inpatient",
        "stricter than the QIF",
    )
