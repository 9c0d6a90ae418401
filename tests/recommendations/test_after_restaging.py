"""The refresh after a findings entry: it reuses the clinician facts in force, so answered
recommendations survive unless they really change (then answered again); answers given before
facts were stored are never undone; it never fails the entry. SQLite and PostgreSQL."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import RecommendationState
from limbsalvage.facts.models import ClinicianFact
from limbsalvage.facts.service import record_facts
from limbsalvage.patients.models import Episode
from limbsalvage.recommendations import service
from limbsalvage.recommendations.after_restaging import refresh_after_findings
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.recommendations.refresh import refresh_for_episode
from limbsalvage.recommendations.schemas import AcceptIn
from tests.conftest import FIXED_NOW
from tests.recommendations.test_refresh import CLINICIAN_FACTS
from tests.support.factories import make_episode, make_patient, make_site, make_worked_clti


@pytest.fixture
def episode(db: Session) -> Episode:
    site = make_site(db)
    episode = make_episode(db, make_patient(db, site))
    make_worked_clti(db, episode)
    return episode


def sites(episode: Episode) -> list[int]:
    return [episode.limb.patient.site_id]


def current(db: Session, episode: Episode) -> dict[str, StoredRecommendation]:
    rows = db.scalars(
        select(StoredRecommendation).where(
            StoredRecommendation.episode_id == episode.id,
            StoredRecommendation.superseded_at.is_(None),
        )
    )
    return {row.rule_id: row for row in rows}


def accept_all(db: Session, episode: Episode) -> dict[str, StoredRecommendation]:
    rows = current(db, episode)
    for row in rows.values():
        service.accept_recommendation(
            db=db,
            recommendation_id=row.id,
            accept_in=AcceptIn(version=row.version),
            site_ids=sites(episode),
        )
    return rows


def test_answered_recommendations_survive_because_the_stored_facts_are_reused(
    db: Session, episode: Episode
) -> None:
    refresh_for_episode(
        db=db, episode_id=episode.id, site_ids=sites(episode), facts=CLINICIAN_FACTS
    )
    before = accept_all(db, episode)
    refreshed = refresh_after_findings(db=db, episode_id=episode.id, site_ids=sites(episode))
    assert refreshed.summary is not None
    assert refreshed.not_refreshed == ""
    assert refreshed.summary.needs_acknowledgement == []
    assert refreshed.summary.withdrawn == []
    after = current(db, episode)
    assert {r.id for r in after.values()} == {r.id for r in before.values()}
    assert all(r.state is RecommendationState.ACCEPTED for r in after.values())
    assert "gvg.estimate_patient_risk" not in after  # the estimates are in force


def test_a_real_change_asks_for_acknowledgement_again(db: Session, episode: Episode) -> None:
    refresh_for_episode(
        db=db, episode_id=episode.id, site_ids=sites(episode), facts=CLINICIAN_FACTS
    )
    before = accept_all(db, episode)
    # The vein turns out unusable: the vein-mapping step no longer applies.
    record_facts(db=db, episode_id=episode.id, facts={"usable_gsv": False}, site_ids=sites(episode))
    refreshed = refresh_after_findings(db=db, episode_id=episode.id, site_ids=sites(episode))
    summary = refreshed.summary
    assert summary is not None
    gone = {r.rule_id for r in summary.withdrawn}
    assert "gvg.vein_mapping" in gone
    assert all(r.state is RecommendationState.ACCEPTED for r in summary.withdrawn)  # history
    assert all(r.state is RecommendationState.PENDING for r in summary.needs_acknowledgement)
    after = current(db, episode)
    for rule_id in set(before) & set(after):
        unchanged = after[rule_id].fingerprint == before[rule_id].fingerprint
        assert (after[rule_id].state is RecommendationState.ACCEPTED) is unchanged


def test_clearing_a_fact_makes_the_engine_ask_for_it(db: Session, episode: Episode) -> None:
    refresh_for_episode(
        db=db, episode_id=episode.id, site_ids=sites(episode), facts=CLINICIAN_FACTS
    )
    record_facts(
        db=db,
        episode_id=episode.id,
        facts={"two_year_survival_pct": None},
        site_ids=sites(episode),
    )
    refreshed = refresh_after_findings(db=db, episode_id=episode.id, site_ids=sites(episode))
    assert refreshed.summary is not None
    assert "gvg.estimate_patient_risk" in {r.rule_id for r in refreshed.summary.added}


def test_answers_given_before_facts_were_stored_are_not_undone(
    db: Session, episode: Episode
) -> None:
    refresh_for_episode(
        db=db, episode_id=episode.id, site_ids=sites(episode), facts=CLINICIAN_FACTS
    )
    before = accept_all(db, episode)
    for row in before.values():
        row.clinician_facts = None  # computed before this release: facts not known
    db.flush()
    record_facts(db=db, episode_id=episode.id, facts={"usable_gsv": None}, site_ids=sites(episode))
    refreshed = refresh_after_findings(db=db, episode_id=episode.id, site_ids=sites(episode))
    assert refreshed.summary is None
    assert "answered before clinician facts were stored" in refreshed.not_refreshed
    after = current(db, episode)
    assert {r.id for r in after.values()} == {r.id for r in before.values()}
    assert all(r.state is RecommendationState.ACCEPTED for r in after.values())


def test_a_refusal_leaves_the_recommendations_as_they_were(db: Session, episode: Episode) -> None:
    refresh_for_episode(db=db, episode_id=episode.id, site_ids=sites(episode))
    before = {r.id for r in current(db, episode).values()}
    db.add(
        ClinicianFact(
            patient_id=episode.patient_id,
            episode_id=episode.id,
            name="patient_risk_override_reason",  # stored without patient_risk: refused
            value="frail",
            recorded_at=FIXED_NOW,
        )
    )
    db.flush()
    refreshed = refresh_after_findings(db=db, episode_id=episode.id, site_ids=sites(episode))
    assert refreshed.summary is None
    assert refreshed.not_refreshed.startswith("patient_risk_override_reason: must be")
    assert {r.id for r in current(db, episode).values()} == before
