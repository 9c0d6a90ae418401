"""A small synthetic program (two limbs for some patients) for the report tests."""

from datetime import date, timedelta

import numpy as np

from limbsalvage.core.outcomes.timeline import EventRecord, LimbTimeline, ProcedureRecord
from limbsalvage.core.vocabulary import (
    AmputationLevel,
    Conduit,
    EpisodeCause,
    OutcomeEventKind,
    ProcedureKind,
)

START = date(2023, 1, 1)
CLOSING = date(2025, 6, 30)


def synthetic_program(limbs: int = 120, seed: int = 11) -> list[LimbTimeline]:
    """Limbs presenting over 18 months with stage-dependent amputation, death and healing."""
    rng = np.random.default_rng(seed)
    timelines = []
    for i in range(limbs):
        stage = int(rng.integers(1, 5))
        presented = START + timedelta(days=int(rng.integers(0, 540)))

        def later(days: float, base: date = presented) -> date:
            return base + timedelta(days=int(days))

        vein = bool(rng.random() < 0.5)
        index = ProcedureRecord(
            on=later(rng.integers(0, 20)),
            kind=ProcedureKind.BYPASS if vein else ProcedureKind.ANGIOPLASTY,
            is_index=True,
            conduit=Conduit.GREAT_SAPHENOUS_VEIN if vein else None,
        )
        procedures = [index]
        events = []
        death = later(rng.exponential(900 / stage)) if rng.random() < 0.6 else None
        amputation = later(rng.exponential(1500 / stage**1.5)) if rng.random() < 0.5 else None
        if amputation is not None and (death is None or amputation <= death):
            procedures.append(
                ProcedureRecord(
                    on=amputation,
                    kind=ProcedureKind.AMPUTATION,
                    amputation_level=AmputationLevel.BELOW_KNEE,
                )
            )
        if rng.random() < 0.3:
            minor_on = later(rng.integers(5, 200))
            if death is None or minor_on <= death:
                procedures.append(
                    ProcedureRecord(
                        on=minor_on,
                        kind=ProcedureKind.AMPUTATION,
                        amputation_level=AmputationLevel.TOE,
                    )
                )
        if rng.random() < 0.25:
            redo = later(rng.integers(30, 400), index.on)
            if death is None or redo <= death:
                procedures.append(ProcedureRecord(on=redo, kind=ProcedureKind.THROMBECTOMY))
        healed = later(rng.exponential(120 * stage))
        if death is None or healed <= death:
            events.append(EventRecord(on=healed, kind=OutcomeEventKind.WOUND_HEALED))
        if rng.random() < 0.05:
            events.append(EventRecord(on=later(rng.integers(1, 60)), kind=OutcomeEventKind.STROKE))
        last_seen = min(later(rng.integers(0, 900)), CLOSING)
        if death is not None and last_seen > death:
            last_seen = death
        records = [p.on for p in procedures] + [e.on for e in events]
        if death is not None and any(d > death for d in records):
            death = max(records)
        timelines.append(
            LimbTimeline(
                limb_id=f"L{i:03d}",
                patient_id=f"P{i // 2 if i < 40 else i:03d}",
                presentation_date=presented,
                last_known_alive=last_seen,
                death_date=death,
                procedures=tuple(procedures),
                events=tuple(events),
                cause=EpisodeCause.CLTI if rng.random() < 0.8 else EpisodeCause.DIABETIC_FOOT,
                wifi_stage=stage,
                on_dialysis=bool(rng.random() < 0.15),
                has_wound=True,
            )
        )
    return timelines
