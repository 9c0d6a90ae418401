"""Validated input for outcome events and follow-up visits."""

from datetime import date
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from limbsalvage.core.vocabulary import (
    AmbulatoryStatus,
    AmputationLevel,
    DeathCause,
    FollowUpContact,
    OutcomeEventKind,
    Side,
)
from limbsalvage.patients.schemas import Strict

AMPUTATION_EVENTS = frozenset(
    {OutcomeEventKind.MAJOR_AMPUTATION, OutcomeEventKind.MINOR_AMPUTATION}
)
LIMB_EVENTS = frozenset(
    {
        *AMPUTATION_EVENTS,
        OutcomeEventKind.REINTERVENTION,
        OutcomeEventKind.WOUND_HEALED,
        OutcomeEventKind.LOSS_OF_PATENCY,
    }
)
Answer = Annotated[int, Field(ge=1, le=4)]


class OutcomeEventCreate(Strict):
    """An event on the timeline; limb events name the side."""

    kind: OutcomeEventKind
    occurred_on: date
    side: Side | None = None
    episode_id: int | None = None
    amputation_level: AmputationLevel | None = None
    death_cause: DeathCause | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = (
        None
    )
    graft_id: int | None = None
    treated_segment_id: int | None = None

    @model_validator(mode="after")
    def _kind_specific_fields(self) -> Self:
        if self.kind in LIMB_EVENTS and self.side is None:
            raise ValueError(f"side: required for a {self.kind.value} event")
        amputation = self.kind in AMPUTATION_EVENTS
        if amputation and self.amputation_level is None:
            raise ValueError(f"amputation_level: required for a {self.kind.value} event")
        if not amputation and self.amputation_level is not None:
            raise ValueError("amputation_level: only for amputation events")
        death = self.kind is OutcomeEventKind.DEATH
        if death and self.death_cause is None:
            raise ValueError(
                "death_cause: required for a death (cardiovascular, non_cardiovascular or "
                "undetermined)"
            )
        if not death and self.death_cause is not None:
            raise ValueError("death_cause: only for a death event")
        patency = self.graft_id is not None or self.treated_segment_id is not None
        if patency and self.kind is not OutcomeEventKind.LOSS_OF_PATENCY:
            raise ValueError(
                "graft_id: a graft or treated segment is named only for loss_of_patency"
            )
        if self.graft_id is not None and self.treated_segment_id is not None:
            raise ValueError("graft_id: give at most one of graft_id or treated_segment_id")
        return self


class FollowUpCreate(Strict):
    """A follow-up contact in an episode; VascuQoL-6 answers all six or none."""

    seen_on: date
    contact: FollowUpContact
    ambulatory_status: AmbulatoryStatus | None = None
    vascuqol6_q1: Answer | None = None
    vascuqol6_q2: Answer | None = None
    vascuqol6_q3: Answer | None = None
    vascuqol6_q4: Answer | None = None
    vascuqol6_q5: Answer | None = None
    vascuqol6_q6: Answer | None = None

    @model_validator(mode="after")
    def _all_or_none(self) -> Self:
        answers = [getattr(self, f"vascuqol6_q{n}") for n in range(1, 7)]
        given = [a is not None for a in answers]
        if any(given) and not all(given):
            missing = [f"vascuqol6_q{n}" for n, g in enumerate(given, start=1) if not g]
            raise ValueError(
                f"{missing[0]}: VascuQoL-6 needs all six answers or none; missing "
                + ", ".join(missing)
            )
        return self
