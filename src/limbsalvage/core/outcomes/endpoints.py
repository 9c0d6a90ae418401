"""Endpoints derived from a limb's timeline by published definitions (never typed in).

Each endpoint gives, per limb, the days from time zero to the first qualifying event (code 1),
to a competing event (code 2, for the curves where death or limb loss competes), or to the end
of follow-up (code 0, censored). Kaplan–Meier reads code 2 as censored; Aalen–Johansen reads it
as competing. Definitions: SVS objective performance goals (Conte 2009/2010), PARC (Patel 2015),
the Global Vascular Guidelines (Conte 2019); see docs/outcomes/endpoints.md.

Rules, all deterministic:
- Time zero is the presentation date or the index procedure's date (`TimeZero`).
- Follow-up ends at death, otherwise at the last date the patient is known alive: the later of
  `last_known_alive` and any procedure or event recorded after time zero; with a closing date,
  nothing after it is used and a death after it is censored at it.
- Events on the same day are taken in `SAME_DAY_ORDER` (limb events, then MI and stroke, then
  death, healing last).
- A reintervention is a revascularization strictly after the index procedure's day (same-day
  procedures are part of the index treatment); without an index procedure there is none, and
  endpoints built on it (reintervention, MALE or peri-operative death) do not apply.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

import numpy as np

from limbsalvage.core.outcomes.data import FloatArray, IntArray
from limbsalvage.core.outcomes.timeline import (
    EndpointNotApplicable,
    LimbTimeline,
    ProcedureRecord,
    TimelineError,
)
from limbsalvage.core.sources import Source
from limbsalvage.core.tables.outcomes import (
    DEFAULT_MAJOR_AMPUTATION,
    GVG_2019,
    MAJOR_AMPUTATION_LEVELS,
    MAJOR_REINTERVENTION_PROCEDURES,
    PARC_2015,
    REVASCULARIZATION_PROCEDURES,
    SAME_DAY_ORDER,
    SVS_OPG_2009,
    MajorAmputationDefinition,
)
from limbsalvage.core.vocabulary import AmputationLevel, OutcomeEventKind, ProcedureKind

# Conte 2009: peri-operative death is death within 30 days of the index procedure.
PERIOPERATIVE_DAYS = 30

CENSORED, EVENT, COMPETING = 0, 1, 2


class TimeZero(StrEnum):
    """Where follow-up starts."""

    PRESENTATION = "presentation"
    INDEX_PROCEDURE = "index_procedure"


class Endpoint(StrEnum):
    """The endpoints of the outcomes report."""

    OVERALL_SURVIVAL = "overall_survival"
    MAJOR_AMPUTATION = "major_amputation"
    AMPUTATION_FREE_SURVIVAL = "amputation_free_survival"
    MALE = "male"
    MALE_FREE_SURVIVAL = "male_free_survival"
    MALE_OR_PERIOPERATIVE_DEATH = "male_or_perioperative_death"
    REINTERVENTION = "reintervention"
    WOUND_HEALING = "wound_healing"
    MACE = "mace"


@dataclass(frozen=True)
class EndpointDefinition:
    """What counts as the event, what competes, and where the definition comes from."""

    endpoint: Endpoint
    title: str
    curve_title: str
    event: str
    competing: str
    needs_index_procedure: bool
    sources: tuple[Source, ...]


def _definition(
    endpoint: Endpoint,
    title: str,
    curve_title: str,
    event: str,
    competing: str = "",
    *,
    needs_index_procedure: bool = False,
    sources: tuple[Source, ...] = (SVS_OPG_2009, PARC_2015, GVG_2019),
) -> EndpointDefinition:
    return EndpointDefinition(
        endpoint, title, curve_title, event, competing, needs_index_procedure, sources
    )


DEFINITIONS: Mapping[Endpoint, EndpointDefinition] = MappingProxyType(
    {
        Endpoint.OVERALL_SURVIVAL: _definition(
            Endpoint.OVERALL_SURVIVAL, "Overall survival", "Survival", "death from any cause"
        ),
        Endpoint.MAJOR_AMPUTATION: _definition(
            Endpoint.MAJOR_AMPUTATION,
            "Major amputation",
            "Limb salvage (freedom from major amputation)",
            "major amputation of the index limb (level from the major-amputation table)",
            "death without major amputation",
        ),
        Endpoint.AMPUTATION_FREE_SURVIVAL: _definition(
            Endpoint.AMPUTATION_FREE_SURVIVAL,
            "Amputation-free survival",
            "Amputation-free survival",
            "major amputation of the index limb or death from any cause",
        ),
        Endpoint.MALE: _definition(
            Endpoint.MALE,
            "Major adverse limb event (MALE)",
            "Freedom from MALE",
            "major amputation or major reintervention (new bypass, graft revision, "
            "thrombectomy or thrombolysis after the index procedure) of the index limb",
            "death without MALE",
        ),
        Endpoint.MALE_FREE_SURVIVAL: _definition(
            Endpoint.MALE_FREE_SURVIVAL,
            "MALE-free survival",
            "MALE-free survival",
            "MALE or death from any cause",
        ),
        Endpoint.MALE_OR_PERIOPERATIVE_DEATH: _definition(
            Endpoint.MALE_OR_PERIOPERATIVE_DEATH,
            "MALE or peri-operative death (MALE + POD)",
            "Freedom from MALE + POD",
            "MALE, or death within 30 days of the index procedure (later deaths censor)",
            needs_index_procedure=True,
            sources=(SVS_OPG_2009,),
        ),
        Endpoint.REINTERVENTION: _definition(
            Endpoint.REINTERVENTION,
            "Reintervention",
            "Freedom from reintervention",
            "any revascularization of the index limb after the index procedure's day",
            "death or major amputation without reintervention",
            needs_index_procedure=True,
        ),
        Endpoint.WOUND_HEALING: _definition(
            Endpoint.WOUND_HEALING,
            "Wound healing",
            "Wounds not yet healed",
            "wound recorded healed (limbs with a wound at presentation only)",
            "death or major amputation before healing",
            sources=(GVG_2019,),
        ),
        Endpoint.MACE: _definition(
            Endpoint.MACE,
            "Major adverse cardiovascular events (MACE)",
            "Freedom from MACE",
            "death, myocardial infarction or stroke",
            sources=(SVS_OPG_2009,),
        ),
    }
)

# Which happenings count for each endpoint, and with which code.
_CODES: Mapping[Endpoint, Mapping[str, int]] = MappingProxyType(
    {
        Endpoint.OVERALL_SURVIVAL: {"death": EVENT},
        Endpoint.MAJOR_AMPUTATION: {"major_amputation": EVENT, "death": COMPETING},
        Endpoint.AMPUTATION_FREE_SURVIVAL: {"major_amputation": EVENT, "death": EVENT},
        Endpoint.MALE: {
            "major_amputation": EVENT,
            "major_reintervention": EVENT,
            "death": COMPETING,
        },
        Endpoint.MALE_FREE_SURVIVAL: {
            "major_amputation": EVENT,
            "major_reintervention": EVENT,
            "death": EVENT,
        },
        Endpoint.MALE_OR_PERIOPERATIVE_DEATH: {
            "major_amputation": EVENT,
            "major_reintervention": EVENT,
            "perioperative_death": EVENT,
            "late_death": CENSORED,
        },
        Endpoint.REINTERVENTION: {
            "major_amputation": COMPETING,
            "reintervention": EVENT,
            "major_reintervention": EVENT,
            "death": COMPETING,
        },
        Endpoint.WOUND_HEALING: {
            "major_amputation": COMPETING,
            "death": COMPETING,
            "wound_healed": EVENT,
        },
        Endpoint.MACE: {"myocardial_infarction": EVENT, "stroke": EVENT, "death": EVENT},
    }
)

# Same-day order by name; the peri-operative split of death keeps death's place.
_ORDER = {name: rank for rank, name in enumerate(SAME_DAY_ORDER)}
_ORDER["perioperative_death"] = _ORDER["late_death"] = _ORDER["death"]


@dataclass(frozen=True)
class EndpointOutcome:
    """One limb's value for one endpoint."""

    limb_id: str
    patient_id: str
    endpoint: Endpoint
    days: int
    code: int
    reason: str
    ended_on: date
    missing_follow_up: bool


