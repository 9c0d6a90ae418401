"""Medications of best medical therapy; the drug class and statin intensity are derived."""

from datetime import date

from sqlalchemy import CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from limbsalvage.core.vocabulary import Drug
from limbsalvage.db.base import Base, Record, coded


class Medication(Record, Base):
    """A drug taken from `started_on` until `stopped_on` (open while null)."""

    __tablename__ = "medications"
    __table_args__ = (
        CheckConstraint(
            "stopped_on IS NULL OR stopped_on >= started_on", name="stopped_after_start"
        ),
        CheckConstraint(
            "daily_dose_mg IS NULL OR (daily_dose_mg > 0 AND daily_dose_mg <= 5000)",
            name="daily_dose_in_range",
        ),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id"), index=True)
    drug: Mapped[Drug] = mapped_column(coded(Drug, "drug"))
    daily_dose_mg: Mapped[float | None] = mapped_column(Float)
    started_on: Mapped[date]
    stopped_on: Mapped[date | None]
    stop_reason: Mapped[str | None] = mapped_column(String(200))
