"""Procedures on a limb, the segments they treated, the grafts they built and duplex studies.

Whether a procedure is a major or minor reintervention and whether an amputation level is major
are derived from `kind` and `amputation_level` by cited tables (`limbsalvage.core.treatment`),
never stored.
"""

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from limbsalvage.core.vocabulary import (
    AmputationLevel,
    Conduit,
    DuplexPatency,
    LesionType,
    ProcedureKind,
    VesselSegment,
)
from limbsalvage.db.base import Base, Record, coded


class Procedure(Record, Base):
    """One procedure of one kind on one limb on a date (a session of several kinds is several)."""

    __tablename__ = "procedures"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'amputation' AND amputation_level IS NOT NULL) "
            "OR (kind <> 'amputation' AND amputation_level IS NULL)",
            name="amputation_level_iff_amputation",
        ),
        CheckConstraint(
            "conduit IS NULL OR kind IN ('bypass', 'graft_revision')",
            name="conduit_only_for_bypass",
        ),
        CheckConstraint("kind <> 'bypass' OR conduit IS NOT NULL", name="bypass_has_conduit"),
        CheckConstraint(
            "drug_eluting IS NULL OR kind IN ('stent', 'angioplasty')",
            name="drug_eluting_only_for_stent_or_balloon",
        ),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    limb_id: Mapped[int] = mapped_column(ForeignKey("limbs.id"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id"), index=True)
    performed_on: Mapped[date]
    kind: Mapped[ProcedureKind] = mapped_column(coded(ProcedureKind, "procedure_kind"))
    # Stent: drug-eluting or bare; angioplasty: drug-coated balloon or plain.
    drug_eluting: Mapped[bool | None] = mapped_column(Boolean)
    conduit: Mapped[Conduit | None] = mapped_column(coded(Conduit, "conduit"))
    amputation_level: Mapped[AmputationLevel | None] = mapped_column(
        coded(AmputationLevel, "amputation_level")
    )
    technical_success: Mapped[bool | None] = mapped_column(Boolean)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    complications: Mapped[str | None] = mapped_column(String(500))

    segments: Mapped[list["TreatedSegment"]] = relationship(
        back_populates="procedure", order_by="TreatedSegment.id"
    )
    grafts: Mapped[list["Graft"]] = relationship(back_populates="procedure", order_by="Graft.id")


class Graft(Record, Base):
    """A bypass (or jump/interposition) graft built by a procedure, from inflow to outflow."""

    __tablename__ = "grafts"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    inflow_segment: Mapped[VesselSegment] = mapped_column(coded(VesselSegment, "inflow_segment"))
    outflow_segment: Mapped[VesselSegment] = mapped_column(coded(VesselSegment, "outflow_segment"))

    procedure: Mapped[Procedure] = relationship(back_populates="grafts")


class TreatedSegment(Record, Base):
    """A segment a procedure treated; `graft_id` or `retreats_segment_id` mark a target lesion."""

    __tablename__ = "treated_segments"
    __table_args__ = (
        CheckConstraint(
            "lesion_length_cm IS NULL OR (lesion_length_cm > 0 AND lesion_length_cm <= 100)",
            name="lesion_length_in_range",
        ),
        CheckConstraint(
            "residual_stenosis_pct IS NULL OR "
            "(residual_stenosis_pct >= 0 AND residual_stenosis_pct <= 100)",
            name="residual_stenosis_in_range",
        ),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    segment: Mapped[VesselSegment] = mapped_column(coded(VesselSegment, "vessel_segment"))
    lesion: Mapped[LesionType | None] = mapped_column(coded(LesionType, "lesion_type"))
    lesion_length_cm: Mapped[float | None] = mapped_column(Float)
    residual_stenosis_pct: Mapped[float | None] = mapped_column(Float)
    # A lesion inside a graft, or the re-treatment of a segment treated before (target lesion).
    graft_id: Mapped[int | None] = mapped_column(ForeignKey("grafts.id"), index=True)
    retreats_segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("treated_segments.id"), index=True
    )

    procedure: Mapped[Procedure] = relationship(back_populates="segments")


class SurveillanceStudy(Record, Base):
    """A duplex study of one graft or one treated segment on a date."""

    __tablename__ = "surveillance_studies"
    __table_args__ = (
        CheckConstraint(
            "(graft_id IS NULL) <> (treated_segment_id IS NULL)", name="one_graft_or_segment"
        ),
        CheckConstraint(
            "peak_systolic_velocity_cm_s IS NULL OR "
            "(peak_systolic_velocity_cm_s >= 0 AND peak_systolic_velocity_cm_s <= 1000)",
            name="psv_in_range",
        ),
        CheckConstraint(
            "velocity_ratio IS NULL OR (velocity_ratio > 0 AND velocity_ratio <= 50)",
            name="velocity_ratio_in_range",
        ),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    graft_id: Mapped[int | None] = mapped_column(ForeignKey("grafts.id"), index=True)
    treated_segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("treated_segments.id"), index=True
    )
    studied_on: Mapped[date]
    patency: Mapped[DuplexPatency] = mapped_column(coded(DuplexPatency, "duplex_patency"))
    peak_systolic_velocity_cm_s: Mapped[float | None] = mapped_column(Float)
    velocity_ratio: Mapped[float | None] = mapped_column(Float)
