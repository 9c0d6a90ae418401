"""Clinician facts per episode: append-only entries with who and when, the facts in force, clearing,
history, and each value checked against the pathway engine's field. SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import Role
from limbsalvage.errors import Invalid, NotFound
from limbsalvage.facts.models import ClinicianFact
from limbsalvage.facts.service import RECORDABLE, fact_history, facts_in_force, record_facts
from limbsalvage.patients.models import Episode
from tests.conftest import FIXED_NOW
from tests.support.factories import make_episode, make_patient, make_site, make_user


@pytest.fixture
def episode(db: Session) -> Episode:
    site = make_site(db)
    clinician = make_user(db, site, Role.CLINICIAN)
    db.info["actor_id"] = clinician.id
    return make_episode(db, make_patient(db, site))


def sites(episode: Episode) -> list[int]:
    return [episode.limb.patient.site_id]


def in_force(db: Session, episode: Episode) -> dict[str, object]:
    rows = facts_in_force(db=db, episode_id=episode.id, site_ids=sites(episode))
    return {name: row.value for name, row in rows.items()}


def test_facts_are_recorded_with_who_when_and_note(db: Session, episode: Episode) -> None:
    entries = record_facts(
        db=db,
        episode_id=episode.id,
        facts={"usable_gsv": "yes", "perioperative_mortality_pct": "2.5", "ambulatory": True},
        site_ids=sites(episode),
        note="vein mapping 1 March",
    )
    # In the order of the recordable facts (the form's order), whatever the order given.
    assert [e.name for e in entries] == sorted(
        ["usable_gsv", "perioperative_mortality_pct", "ambulatory"], key=RECORDABLE.index
    )
    assert in_force(db, episode) == {
        "usable_gsv": True,
        "perioperative_mortality_pct": 2.5,
        "ambulatory": True,
    }
    row = facts_in_force(db=db, episode_id=episode.id, site_ids=sites(episode))["usable_gsv"]
    assert row.recorded_by_id == db.info["actor_id"]
    assert row.recorded_at == FIXED_NOW
    assert row.note == "vein mapping 1 March"


def test_latest_entry_is_in_force_and_history_keeps_every_entry(
    db: Session, episode: Episode
) -> None:
    record_facts(db=db, episode_id=episode.id, facts={"usable_gsv": True}, site_ids=sites(episode))
    db.info["now"] = FIXED_NOW + timedelta(days=3)
    record_facts(db=db, episode_id=episode.id, facts={"usable_gsv": False}, site_ids=sites(episode))
    assert in_force(db, episode) == {"usable_gsv": False}
    history = fact_history(db=db, episode_id=episode.id, site_ids=sites(episode))
    assert [(h.value, h.recorded_at) for h in history] == [
        (False, FIXED_NOW + timedelta(days=3)),
        (True, FIXED_NOW),
    ]


def test_the_value_in_force_given_again_records_nothing(db: Session, episode: Episode) -> None:
    record_facts(db=db, episode_id=episode.id, facts={"usable_gsv": True}, site_ids=sites(episode))
    again = record_facts(
        db=db,
        episode_id=episode.id,
        facts={"usable_gsv": "yes", "inflow_disease": None},
        site_ids=sites(episode),
    )
    assert again == []
    assert len(fact_history(db=db, episode_id=episode.id, site_ids=sites(episode))) == 1


def test_clearing_a_fact_makes_it_unknown_again(db: Session, episode: Episode) -> None:
    record_facts(
        db=db,
        episode_id=episode.id,
        facts={"usable_gsv": True, "limited_life_expectancy": False},
        site_ids=sites(episode),
    )
    (cleared,) = record_facts(
        db=db, episode_id=episode.id, facts={"usable_gsv": ""}, site_ids=sites(episode)
    )
    assert cleared.value is None
    assert in_force(db, episode) == {"limited_life_expectancy": False}
    assert db.get(ClinicianFact, cleared.id) is not None  # a clearing entry, in the history
    assert len(fact_history(db=db, episode_id=episode.id, site_ids=sites(episode))) == 3


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        ({"usable_gsv": "maybe"}, "usable_gsv", "must be true or false"),
        ({"two_year_survival_pct": 120}, "two_year_survival_pct", "must be a number from 0 to 100"),
        ({"two_year_survival_pct": "nan"}, "two_year_survival_pct", "must be a finite number"),
        ({"patient_risk": "low"}, "patient_risk", "must be one of average, high"),
        ({"usable_gsv": [True]}, "usable_gsv", "must be a single value"),
        (
            {"patient_risk_override_reason": "frail\x00"},
            "patient_risk_override_reason",
            "must be text without control characters",
        ),
        ({"toe_pressure_mmhg": 20}, "toe_pressure_mmhg", "comes from the registry"),
        ({"gsv": True}, "gsv", "is not an input of the pathway engine"),
        (
            {"patient_risk_override_reason": "frail"},
            "patient_risk_override_reason",
            "must be a reason only together with patient_risk",
        ),
        (
            {"perioperative_mortality_pct": 2, "two_year_survival_pct": 80, "patient_risk": "high"},
            "patient_risk",
            "contradicts the other facts given",
        ),
    ],
)
def test_each_value_is_checked_against_the_engine_field(
    db: Session, episode: Episode, facts: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(Invalid) as refused:
        record_facts(db=db, episode_id=episode.id, facts=facts, site_ids=sites(episode))
    assert [p.field for p in refused.value.fields] == [field]
    assert message in refused.value.fields[0].message
    assert in_force(db, episode) == {}  # nothing half-written


def test_a_fact_the_patient_record_holds_is_changed_there(db: Session, episode: Episode) -> None:
    episode.limb.patient.ambulatory_status = "independent"
    db.flush()
    with pytest.raises(Invalid, match="ambulatory: comes from the patient's ambulatory status"):
        record_facts(
            db=db, episode_id=episode.id, facts={"ambulatory": False}, site_ids=sites(episode)
        )


def test_a_value_now_held_by_the_patient_record_can_be_resent_or_cleared(
    db: Session, episode: Episode
) -> None:
    record_facts(db=db, episode_id=episode.id, facts={"ambulatory": False}, site_ids=sites(episode))
    episode.limb.patient.ambulatory_status = "independent"
    db.flush()
    unchanged = {"ambulatory": "no", "usable_gsv": "yes"}  # the chart's form sends both
    (entry,) = record_facts(db=db, episode_id=episode.id, facts=unchanged, site_ids=sites(episode))
    assert entry.name == "usable_gsv"
    record_facts(db=db, episode_id=episode.id, facts={"ambulatory": None}, site_ids=sites(episode))
    assert "ambulatory" not in in_force(db, episode)


def test_another_sites_episode_is_not_found(db: Session, episode: Episode) -> None:
    other = make_site(db, code="south", name="South")
    for call in (
        lambda: record_facts(db=db, episode_id=episode.id, facts={}, site_ids=[other.id]),
        lambda: facts_in_force(db=db, episode_id=episode.id, site_ids=[other.id]),
        lambda: fact_history(db=db, episode_id=episode.id, site_ids=[other.id]),
    ):
        with pytest.raises(NotFound):
            call()
