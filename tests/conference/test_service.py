"""The conference list: cases flagged by conference-review recommendations (WIfI 4, GLASS III,
indeterminate strategy, proposed major amputation) plus manual additions, structured outcomes,
agenda data. SQLite and PostgreSQL."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.conference import service
from limbsalvage.conference.schemas import ManualCaseIn, OutcomeIn
from limbsalvage.core.vocabulary import (
    AmputationLevel,
    ConferenceDecision,
    EpisodeStatus,
    Role,
    Side,
    Urgency,
)
from limbsalvage.db.audit import AuditEntry
from limbsalvage.errors import Conflict, Invalid, NotFound, StaleUpdate
from limbsalvage.patients.models import Episode
from limbsalvage.recommendations import service as recommendations
from limbsalvage.recommendations.schemas import OverrideIn
from tests.conftest import FIXED_NOW
from tests.support.factories import (
    make_episode,
    make_patient,
    make_site,
    make_user,
    recommendation,
    set_time_zone,
)

MONDAY = date(2026, 3, 2)  # FIXED_NOW's day
WIFI4 = recommendation(
    "conference.wifi4",
    category="conference_review",
    strategy=None,
    text="Discuss at the multidisciplinary conference: WIfI clinical stage 4.",
)
GLASS3 = recommendation(
    "conference.glass3",
    category="conference_review",
    strategy=None,
    text="Discuss at the multidisciplinary conference: GLASS stage III.",
)


def compute(db: Session, episode: Episode, *items: object) -> None:
    recommendations.recompute_recommendations(
        db=db, episode_id=episode.id, computed=list(items), engine_version="t"
    )


@pytest.fixture
def site(db: Session) -> Site:
    site = set_time_zone(db, make_site(db), "Europe/London")
    db.info["actor_id"] = make_user(db, site, Role.CLINICIAN).id
    return site


def outcome(**values: object) -> OutcomeIn:
    base: dict[str, object] = {
        "version": 1,
        "decision": "open_bypass",
        "reasons": "Good great saphenous vein; GLASS III favours bypass at average risk.",
        "attendees": [
            {"name": "Dr Vascular", "role": "vascular_surgeon"},
            {"name": "Dr Radiology", "role": "interventionalist"},
        ],
    }
    base.update(values)
    return OutcomeIn(**base)


def test_flagging_by_conference_review_recommendations(db: Session, site: Site) -> None:
    flagged = make_episode(db, make_patient(db, site))
    compute(db, flagged, WIFI4, GLASS3, recommendation())  # plus a non-conference one
    overridden = make_episode(db, make_patient(db, site, mrn="B", family_name="Babbage"))
    compute(db, overridden, WIFI4)
    (row,) = recommendations.list_recommendations(
        db=db, episode_id=overridden.id, site_ids=[site.id]
    )
    recommendations.override_recommendation(
        db=db,
        recommendation_id=row.id,
        override_in=OverrideIn(version=1, reason="Discussed at the ward round with the family"),
        site_ids=[site.id],
    )
    closed = make_episode(db, make_patient(db, site, mrn="C"), side=Side.RIGHT)
    compute(db, closed, WIFI4)
    closed.status, closed.closed_on = EpisodeStatus.CLOSED, date(2026, 2, 1)
    elsewhere = make_site(db, code="south", name="South")
    compute(db, make_episode(db, make_patient(db, elsewhere)), WIFI4)

    cases = service.flag_cases(db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id])
    assert [c.episode_id for c in cases] == [flagged.id]
    (case,) = cases
    assert [t["rule_id"] for t in case.triggers] == ["conference.wifi4", "conference.glass3"]
    assert case.triggers[0]["text"].startswith("Discuss at the multidisciplinary conference")
    assert (case.manual, case.patient_id, case.decision) == (False, flagged.patient_id, None)
    # flagging again changes nothing
    version = case.version
    again = service.flag_cases(db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id])
    assert [c.id for c in again] == [case.id]
    assert case.version == version


def test_a_decided_trigger_is_not_flagged_again_until_it_changes(db: Session, site: Site) -> None:
    episode = make_episode(db, make_patient(db, site))
    compute(db, episode, WIFI4)
    (case,) = service.flag_cases(db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id])
    service.record_outcome(db=db, case_id=case.id, outcome_in=outcome(), site_ids=[site.id])
    next_week = MONDAY + timedelta(days=7)
    assert (
        service.flag_cases(db=db, site_id=site.id, conference_on=next_week, site_ids=[site.id])
        == []
    )
    db.info["now"] = FIXED_NOW + timedelta(days=3)
    compute(db, episode, replace(WIFI4, urgency=Urgency.EMERGENT))
    (new_case,) = service.flag_cases(
        db=db, site_id=site.id, conference_on=next_week, site_ids=[site.id]
    )
    assert new_case.id != case.id
    assert new_case.triggers[0]["recommendation_id"] != case.triggers[0]["recommendation_id"]


def test_new_triggers_merge_into_an_undecided_case(db: Session, site: Site) -> None:
    episode = make_episode(db, make_patient(db, site))
    compute(db, episode, WIFI4)
    (case,) = service.flag_cases(db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id])
    compute(db, episode, WIFI4, GLASS3)
    service.flag_cases(db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id])
    assert [t["rule_id"] for t in case.triggers] == ["conference.wifi4", "conference.glass3"]


def test_conference_weekday_is_enforced_when_set(db: Session, site: Site) -> None:
    with pytest.raises(Invalid, match="conference_weekday: not set"):
        service.next_conference(db=db, site_id=site.id, site_ids=[site.id])
    site.settings = {**site.settings, "coordination": {"conference_weekday": "thursday"}}
    db.flush()
    assert service.next_conference(db=db, site_id=site.id, site_ids=[site.id]) == date(2026, 3, 5)
    with pytest.raises(Invalid, match="conference_on: the site's conference is held on thursdays"):
        service.flag_cases(db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id])
    episode = make_episode(db, make_patient(db, site))
    with pytest.raises(Invalid, match="held on thursdays"):
        service.add_case(
            db=db,
            episode_id=episode.id,
            case_in=ManualCaseIn(conference_on=MONDAY, reason="x"),
            site_ids=[site.id],
        )


def test_manual_additions(db: Session, site: Site) -> None:
    episode = make_episode(db, make_patient(db, site))
    added = service.add_case(
        db=db,
        episode_id=episode.id,
        case_in=ManualCaseIn(conference_on=MONDAY, reason="Failing to heal after bypass"),
        site_ids=[site.id],
    )
    assert (added.manual, added.manual_reason, added.triggers) == (
        True,
        "Failing to heal after bypass",
        None,
    )
    with pytest.raises(Conflict, match="already added to that conference"):
        service.add_case(
            db=db,
            episode_id=episode.id,
            case_in=ManualCaseIn(conference_on=MONDAY, reason="again"),
            site_ids=[site.id],
        )
    flagged_episode = make_episode(db, make_patient(db, site, mrn="F"))
    compute(db, flagged_episode, GLASS3)
    (flagged,) = service.flag_cases(
        db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id]
    )
    both = service.add_case(
        db=db,
        episode_id=flagged_episode.id,
        case_in=ManualCaseIn(conference_on=MONDAY, reason="Also wants plastic surgery input"),
        site_ids=[site.id],
    )
    assert both.id == flagged.id
    assert both.manual
    assert both.triggers is not None
    with pytest.raises(NotFound, match=f"episode {episode.id} not found"):
        service.add_case(
            db=db,
            episode_id=episode.id,
            case_in=ManualCaseIn(conference_on=MONDAY, reason="x"),
            site_ids=[999],
        )


def test_structured_outcome(db: Session, site: Site) -> None:
    episode = make_episode(db, make_patient(db, site))
    case = service.add_case(
        db=db,
        episode_id=episode.id,
        case_in=ManualCaseIn(conference_on=MONDAY, reason="Unsalvageable foot?"),
        site_ids=[site.id],
    )
    decided = service.record_outcome(
        db=db,
        case_id=case.id,
        outcome_in=outcome(
            decision="amputation",
            amputation_level="below_knee",
            reasons="Non-reconstructable disease, extensive forefoot necrosis; patient's choice "
            "after discussion of options.",
        ),
        site_ids=[site.id],
    )
    assert (decided.decision, decided.amputation_level) == (
        ConferenceDecision.AMPUTATION,
        AmputationLevel.BELOW_KNEE,
    )
    assert decided.attendees[0] == {"name": "Dr Vascular", "role": "vascular_surgeon"}
    assert (decided.decided_at, decided.decided_by_id) == (FIXED_NOW, db.info["actor_id"])
    corrected = service.record_outcome(
        db=db,
        case_id=case.id,
        outcome_in=outcome(version=2, decision="other", decision_detail="Second opinion"),
        site_ids=[site.id],
    )
    assert (corrected.decision, corrected.amputation_level) == (ConferenceDecision.OTHER, None)
    with pytest.raises(StaleUpdate):
        service.record_outcome(db=db, case_id=case.id, outcome_in=outcome(), site_ids=[site.id])
    with pytest.raises(Conflict, match="has an outcome; it stays on record"):
        service.remove_case(db=db, case_id=case.id, expected_version=3, site_ids=[site.id])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"decision": "amputation"}, "amputation_level: required when the decision is amputation"),
        ({"amputation_level": "toe"}, "amputation_level: only with the decision amputation"),
        ({"decision": "other"}, "decision_detail: required when the decision is other"),
        ({"attendees": []}, "attendees"),
        ({"reasons": ""}, "reasons"),
        ({"decision": "wait"}, "decision"),
        ({"attendees": [{"name": "X", "role": "surgeon"}]}, "role"),
    ],
)
def test_outcome_validation(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        outcome(**values)


def test_no_outcome_before_the_conference_meets(db: Session, site: Site) -> None:
    episode = make_episode(db, make_patient(db, site))
    case = service.add_case(
        db=db,
        episode_id=episode.id,
        case_in=ManualCaseIn(conference_on=MONDAY + timedelta(days=7), reason="x"),
        site_ids=[site.id],
    )
    with pytest.raises(Invalid, match="conference_on: the conference has not met yet"):
        service.record_outcome(db=db, case_id=case.id, outcome_in=outcome(), site_ids=[site.id])
    site.settings = {}  # without a time zone the UTC day guards the same way
    db.flush()
    with pytest.raises(Invalid, match="has not met yet"):
        service.record_outcome(db=db, case_id=case.id, outcome_in=outcome(), site_ids=[site.id])
    service.remove_case(db=db, case_id=case.id, expected_version=1, site_ids=[site.id])
    with pytest.raises(NotFound, match=f"conference case {case.id} not found"):
        service.get_case(db=db, case_id=case.id, site_ids=[site.id])


def test_agenda_data(db: Session, site: Site) -> None:
    babbage = make_episode(db, make_patient(db, site, mrn="B", family_name="Babbage"))
    lovelace = make_episode(
        db, make_patient(db, site), side=Side.RIGHT, presented_on=date(2026, 2, 20)
    )
    compute(db, lovelace, WIFI4, recommendation())
    service.flag_cases(db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id])
    service.add_case(
        db=db,
        episode_id=babbage.id,
        case_in=ManualCaseIn(conference_on=MONDAY, reason="Second opinion requested"),
        site_ids=[site.id],
    )
    agenda = service.conference_agenda(
        db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id]
    )
    assert (agenda.site_name, agenda.conference_on) == ("North Limb Salvage", MONDAY)
    assert [c.patient.family_name for c in agenda.cases] == ["Babbage", "Lovelace"]
    first, second = agenda.cases
    assert (first.manual_reason, first.triggers, first.recommendations) == (
        "Second opinion requested",
        (),
        (),
    )
    assert second.side == "right"
    assert [t["rule_id"] for t in second.triggers] == ["conference.wifi4"]
    assert [r.rule_id for r in second.recommendations] == ["conference.wifi4", "gvg.revasc.avg"]
    assert second.timing is not None
    revasc = {m.measure_id: m for m in second.timing.measures}["presentation_to_revascularization"]
    assert revasc.elapsed_days == 10
    access = db.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "conference_cases", AuditEntry.action == "list"
        )
    ).one()
    assert access.detail == "agenda 2026-03-02: 2 cases"
    site.settings = {}
    db.flush()
    no_zone = service.conference_agenda(
        db=db, site_id=site.id, conference_on=MONDAY, site_ids=[site.id]
    )
    assert no_zone.cases[0].timing is None
    with pytest.raises(NotFound, match=f"site {site.id} not found"):
        service.list_cases(db=db, site_id=site.id, conference_on=MONDAY, site_ids=[999])
