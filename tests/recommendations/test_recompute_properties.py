"""Recompute invariants over random sequences of engine outputs and answers, on both backends:
one current row per rule, current content equal to the last computation, unchanged rules keep
their row and answer, at most one open task per current accepted recommendation."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.care.models import CareTask
from limbsalvage.core.coordination.recommendations import RecommendationInput
from limbsalvage.core.vocabulary import RecommendationState, TaskStatus, Urgency
from limbsalvage.recommendations import service
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.recommendations.schemas import AcceptIn, OverrideIn
from tests.support.factories import make_episode, make_patient, make_site, recommendation

RULES = ("r.revasc", "r.imaging", "r.wound", "r.conference")
CATEGORIES = {
    "r.revasc": "revascularization",
    "r.imaging": "imaging",
    "r.wound": "wound_care",
    "r.conference": "conference_review",
}
items = st.builds(
    lambda rule, urgency, text: recommendation(
        rule, category=CATEGORIES[rule], urgency=urgency, text=text, strategy=None
    ),
    st.sampled_from(RULES),
    st.sampled_from(Urgency),
    st.sampled_from(["Do A.", "Do B."]),
)
outputs = st.lists(items, max_size=4, unique_by=lambda r: r.rule_id)
steps = st.lists(
    st.tuples(outputs, st.lists(st.sampled_from(["accept", "override"]), max_size=4)),
    min_size=1,
    max_size=4,
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_property_recompute_history_is_consistent(
    db: Session, steps: list[tuple[list[RecommendationInput], list[str]]]
) -> None:
    nested = db.begin_nested()
    try:
        site = make_site(db)
        episode = make_episode(db, make_patient(db, site))
        for output, answers in steps:
            before = {
                r.rule_id: (r.id, r.state)
                for r in service.list_recommendations(
                    db=db, episode_id=episode.id, site_ids=[site.id]
                )
            }
            summary = service.recompute_recommendations(
                db=db, episode_id=episode.id, computed=output, engine_version="p"
            )
            current = service.list_recommendations(db=db, episode_id=episode.id, site_ids=[site.id])
            assert sorted(r.rule_id for r in current) == sorted(r.rule_id for r in output)
            by_rule = {r.rule_id: r for r in current}
            for item in output:
                assert by_rule[item.rule_id].fingerprint == item.fingerprint()
            for row in summary.kept:  # no churn: same row, same answer
                assert before[row.rule_id] == (row.id, row.state)
            for row, answer in zip(current, answers, strict=False):
                if answer == "accept" and row.state is not RecommendationState.ACCEPTED:
                    service.accept_recommendation(
                        db=db,
                        recommendation_id=row.id,
                        accept_in=AcceptIn(version=row.version),
                        site_ids=[site.id],
                    )
                elif answer == "override":
                    service.override_recommendation(
                        db=db,
                        recommendation_id=row.id,
                        override_in=OverrideIn(version=row.version, reason="clinical judgement"),
                        site_ids=[site.id],
                    )
            open_tasks = db.scalars(
                select(CareTask).where(
                    CareTask.episode_id == episode.id, CareTask.status == TaskStatus.OPEN
                )
            ).all()
            for task in open_tasks:
                source = db.get_one(StoredRecommendation, task.recommendation_id)
                assert source.superseded_at is None
                assert source.state is RecommendationState.ACCEPTED
            # and every current accepted recommendation that implies a task has its open task
            tasked = {t.recommendation_id for t in open_tasks}
            for row in service.list_recommendations(
                db=db, episode_id=episode.id, site_ids=[site.id]
            ):
                if (
                    row.state is RecommendationState.ACCEPTED
                    and row.category != "conference_review"
                ):
                    assert row.id in tasked
        # every superseded row points at nothing or at a row of the same rule
        for row in db.scalars(
            select(StoredRecommendation).where(StoredRecommendation.superseded_at.is_not(None))
        ):
            if row.superseded_by_id is not None:
                assert db.get_one(StoredRecommendation, row.superseded_by_id).rule_id == row.rule_id
    finally:
        nested.rollback()
