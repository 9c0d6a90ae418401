"""Data-quality rules on the dates of a patient's and a limb's timeline (pure, no storage).

Rules, checked on every write by the services:
- dates are not in the future, not before birth, not after death, and not before the
  presentation of the episode they belong to;
- after a major amputation of a limb, nothing is recorded on that limb below the amputation:
  later items on that limb must be an amputation at a more proximal level, care of the residual
  limb (debridement, drainage, flap, skin graft, negative-pressure therapy) or patient-level
  events (death, myocardial infarction, stroke, readmission). Items on the same day as the
  amputation are not *after* it (staged same-day procedures are allowed).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from limbsalvage.core.treatment import is_more_proximal
from limbsalvage.core.vocabulary import AmputationLevel, OutcomeEventKind, ProcedureKind

# Kinds that may still be recorded on a limb after its major amputation.
RESIDUAL_LIMB_PROCEDURES = frozenset(
    {
        ProcedureKind.DEBRIDEMENT,
        ProcedureKind.INCISION_DRAINAGE,
        ProcedureKind.FLAP,
        ProcedureKind.SKIN_GRAFT,
        ProcedureKind.NEGATIVE_PRESSURE_THERAPY,
    }
)
PATIENT_EVENTS = frozenset(
    {
        OutcomeEventKind.DEATH,
        OutcomeEventKind.MYOCARDIAL_INFARCTION,
        OutcomeEventKind.STROKE,
        OutcomeEventKind.READMISSION,
    }
)


@dataclass(frozen=True)
class Breach:
    """A rule the data breaks: the field, what is wrong, and the rule's name."""

    field: str
    message: str
    rule: str


@dataclass(frozen=True)
class LimbItem:
    """A procedure or event on a limb, as the limb rules see it."""

    label: str  # the record, e.g. "procedure 12" (never its clinical content: messages are logged)
    on: date
    kind: ProcedureKind | OutcomeEventKind
    amputation_level: AmputationLevel | None = None
    major_amputation: bool = False


def check_dates(
    *,
    field: str,
    on: date,
    today: date,
    birth_date: date,
    death_date: date | None,
    presented_on: date | None = None,
    allow_on_death_date: bool = True,
) -> list[Breach]:
    """Breaches of date order for one date: future, before birth/presentation, after death."""
    breaches = []
    if on > today:
        breaches.append(
            Breach(field, f"must not be in the future (after {today.isoformat()})", "not_future")
        )
    if on < birth_date:
        breaches.append(Breach(field, "must not be before the patient's birth_date", "after_birth"))
    if presented_on is not None and on < presented_on:
        breaches.append(
            Breach(field, "must not be before the episode's presented_on", "after_presentation")
        )
    if death_date is not None and (
        on > death_date or (on == death_date and not allow_on_death_date)
    ):
        breaches.append(
            Breach(field, "must not be after the patient's death_date", "nothing_after_death")
        )
    return breaches


def _allowed_after(item: LimbItem, amputation: LimbItem) -> bool:
    assert amputation.amputation_level is not None
    if item.amputation_level is not None:
        return is_more_proximal(item.amputation_level, amputation.amputation_level)
    return item.kind in RESIDUAL_LIMB_PROCEDURES or item.kind in PATIENT_EVENTS


def check_after_major_amputation(
    *, field: str, candidate: LimbItem, others: Iterable[LimbItem]
) -> list[Breach]:
    """Breaches of 'nothing below a major amputation after it', in either direction."""
    breaches = []
    for other in others:
        pairs = ((candidate, other), (other, candidate))
        for item, amputation in pairs:
            if not amputation.major_amputation or item.on <= amputation.on:
                continue
            if _allowed_after(item, amputation):
                continue
            if item is candidate:
                message = (
                    f"the limb had a major amputation before this date ({amputation.label}); "
                    "after it only a more proximal amputation, care of the residual limb or "
                    "patient-level events may be recorded on this limb"
                )
            else:
                message = (
                    f"a major amputation on this date would leave {other.label} after it, below "
                    "the amputation; correct or remove that record first"
                )
            breaches.append(Breach(field, message, "nothing_below_major_amputation"))
    return breaches