@dataclass(frozen=True)
class Happenings:
    """The dated facts of one timeline from time zero to the end of follow-up."""

    time_zero: date
    follow_up_end: date
    died: bool
    missing_follow_up: bool
    first: Mapping[str, date]


def _level_is_given(timeline: LimbTimeline, procedure: ProcedureRecord) -> None:
    is_amputation = procedure.kind is ProcedureKind.AMPUTATION
    if is_amputation and procedure.amputation_level is None:
        levels = ", ".join(level.value for level in AmputationLevel)
        raise TimelineError(
            timeline.limb_id,
            "procedures",
            f"amputation on {procedure.on} has no amputation_level; expected one of {levels}",
        )
    if not is_amputation and procedure.amputation_level is not None:
        raise TimelineError(
            timeline.limb_id,
            "procedures",
            f"{procedure.kind.value} on {procedure.on} has an amputation_level "
            f"({procedure.amputation_level.value}); only amputations have one",
        )


def _death_date(timeline: LimbTimeline) -> date | None:
    recorded = {e.on for e in timeline.events if e.kind is OutcomeEventKind.DEATH}
    if timeline.death_date is not None:
        recorded.add(timeline.death_date)
    if len(recorded) > 1:
        dates = ", ".join(sorted(d.isoformat() for d in recorded))
        raise TimelineError(timeline.limb_id, "death_date", f"conflicting death dates: {dates}")
    return recorded.pop() if recorded else None


