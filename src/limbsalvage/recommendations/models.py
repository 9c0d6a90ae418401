"""A recommendation as the engine gave it for an episode, the clinician's answer, its history."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from limbsalvage.core.vocabulary import (
    RecommendationState,
    RevascularizationStrategy,
    SupersededReason,
    Urgency,
)
from limbsalvage.db.base import Base, Record, coded


class StoredRecommendation(Record, Base):
    """One recommendation of one rule for one episode; current until superseded.

    `fingerprint` covers what the recommendation asks for (rule, category, urgency, strategy,
    text, citation, discussion framing): a recompute giving the same fingerprint keeps this row
    and its answer; a different one supersedes it and asks for a new answer.
    """

    __tablename__ = "recommendations"
    __table_args__ = (
        CheckConstraint(
            "state <> 'overridden' OR override_reason IS NOT NULL", name="override_has_reason"
        ),
        CheckConstraint("(state = 'pending') = (decided_at IS NULL)", name="decision_has_time"),
        CheckConstraint(
            "(superseded_at IS NULL) = (superseded_reason IS NULL)", name="superseded_has_reason"
        ),
        # The worklist's "awaiting revascularization" filter: the current recommendations of a
        # category and their state, from the index alone.
        Index(
            "ix_recommendations_category_current",
            "category",
            "superseded_at",
            "state",
            "episode_id",
        ),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    # The engine's category code (revascularization, imaging, conference_review…); the
    # vocabulary belongs to the pathway engine and grows with its rules.
    category: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[Urgency] = mapped_column(coded(Urgency, "urgency"))
    strategy: Mapped[RevascularizationStrategy | None] = mapped_column(
        coded(RevascularizationStrategy, "revascularization_strategy")
    )
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(Text)
    missing: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The clinician facts in force when computed: [{name, value, fact_id, recorded_by_id,
    # recorded_at}]; NULL on rows computed before facts were stored (unknown which were used).
    clinician_facts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    discussion: Mapped[bool] = mapped_column(Boolean, default=False)
    engine_version: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(64))
    raised_at: Mapped[datetime]
    state: Mapped[RecommendationState] = mapped_column(
        coded(RecommendationState, "recommendation_state"), default=RecommendationState.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    override_reason: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[datetime | None]
    superseded_reason: Mapped[SupersededReason | None] = mapped_column(
        coded(SupersededReason, "superseded_reason")
    )
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
