"""Stored recommendations: record the engine's output, accept or override, recompute.

A recompute keeps a recommendation whose content is unchanged (same row, same answer, same task),
supersedes a changed one (the old row stays in history and its open task is cancelled; the new
row waits for an answer) and withdraws one whose rule no longer fires.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.care import service as care
from limbsalvage.care.models import CareTask
from limbsalvage.care.scope import patient_visible, visible_episode
from limbsalvage.care.settings import from_core
from limbsalvage.core.coordination.recommendations import (
    RecommendationInput,
    plan_recompute,
)
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import RecommendationState, SupersededReason, Urgency
from limbsalvage.db.clock import now
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, NotFound, invalid
from limbsalvage.patients.models import Patient
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.recommendations.schemas import AcceptIn, OverrideIn
from limbsalvage.referrals.service import actor_id

URGENCY_RANK = {u: rank for rank, u in enumerate(Urgency)}
MAX_ENGINE_VERSION = 40


@dataclass
class RecomputeSummary:
    """What a recompute did: rows kept, added, added in place of changed ones, withdrawn."""

    kept: list[StoredRecommendation] = field(default_factory=list)
    added: list[StoredRecommendation] = field(default_factory=list)
    changed: list[StoredRecommendation] = field(default_factory=list)
    withdrawn: list[StoredRecommendation] = field(default_factory=list)

    @property
    def needs_acknowledgement(self) -> list[StoredRecommendation]:
        """The new rows a clinician must answer (added or changed)."""
        return [*self.added, *self.changed]


def _ordered(rows: Sequence[StoredRecommendation]) -> list[StoredRecommendation]:
    """Most urgent first, then in the order raised."""
    return sorted(rows, key=lambda r: (URGENCY_RANK[r.urgency], r.raised_at, r.id))


def _current(db: Session, episode_id: int) -> dict[str, StoredRecommendation]:
    rows = db.scalars(
        select(StoredRecommendation).where(
            StoredRecommendation.episode_id == episode_id,
            StoredRecommendation.superseded_at.is_(None),
        )
    )
    return {row.rule_id: row for row in rows}


def recompute_recommendations(
    *,
    db: Session,
    episode_id: int,
    computed: Sequence[RecommendationInput],
    engine_version: str,
    site_ids: Collection[int] | None = None,
    clinician_facts: list[dict[str, Any]] | None = None,
) -> RecomputeSummary:
    """Store a fresh computation for an episode without churning unchanged recommendations.

    `clinician_facts` (the facts in force, each with who and when) is stored on new rows and
    refreshed on kept ones, like the rationale; None when the caller does not know them.
    """
    if not engine_version.strip() or len(engine_version) > MAX_ENGINE_VERSION:
        raise invalid("engine_version", f"1–{MAX_ENGINE_VERSION} characters")
    episode = visible_episode(db, episode_id, site_ids)
    current = _current(db, episode.id)
    try:
        plan = plan_recompute(
            current={rule: row.fingerprint for rule, row in current.items()}, computed=computed
        )
    except InvalidInput as error:
        raise from_core(error) from error
    instant = now(db)
    summary = RecomputeSummary()
    for rule_id in plan.keep:
        row, item = current[rule_id], plan.by_rule[rule_id]
        # Explanation only: refreshed in place; the answer and the task stay.
        if row.rationale != item.rationale:
            row.rationale = item.rationale
        if list(row.missing) != list(item.missing):
            row.missing = list(item.missing)
        if clinician_facts is not None and row.clinician_facts != clinician_facts:
            row.clinician_facts = clinician_facts
        summary.kept.append(row)

    def add(rule_id: str) -> StoredRecommendation:
        item = plan.by_rule[rule_id]
        row = StoredRecommendation(
            patient_id=episode.patient_id,
            episode_id=episode.id,
            rule_id=item.rule_id,
            category=item.category,
            urgency=item.urgency,
            strategy=item.strategy,
            text=item.text,
            rationale=item.rationale,
            citation=item.citation,
            missing=list(item.missing),
            clinician_facts=clinician_facts,
            discussion=item.discussion,
            engine_version=engine_version,
            fingerprint=item.fingerprint(),
            raised_at=instant,
            state=RecommendationState.PENDING,
        )
        db.add(row)
        return row

    with guarded(db, conflict_message="the recommendations could not be stored"):
        summary.added = [add(rule_id) for rule_id in plan.add]
        summary.changed = [add(rule_id) for rule_id in plan.change]
    with guarded(db, conflict_message="the recommendations could not be stored"):
        for new in summary.changed:
            old = current[new.rule_id]
            _supersede(db, old, SupersededReason.CHANGED, instant, replaced_by=new.id)
        for rule_id in plan.withdraw:
            old = current[rule_id]
            _supersede(db, old, SupersededReason.WITHDRAWN, instant, replaced_by=None)
            summary.withdrawn.append(old)
    return summary


def _supersede(
    db: Session,
    old: StoredRecommendation,
    reason: SupersededReason,
    instant: datetime,
    *,
    replaced_by: int | None,
) -> None:
    old.superseded_at = instant
    old.superseded_reason = reason
    old.superseded_by_id = replaced_by
    why = (
        f"recommendation changed on recompute (now #{replaced_by}); answer the new one"
        if reason is SupersededReason.CHANGED
        else "recommendation withdrawn on recompute: its rule no longer applies"
    )
    care.cancel_recommendation_task(db=db, recommendation_id=old.id, reason=why)


def get_recommendation(
    *, db: Session, recommendation_id: int, site_ids: Collection[int]
) -> StoredRecommendation:
    """The stored recommendation, if its patient is at one of `site_ids`."""
    row = db.get(StoredRecommendation, recommendation_id)
    if row is None or not patient_visible(db, row.patient_id, site_ids):
        raise NotFound(message=f"recommendation {recommendation_id} not found")
    return row


def _answerable(
    db: Session, recommendation_id: int, version: int, site_ids: Collection[int]
) -> StoredRecommendation:
    row = get_recommendation(db=db, recommendation_id=recommendation_id, site_ids=site_ids)
    check_version(row, expected_version=version, entity="recommendation")
    if row.superseded_at is not None:
        current = "" if row.superseded_by_id is None else f" by #{row.superseded_by_id}"
        raise Conflict(
            message=(
                f"recommendation {row.id} was superseded{current} "
                f"({row.superseded_reason.value if row.superseded_reason else ''}); "
                "answer the current one"
            )
        )
    return row


def accept_recommendation(
    *, db: Session, recommendation_id: int, accept_in: AcceptIn, site_ids: Collection[int]
) -> tuple[StoredRecommendation, CareTask | None]:
    """Accept a current recommendation and create the task it implies (if any)."""
    row = _answerable(db, recommendation_id, accept_in.version, site_ids)
    if row.state is RecommendationState.ACCEPTED:
        raise Conflict(message=f"recommendation {row.id} is already accepted")
    with guarded(db, conflict_message="the answer could not be stored"):
        row.state = RecommendationState.ACCEPTED
        row.decided_at = now(db)
        row.decided_by_id = actor_id(db)
        row.override_reason = None
    return row, care.task_from_recommendation(db=db, recommendation=row)


def override_recommendation(
    *, db: Session, recommendation_id: int, override_in: OverrideIn, site_ids: Collection[int]
) -> StoredRecommendation:
    """Override a current recommendation with a reason; an open task from it is cancelled."""
    row = _answerable(db, recommendation_id, override_in.version, site_ids)
    with guarded(db, conflict_message="the answer could not be stored"):
        row.state = RecommendationState.OVERRIDDEN
        row.decided_at = now(db)
        row.decided_by_id = actor_id(db)
        row.override_reason = override_in.reason
    care.cancel_recommendation_task(
        db=db, recommendation_id=row.id, reason=f"recommendation overridden: {override_in.reason}"
    )
    return row


def list_recommendations(
    *,
    db: Session,
    episode_id: int,
    site_ids: Collection[int],
    include_superseded: bool = False,
) -> list[StoredRecommendation]:
    """The episode's current recommendations (or all, with history), most urgent first."""
    episode = visible_episode(db, episode_id, site_ids)
    query = select(StoredRecommendation).where(StoredRecommendation.episode_id == episode.id)
    if not include_superseded:
        query = query.where(StoredRecommendation.superseded_at.is_(None))
    return _ordered(list(db.scalars(query)))


def recommendation_history(
    *, db: Session, episode_id: int, rule_id: str, site_ids: Collection[int]
) -> list[StoredRecommendation]:
    """Every row one rule gave for the episode, oldest first (the last one current, if any)."""
    episode = visible_episode(db, episode_id, site_ids)
    return list(
        db.scalars(
            select(StoredRecommendation)
            .where(
                StoredRecommendation.episode_id == episode.id,
                StoredRecommendation.rule_id == rule_id,
            )
            .order_by(StoredRecommendation.raised_at, StoredRecommendation.id)
        )
    )


def awaiting_answer(*, db: Session, site_ids: Collection[int]) -> list[StoredRecommendation]:
    """Current recommendations no clinician has answered yet, at the caller's sites."""
    rows = db.scalars(
        select(StoredRecommendation)
        .join(Patient, Patient.id == StoredRecommendation.patient_id)
        .where(
            Patient.site_id.in_(site_ids),
            StoredRecommendation.superseded_at.is_(None),
            StoredRecommendation.state == RecommendationState.PENDING,
        )
    )
    return _ordered(list(rows))
