"""Stored recommendations: accept / override with who, when and why; recompute without churn;
history of superseded rows; tasks from accepted recommendations. SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.care import service as care
from limbsalvage.care.models import CareTask
from limbsalvage.core.coordination.recommendations import RecommendationInput
from limbsalvage.core.vocabulary import (
    CareRole,
    RecommendationState,
    Role,
    SupersededReason,
    TaskStatus,
    Urgency,
)
from limbsalvage.db.audit import AuditEntry
from limbsalvage.errors import Conflict, Invalid, NotFound, StaleUpdate
from limbsalvage.patients.models import Episode
from limbsalvage.recommendations import service
from limbsalvage.recommendations.schemas import AcceptIn, OverrideIn
from limbsalvage.recommendations.service import RecomputeSummary
from tests.conftest import FIXED_NOW
from tests.support.factories import (
    make_episode,
    make_patient,
    make_site,
    make_user,
    recommendation,
)

ENGINE = "pathway-0.1"


@pytest.fixture
def episode(db: Session) -> Episode:
    site = make_site(db)
    db.info["actor_id"] = make_user(db, site, Role.CLINICIAN).id
    return make_episode(db, make_patient(db, site))


def ids(episode: Episode) -> list[int]:
    return [episode.limb.patient.site_id]


def recompute(db: Session, episode: Episode, *items: RecommendationInput) -> RecomputeSummary:
    return service.recompute_recommendations(
        db=db, episode_id=episode.id, computed=list(items), engine_version=ENGINE
    )


def test_first_computation_stores_pending_rows_most_urgent_first(
    db: Session, episode: Episode
) -> None:
    summary = recompute(
        db,
        episode,
        recommendation(
            "medical", category="medical_therapy", urgency=Urgency.ROUTINE, strategy=None
        ),
        recommendation("drain", category="infection_control", urgency=Urgency.EMERGENT),
        recommendation(),
    )
    assert [r.rule_id for r in summary.added] == ["medical", "drain", "gvg.revasc.avg"]
    assert summary.kept == summary.changed == summary.withdrawn == []
    rows = service.list_recommendations(db=db, episode_id=episode.id, site_ids=ids(episode))
    assert [r.rule_id for r in rows] == ["drain", "gvg.revasc.avg", "medical"]
    first = rows[1]
    assert (first.state, first.raised_at, first.engine_version) == (
        RecommendationState.PENDING,
        FIXED_NOW,
        ENGINE,
    )
    assert first.patient_id == episode.patient_id
    assert first.missing == ["toe_pressure_mmhg"]
    assert len(first.fingerprint) == 64
    pending = service.awaiting_answer(db=db, site_ids=ids(episode))
    assert [r.rule_id for r in pending] == ["drain", "gvg.revasc.avg", "medical"]


def test_accept_creates_one_task_due_from_when_it_was_raised(db: Session, episode: Episode) -> None:
    (row,) = recompute(db, episode, recommendation()).added
    db.info["now"] = FIXED_NOW + timedelta(hours=30)  # accepted 30 h later
    accepted, task = service.accept_recommendation(
        db=db, recommendation_id=row.id, accept_in=AcceptIn(version=1), site_ids=ids(episode)
    )
    assert (accepted.state, accepted.decided_at) == (
        RecommendationState.ACCEPTED,
        FIXED_NOW + timedelta(hours=30),
    )
    assert accepted.decided_by_id == db.info["actor_id"]
    assert task is not None
    assert (task.owner_role, task.urgency, task.recommendation_id) == (
        CareRole.VASCULAR_SURGEON,
        Urgency.URGENT,
        row.id,
    )
    assert task.due_at == FIXED_NOW + timedelta(hours=48)  # not moved by the late answer
    assert task.title == row.text
    assert "Global Vascular Guidelines" in (task.detail or "")
    with pytest.raises(Conflict, match="already accepted"):
        service.accept_recommendation(
            db=db, recommendation_id=row.id, accept_in=AcceptIn(version=2), site_ids=ids(episode)
        )


def test_categories_without_a_task(db: Session, episode: Episode) -> None:
    summary = recompute(
        db,
        episode,
        recommendation("conf", category="conference_review", strategy=None),
        recommendation("info", category="information", strategy=None),
    )
    for row in summary.added:
        _, task = service.accept_recommendation(
            db=db, recommendation_id=row.id, accept_in=AcceptIn(version=1), site_ids=ids(episode)
        )
        assert task is None


def test_override_needs_a_reason_and_cancels_the_task(db: Session, episode: Episode) -> None:
    (row,) = recompute(db, episode, recommendation()).added
    with pytest.raises(ValidationError, match="reason"):
        OverrideIn(version=1, reason="   ")
    _, task = service.accept_recommendation(
        db=db, recommendation_id=row.id, accept_in=AcceptIn(version=1), site_ids=ids(episode)
    )
    overridden = service.override_recommendation(
        db=db,
        recommendation_id=row.id,
        override_in=OverrideIn(version=2, reason="Patient declines intervention after discussion"),
        site_ids=ids(episode),
    )
    assert overridden.state is RecommendationState.OVERRIDDEN
    assert overridden.override_reason == "Patient declines intervention after discussion"
    assert task is not None
    assert task.status is TaskStatus.CANCELLED
    assert task.cancel_reason == (
        "recommendation overridden: Patient declines intervention after discussion"
    )
    # Accepting again reopens the same task (one task per recommendation), due as before.
    again, same_task = service.accept_recommendation(
        db=db, recommendation_id=row.id, accept_in=AcceptIn(version=3), site_ids=ids(episode)
    )
    assert again.override_reason is None
    assert same_task is not None
    assert (same_task.id, same_task.status, same_task.cancel_reason) == (
        task.id,
        TaskStatus.OPEN,
        None,
    )
    assert same_task.due_at == FIXED_NOW + timedelta(hours=48)
    decisions = db.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "recommendations", AuditEntry.action == "update"
        )
    ).all()
    assert len(decisions) == 3  # accept, override, accept: the audit log keeps each answer


def test_recompute_with_unchanged_content_has_no_churn(db: Session, episode: Episode) -> None:
    (row,) = recompute(db, episode, recommendation()).added
    _, task = service.accept_recommendation(
        db=db, recommendation_id=row.id, accept_in=AcceptIn(version=1), site_ids=ids(episode)
    )
    version = row.version
    db.info["now"] = FIXED_NOW + timedelta(days=1)
    summary = recompute(db, episode, recommendation())
    assert [r.id for r in summary.kept] == [row.id]
    assert summary.needs_acknowledgement == []
    assert (row.state, row.version, row.raised_at) == (
        RecommendationState.ACCEPTED,
        version,
        FIXED_NOW,
    )
    # a new explanation (rationale, missing data) is refreshed in place, still no new answer
    summary = recompute(
        db, episode, recommendation(rationale="WIfI stage 3 (W2 I2 fI0); GLASS I.", missing=())
    )
    assert [r.id for r in summary.kept] == [row.id]
    assert row.rationale == "WIfI stage 3 (W2 I2 fI0); GLASS I."
    assert row.missing == []
    assert row.state is RecommendationState.ACCEPTED
    assert db.scalar(select(func.count()).select_from(CareTask)) == 1
    assert task is not None
    assert task.status is TaskStatus.OPEN


def test_changed_recommendation_supersedes_and_asks_again(db: Session, episode: Episode) -> None:
    (old,) = recompute(db, episode, recommendation()).added
    _, task = service.accept_recommendation(
        db=db, recommendation_id=old.id, accept_in=AcceptIn(version=1), site_ids=ids(episode)
    )
    later = FIXED_NOW + timedelta(days=2)
    db.info["now"] = later
    summary = recompute(db, episode, recommendation(urgency=Urgency.EMERGENT))
    (new,) = summary.changed
    assert summary.needs_acknowledgement == [new]
    assert (new.state, new.raised_at, new.urgency) == (
        RecommendationState.PENDING,
        later,
        Urgency.EMERGENT,
    )
    assert (old.superseded_at, old.superseded_reason, old.superseded_by_id) == (
        later,
        SupersededReason.CHANGED,
        new.id,
    )
    assert old.state is RecommendationState.ACCEPTED  # its answer stays in history
    assert task is not None
    assert task.status is TaskStatus.CANCELLED
    assert f"now #{new.id}" in (task.cancel_reason or "")
    history = service.recommendation_history(
        db=db, episode_id=episode.id, rule_id="gvg.revasc.avg", site_ids=ids(episode)
    )
    assert [r.id for r in history] == [old.id, new.id]
    current = service.list_recommendations(db=db, episode_id=episode.id, site_ids=ids(episode))
    assert [r.id for r in current] == [new.id]
    everything = service.list_recommendations(
        db=db, episode_id=episode.id, site_ids=ids(episode), include_superseded=True
    )
    assert [r.id for r in everything] == [new.id, old.id]
    with pytest.raises(Conflict, match=f"superseded by #{new.id} \\(changed\\)"):
        service.override_recommendation(
            db=db,
            recommendation_id=old.id,
            override_in=OverrideIn(version=old.version, reason="x"),
            site_ids=ids(episode),
        )
    _, new_task = service.accept_recommendation(
        db=db, recommendation_id=new.id, accept_in=AcceptIn(version=1), site_ids=ids(episode)
    )
    assert new_task is not None
    assert new_task.due_at == later + timedelta(hours=6)


def test_vanished_recommendation_is_withdrawn(db: Session, episode: Episode) -> None:
    keep, gone = recompute(
        db, episode, recommendation("keep"), recommendation("gone", category="imaging")
    ).added
    _, task = service.accept_recommendation(
        db=db, recommendation_id=gone.id, accept_in=AcceptIn(version=1), site_ids=ids(episode)
    )
    summary = recompute(db, episode, recommendation("keep"))
    assert [r.id for r in summary.kept] == [keep.id]
    assert [r.id for r in summary.withdrawn] == [gone.id]
    assert (gone.superseded_reason, gone.superseded_by_id) == (SupersededReason.WITHDRAWN, None)
    assert task is not None
    assert task.status is TaskStatus.CANCELLED
    assert "no longer applies" in (task.cancel_reason or "")
    with pytest.raises(Conflict, match=r"superseded \(withdrawn\)"):
        service.accept_recommendation(
            db=db,
            recommendation_id=gone.id,
            accept_in=AcceptIn(version=gone.version),
            site_ids=ids(episode),
        )
    # the rule firing again later is a new recommendation, asked afresh
    summary = recompute(
        db, episode, recommendation("keep"), recommendation("gone", category="imaging")
    )
    assert [r.rule_id for r in summary.added] == ["gone"]


def test_completed_tasks_stay_done_when_superseded(db: Session, episode: Episode) -> None:
    (row,) = recompute(db, episode, recommendation()).added
    _, task = service.accept_recommendation(
        db=db, recommendation_id=row.id, accept_in=AcceptIn(version=1), site_ids=ids(episode)
    )
    assert task is not None
    care.complete_task(db=db, task_id=task.id, expected_version=1, site_ids=ids(episode))
    recompute(db, episode)
    assert task.status is TaskStatus.DONE


def test_inputs_and_scope_are_checked(db: Session, episode: Episode) -> None:
    with pytest.raises(Invalid, match="engine_version: 1–40 characters"):
        service.recompute_recommendations(
            db=db, episode_id=episode.id, computed=[], engine_version=" "
        )
    with pytest.raises(Invalid, match="rule_id: must be each rule at most once"):
        recompute(db, episode, recommendation(), recommendation())
    (row,) = recompute(db, episode, recommendation()).added
    with pytest.raises(StaleUpdate):
        service.accept_recommendation(
            db=db, recommendation_id=row.id, accept_in=AcceptIn(version=7), site_ids=ids(episode)
        )
    other = make_site(db, code="south", name="South")
    with pytest.raises(NotFound, match=f"recommendation {row.id} not found"):
        service.get_recommendation(db=db, recommendation_id=row.id, site_ids=[other.id])
    with pytest.raises(NotFound, match=f"episode {episode.id} not found"):
        service.list_recommendations(db=db, episode_id=episode.id, site_ids=[other.id])
    assert service.awaiting_answer(db=db, site_ids=[other.id]) == []
