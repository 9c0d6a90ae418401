"""Recordable facts the registry holds itself: the 4-week wound area reduction from the episode's
wound measurements (core.wound_area: the measured day closest to day 28 within ±7 days of the
first, docs/registry/wounds.md), the least reduction of several wounds, nothing when a wound has
no 4-week value; while held, the stored fact is not used and recording one is refused naming
where it comes from. SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import Role
from limbsalvage.errors import Invalid
from limbsalvage.facts.registry import registry_held
from limbsalvage.facts.service import facts_in_force, record_facts, shadowed
from limbsalvage.patients.models import Episode
from limbsalvage.wounds.models import Wound
from tests.support.factories import (
    make_episode,
    make_measurement,
    make_patient,
    make_site,
    make_user,
    make_wound,
)

NAME = "wound_area_reduction_4wk_pct"
BASELINE = date(2026, 1, 6)
DAY_28 = date(2026, 2, 3)


@pytest.fixture
def episode(db: Session) -> Episode:
    site = make_site(db)
    db.info["actor_id"] = make_user(db, site, Role.CLINICIAN).id
    return make_episode(db, make_patient(db, site))


def sites(episode: Episode) -> list[int]:
    return [episode.limb.patient.site_id]


def measured(db: Session, wound: Wound, *areas: tuple[date, float]) -> None:
    for on, area in areas:
        make_measurement(db, wound, measured_on=on, length_cm=None, width_cm=None, area_cm2=area)


def test_the_reduction_at_4_weeks_comes_from_the_measurements(
    db: Session, episode: Episode
) -> None:
    wound = make_wound(db, episode)
    measured(db, wound, (BASELINE, 4.0), (DAY_28, 3.0))
    held = registry_held(db, episode)[NAME]
    assert held.value == pytest.approx(25.0)  # (4 − 3) / 4
    assert held.source.startswith("the wound measurements (wound 'hallux ulcer'")
    assert held.basis == (
        "the wound measurements: wound 'hallux ulcer' 4.00 cm² on 2026-01-06 → 3.00 cm² on "
        "2026-02-03 (day 28), 25.0% smaller"
    )


def test_several_wounds_give_the_least_reduction(db: Session, episode: Episode) -> None:
    healing = make_wound(db, episode)
    failing = make_wound(db, episode, label="heel ulcer", location="heel")
    measured(db, healing, (BASELINE, 4.0), (DAY_28, 1.0))  # 75% smaller
    measured(db, failing, (BASELINE, 2.0), (date(2026, 2, 1), 2.5))  # 25% larger, day 26
    held = registry_held(db, episode)[NAME]
    assert held.value == pytest.approx(-25.0)
    assert "wound 'heel ulcer'" in held.basis
    assert "25.0% larger; the least of 2 wounds" in held.basis


@pytest.mark.parametrize(
    "areas",
    [
        [(BASELINE, 4.0)],  # fewer than two measured days
        [(BASELINE, 4.0), (date(2026, 1, 16), 3.0)],  # none 21–35 days after baseline
        [(BASELINE, 0.0), (DAY_28, 1.0)],  # a zero baseline: no percentage
    ],
)
def test_a_wound_without_a_4_week_value_leaves_it_to_the_clinician(
    db: Session, episode: Episode, areas: list[tuple[date, float]]
) -> None:
    complete = make_wound(db, episode, label="heel ulcer", location="heel")
    measured(db, complete, (BASELINE, 4.0), (DAY_28, 3.0))
    measured(db, make_wound(db, episode), *areas)
    # The worst wound's trajectory is unknown: the registry gives nothing, the fact may be given.
    assert registry_held(db, episode) == {}
    (entry,) = record_facts(db=db, episode_id=episode.id, facts={NAME: 10}, site_ids=sites(episode))
    assert entry.value == 10.0


def test_no_wound_no_value(db: Session, episode: Episode) -> None:
    assert registry_held(db, episode, [NAME]) == {}


def test_a_wound_grown_past_the_fields_floor_is_given_at_the_floor(
    db: Session, episode: Episode
) -> None:
    wound = make_wound(db, episode)
    measured(db, wound, (BASELINE, 0.5), (DAY_28, 10.0))  # 1900% larger
    held = registry_held(db, episode)[NAME]
    assert held.value == -1000.0  # the engine field's floor: still a failure to shrink
    assert "1900.0% larger, given as -1000% (the field's floor)" in held.basis


def test_recording_the_fact_while_the_measurements_give_it_is_refused(
    db: Session, episode: Episode
) -> None:
    record_facts(db=db, episode_id=episode.id, facts={NAME: 60}, site_ids=sites(episode))
    wound = make_wound(db, episode)
    measured(db, wound, (BASELINE, 4.0), (DAY_28, 3.0))
    assert set(shadowed(db, episode, [NAME, "usable_gsv"])) == {NAME}
    with pytest.raises(Invalid) as refused:
        record_facts(db=db, episode_id=episode.id, facts={NAME: 10}, site_ids=sites(episode))
    (problem,) = refused.value.fields
    assert problem.field == NAME
    assert problem.message.startswith("comes from the wound measurements (wound 'hallux ulcer'")
    # The value in force re-sent unchanged (the chart's form) or cleared still saves.
    resent = record_facts(db=db, episode_id=episode.id, facts={NAME: 60}, site_ids=sites(episode))
    assert resent == []
    record_facts(db=db, episode_id=episode.id, facts={NAME: None}, site_ids=sites(episode))
    assert facts_in_force(db=db, episode_id=episode.id, site_ids=sites(episode)) == {}
