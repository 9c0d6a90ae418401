"""The outcome timeline of a patient and their limbs, and follow-up visits.

Events owned by a procedure (`procedure_id` set: amputations, reinterventions) are kept in step
with that procedure by `limbsalvage.events.service`; they are never edited on their own.
"""

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from limbsalvage.core.vocabulary import (
    AmbulatoryStatus,
    AmputationLevel,
    DeathCause,
    FollowUpContact,
    OutcomeEventKind,
)
from limbsalvage.db.base import Base, Record, coded

LIMB_EVENT_KINDS = (
    "major_amputation",
    "minor_amputation",
    "reintervention",
    "wound_healed",
    "loss_of_patency",
)


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class OutcomeEvent(Record, Base):
    """One event on the timeline; limb events name their limb, patient events may not."""

    __tablename__ = "outcome_events"
    __table_args__ = (
        CheckConstraint(
            f"limb_id IS NOT NULL OR kind NOT IN ({_sql_list(LIMB_EVENT_KINDS)})",
            name="limb_event_has_limb",
        ),
        CheckConstraint(
            "(kind IN ('major_amputation', 'minor_amputation') AND amputation_level IS NOT NULL) "
            "OR (kind NOT IN ('major_amputation', 'minor_amputation') "
            "AND amputation_level IS NULL)",
            name="amputation_level_iff_amputation",
        ),
        CheckConstraint(
            "(kind = 'death' AND death_cause IS NOT NULL) "
            "OR (kind <> 'death' AND death_cause IS NULL)",
            name="death_cause_iff_death",
        ),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    limb_id: Mapped[int | None] = mapped_column(ForeignKey("limbs.id"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id"), index=True)
    kind: Mapped[OutcomeEventKind] = mapped_column(coded(OutcomeEventKind, "outcome_event_kind"))
    occurred_on: Mapped[date]
    amputation_level: Mapped[AmputationLevel | None] = mapped_column(
        coded(AmputationLevel, "amputation_level")
    )
    death_cause: Mapped[DeathCause | None] = mapped_column(coded(DeathCause, "death_cause"))
    description: Mapped[str | None] = mapped_column(String(200))
    # The procedure this event stands for (one source of truth: the procedure owns the event).
    procedure_id: Mapped[int | None] = mapped_column(
        ForeignKey("procedures.id"), index=True, unique=True
    )
    # Loss of patency: of which graft or treated segment.
    graft_id: Mapped[int | None] = mapped_column(ForeignKey("grafts.id"), index=True)
    treated_segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("treated_segments.id"), index=True
    )


class FollowUp(Record, Base):
    """A follow-up contact in an episode: ambulation and the VascuQoL-6 answers (1–4 each)."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        *(
            CheckConstraint(
                f"vascuqol6_q{n} IS NULL OR (vascuqol6_q{n} >= 1 AND vascuqol6_q{n} <= 4)",
                name=f"vascuqol6_q{n}_in_range",
            )
            for n in range(1, 7)
        ),
        CheckConstraint(
            "("
            + " AND ".join(f"vascuqol6_q{n} IS NULL" for n in range(1, 7))
            + ") OR ("
            + " AND ".join(f"vascuqol6_q{n} IS NOT NULL" for n in range(1, 7))
            + ")",
            name="vascuqol6_all_or_none",
        ),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"), index=True)
    seen_on: Mapped[date]
    contact: Mapped[FollowUpContact] = mapped_column(coded(FollowUpContact, "follow_up_contact"))
    ambulatory_status: Mapped[AmbulatoryStatus | None] = mapped_column(
        coded(AmbulatoryStatus, "ambulatory_status")
    )
    vascuqol6_q1: Mapped[int | None] = mapped_column(Integer)
    vascuqol6_q2: Mapped[int | None] = mapped_column(Integer)
    vascuqol6_q3: Mapped[int | None] = mapped_column(Integer)
    vascuqol6_q4: Mapped[int | None] = mapped_column(Integer)
    vascuqol6_q5: Mapped[int | None] = mapped_column(Integer)
    vascuqol6_q6: Mapped[int | None] = mapped_column(Integer)
