"""The refresh after a findings entry: applied for pending recommendations, never over answered
ones that may rest on the clinician's facts, and never failing the entry. SQLite and PostgreSQL."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import RecommendationState
from limbsalvage.patients.models import Episode
from limbsalvage.recommendations import service
from limbsalvage.recommendations.after_restaging import refresh_after_findings
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.recommendations.refresh import refresh_for_episode
from limbsalvage.recommendations.schemas import AcceptIn
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


def test_pending_recommendations_are_recomputed(db: Session, episode: Episode) -> None:
    refresh_for_episode(
        db=db, episode_id=episode.id, site_ids=sites(episode), facts=CLINICIAN_FACTS
    )
    with_facts = set(current(db, episode))
    refreshed = refresh_after_findings(db=db, episode_id=episode.id, site_ids=sites(episode))
    assert refreshed.summary is not None
    assert refreshed.not_refreshed == ""
    # Without the facts the engine asks for the risk estimates again.
    assert "gvg.estimate_patient_risk" in current(db, episode)
    assert set(current(db, episode)) != with_facts


def test_answered_recommendations_are_not_recomputed_without_the_facts(
    db: Session, episode: Episode
) -> None:
    refresh_for_episode(
        db=db, episode_id=episode.id, site_ids=sites(episode), facts=CLINICIAN_FACTS
    )
    before = current(db, episode)
    for row in before.values():
        service.accept_recommendation(
            db=db,
            recommendation_id=row.id,
            accept_in=AcceptIn(version=row.version),
            site_ids=sites(episode),
        )
    refreshed = refresh_after_findings(db=db, episode_id=episode.id, site_ids=sites(episode))
    assert refreshed.summary is None
    assert "answered recommendation(s)" in refreshed.not_refreshed
    after = current(db, episode)
    assert set(after) == set(before)  # nothing superseded, nothing added
    assert all(r.state is RecommendationState.ACCEPTED for r in after.values())
