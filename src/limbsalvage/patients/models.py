"""Patients, their limbs (the unit of everything) and threatened-limb episodes."""

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from limbsalvage.core.vocabulary import (
    AmbulatoryStatus,
    CareSetting,
    DiabetesType,
    EpisodeCause,
    EpisodeStatus,
    Ethnicity,
    LivingSituation,
    Payer,
    Race,
    Sex,
    Side,
    SmokingStatus,
)
from limbsalvage.db.base import Base, Record, coded


class Patient(Record, Base):
    """A person under the program, with the values that drive risk models."""

    __tablename__ = "patients"
    __table_args__ = (
        UniqueConstraint("site_id", "mrn"),
        CheckConstraint("death_date IS NULL OR death_date >= birth_date", name="death_after_birth"),
    )

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    mrn: Mapped[str] = mapped_column(String(64))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date]
    sex: Mapped[Sex] = mapped_column(coded(Sex, "sex"))
    race: Mapped[Race | None] = mapped_column(coded(Race, "race"))
    ethnicity: Mapped[Ethnicity | None] = mapped_column(coded(Ethnicity, "ethnicity"))
    payer: Mapped[Payer | None] = mapped_column(coded(Payer, "payer"))
    death_date: Mapped[date | None]
    cause_of_death: Mapped[str | None] = mapped_column(String(200))
    last_known_alive_date: Mapped[date | None]
    # Comorbidities and values that drive risk (PREVENT III, GVG PLAN).
    diabetes: Mapped[bool | None] = mapped_column(Boolean)
    diabetes_type: Mapped[DiabetesType | None] = mapped_column(coded(DiabetesType, "diabetes_type"))
    hba1c_pct: Mapped[float | None] = mapped_column(Float)
    dialysis: Mapped[bool | None] = mapped_column(Boolean)
    egfr_ml_min_1_73m2: Mapped[float | None] = mapped_column(Float)
    creatinine_mg_dl: Mapped[float | None] = mapped_column(Float)
    albumin_g_dl: Mapped[float | None] = mapped_column(Float)
    haemoglobin_g_dl: Mapped[float | None] = mapped_column(Float)
    haematocrit_pct: Mapped[float | None] = mapped_column(Float)
    bmi_kg_m2: Mapped[float | None] = mapped_column(Float)
    coronary_disease: Mapped[bool | None] = mapped_column(Boolean)
    heart_failure: Mapped[bool | None] = mapped_column(Boolean)
    smoking_status: Mapped[SmokingStatus | None] = mapped_column(
        coded(SmokingStatus, "smoking_status")
    )
    ambulatory_status: Mapped[AmbulatoryStatus | None] = mapped_column(
        coded(AmbulatoryStatus, "ambulatory_status")
    )
    living_situation: Mapped[LivingSituation | None] = mapped_column(
        coded(LivingSituation, "living_situation")
    )
    prior_contralateral_major_amputation: Mapped[bool | None] = mapped_column(Boolean)
    # Synthetic demo records are labelled so they can never pass for real patients.
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)

    limbs: Mapped[list["Limb"]] = relationship(back_populates="patient", order_by="Limb.side")


# Code-point order on both backends (SQLite compares text as bytes of UTF-8 by default), so a
# prefix is one index range (limbsalvage.core.search_terms).
SEARCH_TERM = Text().with_variant(Text(collation="C"), "postgresql")


class PatientSearchTerm(Base):
    """One normalised term of a patient's names or MRN, derived from the patient row and kept
    current with it (limbsalvage.patients.search); name/MRN search reads only this index."""

    __tablename__ = "patient_search_terms"
    __table_args__ = (Index("ix_patient_search_terms_term", "term", "patient_id"),)

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    term: Mapped[str] = mapped_column(SEARCH_TERM, primary_key=True)


class Limb(Record, Base):
    """A patient and a side."""

    __tablename__ = "limbs"
    __table_args__ = (UniqueConstraint("patient_id", "side"),)

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    side: Mapped[Side] = mapped_column(coded(Side, "side"))

    patient: Mapped[Patient] = relationship(back_populates="limbs")
    episodes: Mapped[list["Episode"]] = relationship(
        back_populates="limb", order_by="Episode.presented_on"
    )


class Episode(Record, Base):
    """A threatened-limb episode, from presentation to closure."""

    __tablename__ = "episodes"
    __table_args__ = (
        CheckConstraint(
            "closed_on IS NULL OR closed_on >= presented_on", name="closed_after_start"
        ),
        # The worklist: open episodes, longest waiting first (docs/benchmarks.md).
        Index("ix_episodes_status_presented_on", "status", "presented_on", "id"),
        # The same, by cause (the worklist's cause filter walks and counts on it alone).
        Index("ix_episodes_status_cause", "status", "cause", "presented_on", "id"),
        # A patient's open episodes and their dates, from the index alone: a selective search
        # starts from its patients (docs/web/README.md, "Search by name or MRN").
        Index("ix_episodes_patient_id_status", "patient_id", "status", "presented_on"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    limb_id: Mapped[int] = mapped_column(ForeignKey("limbs.id"), index=True)
    cause: Mapped[EpisodeCause] = mapped_column(coded(EpisodeCause, "episode_cause"))
    presented_on: Mapped[date]
    setting: Mapped[CareSetting] = mapped_column(coded(CareSetting, "care_setting"))
    status: Mapped[EpisodeStatus] = mapped_column(
        coded(EpisodeStatus, "episode_status"), default=EpisodeStatus.OPEN
    )
    closed_on: Mapped[date | None]
    # The index procedure is set once procedures exist (limbsalvage.procedures); no FK here so
    # the two tables do not depend on each other at creation.
    index_procedure_id: Mapped[int | None]

    limb: Mapped[Limb] = relationship(back_populates="episodes")
