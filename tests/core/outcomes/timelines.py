"""Hand-built timelines for the endpoint tests: day numbers from a fixed presentation date."""

from datetime import date, timedelta

from limbsalvage.core.outcomes.timeline import EventRecord, LimbTimeline, ProcedureRecord
from limbsalvage.core.vocabulary import (
    AmputationLevel,
    Conduit,
    EpisodeCause,
    OutcomeEventKind,
    ProcedureKind,
)

PRESENTED = date(2024, 1, 1)


def day(n: int) -> date:
    return PRESENTED + timedelta(days=n)


def procedure(
    n: int,
    kind: ProcedureKind,
    *,
    level: AmputationLevel | None = None,
    index: bool = False,
    conduit: Conduit | None = None,
) -> ProcedureRecord:
    return ProcedureRecord(
        on=day(n), kind=kind, amputation_level=level, is_index=index, conduit=conduit
    )


def amputation(n: int, level: AmputationLevel) -> ProcedureRecord:
    return procedure(n, ProcedureKind.AMPUTATION, level=level)


def event(n: int, kind: OutcomeEventKind) -> EventRecord:
    return EventRecord(on=day(n), kind=kind)


def limb(
    *,
    alive_until: int | None = None,
    died: int | None = None,
    procedures: tuple[ProcedureRecord, ...] = (),
    events: tuple[EventRecord, ...] = (),
    limb_id: str = "L1",
    patient_id: str = "P1",
    cause: EpisodeCause | None = EpisodeCause.CLTI,
    wifi_stage: int | None = None,
    on_dialysis: bool | None = False,
    has_wound: bool | None = True,
) -> LimbTimeline:
    return LimbTimeline(
        limb_id=limb_id,
        patient_id=patient_id,
        presentation_date=PRESENTED,
        last_known_alive=day(alive_until) if alive_until is not None else None,
        death_date=day(died) if died is not None else None,
        procedures=procedures,
        events=events,
        cause=cause,
        wifi_stage=wifi_stage,
        on_dialysis=on_dialysis,
        has_wound=has_wound,
    )


def vein_bypass(n: int = 0) -> ProcedureRecord:
    return procedure(n, ProcedureKind.BYPASS, index=True, conduit=Conduit.GREAT_SAPHENOUS_VEIN)
