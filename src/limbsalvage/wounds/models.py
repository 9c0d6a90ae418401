"""Wounds of a limb and their serial measurements.

Percentage area reductions are derived on read (`limbsalvage.core.wound_area`), never stored.
The area itself is stored with how it was obtained (`area_method`): as given, or by the ellipse
formula from length and width when no area was given.
"""

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from limbsalvage.core.vocabulary import AreaMethod, FootLocation, WoundAetiology
from limbsalvage.core.wifi import Gangrene, Ulcer
from limbsalvage.db.base import Base, Record, coded


class Wound(Record, Base):
    """One wound of a limb, first recorded in an episode."""

    __tablename__ = "wounds"
    __table_args__ = (UniqueConstraint("episode_id", "label"),)

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    limb_id: Mapped[int] = mapped_column(ForeignKey("limbs.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    location: Mapped[FootLocation] = mapped_column(coded(FootLocation, "foot_location"))
    aetiology: Mapped[WoundAetiology | None] = mapped_column(
        coded(WoundAetiology, "wound_aetiology")
    )
    onset_on: Mapped[date | None]

    measurements: Mapped[list["WoundMeasurement"]] = relationship(
        back_populates="wound", order_by="(WoundMeasurement.measured_on, WoundMeasurement.id)"
    )


class WoundMeasurement(Record, Base):
    """A wound measured on a date: size, exposed structures and the WIfI ulcer and gangrene."""

    __tablename__ = "wound_measurements"
    __table_args__ = (
        CheckConstraint("length_cm IS NULL OR length_cm >= 0", name="length_not_negative"),
        CheckConstraint("width_cm IS NULL OR width_cm >= 0", name="width_not_negative"),
        CheckConstraint("depth_cm IS NULL OR depth_cm >= 0", name="depth_not_negative"),
        CheckConstraint("area_cm2 IS NULL OR area_cm2 >= 0", name="area_not_negative"),
        CheckConstraint("(area_cm2 IS NULL) = (area_method IS NULL)", name="area_has_its_method"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    wound_id: Mapped[int] = mapped_column(ForeignKey("wounds.id"), index=True)
    # The encounter the measurement was made at, when it was made at one.
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), index=True)
    measured_on: Mapped[date]
    length_cm: Mapped[float | None] = mapped_column(Float)
    width_cm: Mapped[float | None] = mapped_column(Float)
    depth_cm: Mapped[float | None] = mapped_column(Float)
    area_cm2: Mapped[float | None] = mapped_column(Float)
    area_method: Mapped[AreaMethod | None] = mapped_column(coded(AreaMethod, "area_method"))
    exposed_bone: Mapped[bool | None] = mapped_column(Boolean)
    exposed_joint: Mapped[bool | None] = mapped_column(Boolean)
    exposed_tendon: Mapped[bool | None] = mapped_column(Boolean)
    # WIfI wound-table words for this wound (core.wifi): read by staging as `ulcer`/`gangrene`.
    ulcer: Mapped[Ulcer | None] = mapped_column(coded(Ulcer, "wifi_ulcer"))
    gangrene: Mapped[Gangrene | None] = mapped_column(coded(Gangrene, "wifi_gangrene"))

    wound: Mapped[Wound] = relationship(back_populates="measurements")
