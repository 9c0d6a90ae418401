"""Angiography before major amputation: a program metric of limb salvage care.

Of the limbs whose first major amputation falls in the period, the share that had angiographic
imaging of that limb (catheter DSA, CT or MR angiography: `ANGIOGRAPHIC_MODALITIES`, read from
GVG 2019 statements 6.15 and 6.19) on or before the amputation day and at most
`ANGIOGRAPHY_LOOKBACK_DAYS` before it. A limb imaged only by duplex ultrasound is counted apart.
Which amputation is major comes from the cited table (`MAJOR_AMPUTATION_LEVELS`); an amputation
recorded only as a major-amputation event (no level) counts as major.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from limbsalvage.core.outcomes.timeline import LimbTimeline
from limbsalvage.core.tables.outcomes import (
    ANGIOGRAPHIC_MODALITIES,
    ANGIOGRAPHY_LOOKBACK_DAYS,
    DEFAULT_MAJOR_AMPUTATION,
    MAJOR_AMPUTATION_LEVELS,
    MajorAmputationDefinition,
)
from limbsalvage.core.vocabulary import ImagingModality, OutcomeEventKind, ProcedureKind


@dataclass(frozen=True)
class AngiographyBeforeAmputation:
    """How many major amputations of the period were preceded by angiography of the limb."""

    amputations: int
    with_angiography: int
    duplex_only: int
    lookback_days: int

    @property
    def share(self) -> float | None:
        """The proportion with angiography (None when no major amputation is in the period)."""
        return self.with_angiography / self.amputations if self.amputations else None


def first_major_amputation(
    timeline: LimbTimeline, major_amputation: MajorAmputationDefinition
) -> date | None:
    """The day of the limb's first major amputation, by level or by a major-amputation event."""
    levels = MAJOR_AMPUTATION_LEVELS[major_amputation]
    days = [
        p.on
        for p in timeline.procedures
        if p.kind is ProcedureKind.AMPUTATION and p.amputation_level in levels
    ]
    days += [e.on for e in timeline.events if e.kind is OutcomeEventKind.MAJOR_AMPUTATION]
    return min(days) if days else None


def angiography_before_major_amputation(
    timelines: Iterable[LimbTimeline],
    *,
    start: date | None = None,
    end: date | None = None,
    major_amputation: MajorAmputationDefinition = DEFAULT_MAJOR_AMPUTATION,
    lookback_days: int = ANGIOGRAPHY_LOOKBACK_DAYS,
) -> AngiographyBeforeAmputation:
    """Count the period's first major amputations and those with angiography before them."""
    amputations = with_angiography = duplex_only = 0
    for timeline in timelines:
        day = first_major_amputation(timeline, major_amputation)
        if day is None or (start and day < start) or (end and day > end):
            continue
        amputations += 1
        earliest = day - timedelta(days=lookback_days)
        seen = {i.modality for i in timeline.imaging if earliest <= i.on <= day}
        if seen & ANGIOGRAPHIC_MODALITIES:
            with_angiography += 1
        elif ImagingModality.DUPLEX_ULTRASOUND in seen:
            duplex_only += 1
    return AngiographyBeforeAmputation(amputations, with_angiography, duplex_only, lookback_days)
