"""A case on a conference date: why it is there, and the structured outcome."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from limbsalvage.core.vocabulary import AmputationLevel, ConferenceDecision
from limbsalvage.db.base import Base, Record, coded


class ConferenceCase(Record, Base):
    """An episode listed for one conference date, with its triggers and the decision taken."""

    __tablename__ = "conference_cases"
    __table_args__ = (
        UniqueConstraint("episode_id", "conference_on"),
        CheckConstraint(
            "decision <> 'amputation' OR amputation_level IS NOT NULL", name="amputation_has_level"
        ),
        CheckConstraint(
            "amputation_level IS NULL OR decision = 'amputation'", name="level_only_for_amputation"
        ),
        CheckConstraint(
            "decision <> 'other' OR decision_detail IS NOT NULL", name="other_has_detail"
        ),
        CheckConstraint("manual OR triggers IS NOT NULL", name="flagged_has_triggers"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"), index=True)
    conference_on: Mapped[date] = mapped_column(index=True)
    # [{"rule_id", "recommendation_id", "text"}] for cases flagged by the pathway rules.
    triggers: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    manual_reason: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[ConferenceDecision | None] = mapped_column(
        coded(ConferenceDecision, "conference_decision")
    )
    amputation_level: Mapped[AmputationLevel | None] = mapped_column(
        coded(AmputationLevel, "amputation_level")
    )
    decision_detail: Mapped[str | None] = mapped_column(Text)
    reasons: Mapped[str | None] = mapped_column(Text)
    # [{"name", "role"}] with the role a `CareRole` code.
    attendees: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