def _time_zero(timeline: LimbTimeline, time_zero: TimeZero, index: ProcedureRecord | None) -> date:
    if time_zero is TimeZero.PRESENTATION:
        return timeline.presentation_date
    if index is None:
        raise EndpointNotApplicable(
            timeline.limb_id, "procedures", "no index procedure, so no index-procedure time zero"
        )
    return index.on


def _dated_happenings(
    timeline: LimbTimeline,
    index: ProcedureRecord | None,
    major_levels: frozenset[AmputationLevel],
) -> list[tuple[date, str]]:
    found: list[tuple[date, str]] = []
    for procedure in timeline.procedures:
        _level_is_given(timeline, procedure)
        if procedure.amputation_level in major_levels:
            found.append((procedure.on, "major_amputation"))
        after_index = index is not None and procedure.on > index.on and not procedure.is_index
        if after_index and procedure.kind in MAJOR_REINTERVENTION_PROCEDURES:
            found.append((procedure.on, "major_reintervention"))
        if after_index and procedure.kind in REVASCULARIZATION_PROCEDURES:
            found.append((procedure.on, "reintervention"))
    for event in timeline.events:
        if event.kind is OutcomeEventKind.MAJOR_AMPUTATION:
            found.append((event.on, "major_amputation"))
        elif event.kind is OutcomeEventKind.REINTERVENTION:
            if index is not None and event.on > index.on:
                found.append((event.on, "reintervention"))
        elif event.kind is not OutcomeEventKind.DEATH:
            found.append((event.on, event.kind.value))
    return found


def happenings(
    timeline: LimbTimeline,
    *,
    time_zero: TimeZero = TimeZero.PRESENTATION,
    major_amputation: MajorAmputationDefinition = DEFAULT_MAJOR_AMPUTATION,
    closing_date: date | None = None,
) -> Happenings:
    """Check the timeline and collect the first date of each kind of happening after time zero."""
    index = timeline.index_procedure()
    start = _time_zero(timeline, time_zero, index)
    limb = timeline.limb_id
    if closing_date is not None and closing_date < start:
        raise EndpointNotApplicable(
            limb, "time_zero", f"time zero {start} is after the closing date {closing_date}"
        )
    death = _death_date(timeline)
    if death is not None and death < start:
        raise TimelineError(limb, "death_date", f"{death} is before time zero {start}")
    found = _dated_happenings(timeline, index, MAJOR_AMPUTATION_LEVELS[major_amputation])
    records = [p.on for p in timeline.procedures] + [
        e.on for e in timeline.events if e.kind is not OutcomeEventKind.DEATH
    ]
    if death is not None:
        late = [d for d in records if d > death]
        if timeline.last_known_alive is not None and timeline.last_known_alive > death:
            late.append(timeline.last_known_alive)
        if late:
            raise TimelineError(
                limb, "death_date", f"{death} is before a later record on {max(late)}"
            )
    lost_before = [d for d, name in found if name == "major_amputation" and d < start]
    if lost_before:
        raise TimelineError(
            limb,
            "procedures",
            f"major amputation on {min(lost_before)} is before time zero {start}",
        )
    alive = [d for d in [*records, timeline.last_known_alive] if d is not None and d >= start]
    end = death if death is not None else max(alive, default=start)
    if closing_date is not None and end > closing_date:
        end, death = closing_date, None
    if death is not None:
        if index is not None and (death - index.on).days <= PERIOPERATIVE_DAYS:
            found.append((death, "perioperative_death"))
        else:
            found.append((death, "late_death"))
        found.append((death, "death"))
    first: dict[str, date] = {}
    for on, name in sorted(found):
        if start <= on <= end:
            first.setdefault(name, on)
    return Happenings(
        time_zero=start,
        follow_up_end=end,
        died=death is not None,
        missing_follow_up=death is None and end == start,
        first=MappingProxyType(first),
    )


