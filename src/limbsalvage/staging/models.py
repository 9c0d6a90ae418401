"""Staging snapshots: what the engine proposed for an episode's limb, from which findings.

A snapshot is never recomputed in place: restaging (new findings, a new engine version) adds a
new snapshot. The result columns hold the stage in force for the snapshot (the engine's
proposal, or the clinician's override); the proposal itself stays in `results`.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from limbsalvage.core.vocabulary import StagingStatus
from limbsalvage.db.base import Base, Record, coded


class StagingSnapshot(Record, Base):
    """The staging of an episode's limb as of a date, with its inputs, rules and sources."""

    __tablename__ = "staging_snapshots"
    __table_args__ = (
        CheckConstraint(
            "status = 'proposed' OR (reviewed_at IS NOT NULL)", name="reviewed_has_time"
        ),
        CheckConstraint(
            "status != 'overridden' OR override_reason IS NOT NULL", name="override_has_reason"
        ),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"), index=True)
    # Findings dated on or before `as_of` are considered; `computed_at` is when.
    as_of: Mapped[date]
    computed_at: Mapped[datetime]
    engine_version: Mapped[str] = mapped_column(String(32))
    table_refs: Mapped[list[str]] = mapped_column(JSON)
    trigger: Mapped[str] = mapped_column(String(200))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("staging_snapshots.id"))
    # {kind: {"id", "date", "age_days", "window_days", "values"}} of each finding used,
    # and {system: inputs} as each system received them.
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    # {system: Classification.as_dict()} or {system: {"error": ..., "missing": [...]}}.
    results: Mapped[dict[str, Any]] = mapped_column(JSON)
    stale: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    missing: Mapped[list[str]] = mapped_column(JSON)

    status: Mapped[StagingStatus] = mapped_column(
        coded(StagingStatus, "staging_status"), default=StagingStatus.PROPOSED
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    override_reason: Mapped[str | None] = mapped_column(Text)
    # {column: {"proposed": value, "chosen": value}} for each overridden result column.
    overrides: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    # The stage in force (proposal, or override), one column per result a report filters on.
    wifi_wound_grade: Mapped[int | None] = mapped_column(Integer)
    wifi_ischemia_grade: Mapped[int | None] = mapped_column(Integer)
    wifi_infection_grade: Mapped[int | None] = mapped_column(Integer)
    wifi_stage: Mapped[int | None] = mapped_column(Integer)
    iwgdf_grade: Mapped[int | None] = mapped_column(Integer)
    glass_fp_grade: Mapped[int | None] = mapped_column(Integer)
    glass_ip_grade: Mapped[int | None] = mapped_column(Integer)
    glass_stage: Mapped[str | None] = mapped_column(String(3))
    glass_im_modifier: Mapped[str | None] = mapped_column(String(2))
    rutherford_category: Mapped[int | None] = mapped_column(Integer)
    ali_category: Mapped[str | None] = mapped_column(String(3))
    ceap_clinical_class: Mapped[str | None] = mapped_column(String(4))
    mess_score: Mapped[int | None] = mapped_column(Integer)
    enneking_stage: Mapped[str | None] = mapped_column(String(4))
    msts_percent: Mapped[float | None] = mapped_column(Float)
