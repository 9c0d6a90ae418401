"""One clinician fact entry: a pathway input's value for an episode, with who gave it and when."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from limbsalvage.db.base import Base, Record


class ClinicianFact(Record, Base):
    """An entry of the append-only record of clinician facts; never updated or deleted.

    The fact in force for (episode, name) is its latest entry; a `value` of NULL is a clearing
    entry (the fact is unknown again). Earlier entries are the history.
    """

    __tablename__ = "clinician_facts"
    __table_args__ = (Index("ix_clinician_facts_episode_name", "episode_id", "name", "id"),)

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"))
    # The pathway engine's input name (docs/pathway/input.md), e.g. `usable_gsv`.
    name: Mapped[str] = mapped_column(String(40))
    # JSON true/false, a number or a text; NULL clears the fact.
    value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]