def derive_endpoint(
    timeline: LimbTimeline,
    endpoint: Endpoint,
    *,
    time_zero: TimeZero = TimeZero.PRESENTATION,
    major_amputation: MajorAmputationDefinition = DEFAULT_MAJOR_AMPUTATION,
    closing_date: date | None = None,
) -> EndpointOutcome:
    """The limb's days and code for `endpoint`; raises `TimelineError` naming what is wrong."""
    if DEFINITIONS[endpoint].needs_index_procedure and timeline.index_procedure() is None:
        raise EndpointNotApplicable(
            timeline.limb_id, "procedures", f"{endpoint.value} needs an index procedure"
        )
    if endpoint is Endpoint.WOUND_HEALING and timeline.has_wound is not True:
        state = "unknown" if timeline.has_wound is None else "no wound"
        raise EndpointNotApplicable(
            timeline.limb_id, "has_wound", f"{state}; wound healing needs a wound at presentation"
        )
    facts = happenings(
        timeline, time_zero=time_zero, major_amputation=major_amputation, closing_date=closing_date
    )
    codes = _CODES[endpoint]
    candidates = sorted(
        (on, _ORDER[name], name) for name, on in facts.first.items() if name in codes
    )
    if candidates:
        on, _, name = candidates[0]
        code, reason = codes[name], name
    else:
        on, code = facts.follow_up_end, CENSORED
        reason = "no follow-up after time zero" if facts.missing_follow_up else "end of follow-up"
    return EndpointOutcome(
        limb_id=timeline.limb_id,
        patient_id=timeline.patient_id,
        endpoint=endpoint,
        days=(on - facts.time_zero).days,
        code=code,
        reason=reason,
        ended_on=on,
        missing_follow_up=facts.missing_follow_up,
    )


@dataclass(frozen=True)
class CohortEndpoint:
    """One endpoint over many limbs, with the limbs left out and why."""

    endpoint: Endpoint
    outcomes: tuple[EndpointOutcome, ...]
    excluded: tuple[TimelineError, ...]

    def durations(self) -> FloatArray:
        """Days from time zero, one per included limb."""
        return np.array([o.days for o in self.outcomes], dtype=np.float64)

    def codes(self) -> IntArray:
        """0 censored, 1 event, 2 competing event."""
        return np.array([o.code for o in self.outcomes], dtype=np.int64)

    def events(self) -> IntArray:
        """1 for the event, 0 otherwise (competing events censor): the Kaplan–Meier input."""
        events: IntArray = (self.codes() == EVENT).astype(np.int64)
        return events


def derive_cohort(
    timelines: Iterable[LimbTimeline],
    endpoint: Endpoint,
    *,
    time_zero: TimeZero = TimeZero.PRESENTATION,
    major_amputation: MajorAmputationDefinition = DEFAULT_MAJOR_AMPUTATION,
    closing_date: date | None = None,
) -> CohortEndpoint:
    """Derive `endpoint` for every limb; limbs that cannot be derived are listed with the reason."""
    outcomes: list[EndpointOutcome] = []
    excluded: list[TimelineError] = []
    for timeline in timelines:
        try:
            outcomes.append(
                derive_endpoint(
                    timeline,
                    endpoint,
                    time_zero=time_zero,
                    major_amputation=major_amputation,
                    closing_date=closing_date,
                )
            )
        except TimelineError as error:
            excluded.append(error)
    return CohortEndpoint(endpoint=endpoint, outcomes=tuple(outcomes), excluded=tuple(excluded))
