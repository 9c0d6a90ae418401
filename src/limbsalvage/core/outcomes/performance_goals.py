"""Program results against the SVS objective performance goals for CLI (Conte 2009).

The verdict comes from the confidence interval, never from the point estimate: a goal is met
when the whole interval is on the right side of the threshold, failed when the whole interval
is on the wrong side, and otherwise there is not enough data to tell. The goals were derived
from patients with CLI treated by autologous vein bypass in three randomised trials, without
patients on dialysis or with prosthetic conduits; only a cohort like that gets a verdict, every
other comparison is labelled "unadjusted — different population".

Estimates are Kaplan–Meier at the goal's horizon from the index procedure (rates as 1 − Ŝ),
with major amputation read above the ankle, as in the goals' own MALE definition. Intervals use
the variance clustered by patient, so a patient who contributes both limbs counts as one
cluster (with one limb per patient this equals Greenwood's variance).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from limbsalvage.core.outcomes.endpoints import Endpoint, TimeZero, derive_cohort
from limbsalvage.core.outcomes.kaplan_meier import KaplanMeier
from limbsalvage.core.outcomes.timeline import LimbTimeline, TimelineError
from limbsalvage.core.tables.outcomes import (
    AUTOLOGOUS_VEIN_CONDUITS,
    MajorAmputationDefinition,
)
from limbsalvage.core.tables.performance_goals import Direction, Measure, PerformanceGoal
from limbsalvage.core.vocabulary import EpisodeCause, ProcedureKind

UNADJUSTED = "unadjusted — different population"
COMPARABLE = "comparable cohort: CLTI, autologous vein bypass, not on dialysis"


class Verdict(StrEnum):
    """The outcome of a comparison with a goal."""

    MEETS = "meets"
    FAILS = "fails"
    NOT_ENOUGH_DATA = "not enough data"


def differences_from_goal_cohort(timeline: LimbTimeline) -> tuple[str, ...]:
    """Why this limb is not like the goals' patients (empty when it is)."""
    reasons: list[str] = []
    if timeline.cause is None:
        reasons.append("cause unknown")
    elif timeline.cause is not EpisodeCause.CLTI:
        reasons.append(f"cause {timeline.cause.value}, not clti")
    try:
        index = timeline.index_procedure()
    except TimelineError as error:
        reasons.append(error.detail)
        index = None
    if index is None or index.kind is not ProcedureKind.BYPASS:
        reasons.append("index procedure is not a bypass")
    elif index.conduit not in AUTOLOGOUS_VEIN_CONDUITS:
        conduit = index.conduit.value if index.conduit else "unknown"
        reasons.append(f"bypass conduit {conduit}, not autologous vein")
    if timeline.on_dialysis is None:
        reasons.append("dialysis status unknown")
    elif timeline.on_dialysis:
        reasons.append("on dialysis")
    return tuple(reasons)


def judge(goal: PerformanceGoal, *, ci_lower: float, ci_upper: float, at_risk: int) -> Verdict:
    """Meets / fails / not enough data, from the interval of the goal's measure."""
    if at_risk == 0 or not (np.isfinite(ci_lower) and np.isfinite(ci_upper)):
        return Verdict.NOT_ENOUGH_DATA
    if goal.direction is Direction.AT_LEAST:
        if ci_lower > goal.threshold:
            return Verdict.MEETS
        return Verdict.FAILS if ci_upper < goal.threshold else Verdict.NOT_ENOUGH_DATA
    if ci_upper < goal.threshold:
        return Verdict.MEETS
    return Verdict.FAILS if ci_lower > goal.threshold else Verdict.NOT_ENOUGH_DATA


@dataclass(frozen=True)
class GoalComparison:
    """The program's value for one goal, its interval, and the verdict or the label."""

    goal: PerformanceGoal
    limbs: int
    at_risk: int
    estimate: float
    ci_lower: float
    ci_upper: float
    comparable: bool
    verdict: Verdict | None
    label: str
    excluded: tuple[TimelineError, ...]


def compare_with_goal(
    goal: PerformanceGoal, timelines: Iterable[LimbTimeline], *, comparable: bool
) -> GoalComparison:
    """Estimate the goal's measure for these limbs and judge it (comparable cohorts only)."""
    cohort = derive_cohort(
        timelines,
        Endpoint(goal.endpoint),
        time_zero=TimeZero.INDEX_PROCEDURE,
        major_amputation=MajorAmputationDefinition.ABOVE_ANKLE,
    )
    if not cohort.outcomes:
        nan = float("nan")
        estimate, lower, upper, at_risk = nan, nan, nan, 0
    else:
        patients = [o.patient_id for o in cohort.outcomes]
        km = KaplanMeier().fit(cohort.durations(), cohort.events(), clusters=patients)
        horizon = [float(goal.horizon_days)]
        clustered = km.clustered_ci_at(horizon)
        survival = float(clustered.survival[0])
        low, high = float(clustered.ci_lower[0]), float(clustered.ci_upper[0])
        at_risk = int(km.at_risk_at(horizon)[0])
        if goal.measure is Measure.FREEDOM:
            estimate, lower, upper = survival, low, high
        else:
            estimate, lower, upper = 1 - survival, 1 - high, 1 - low
    verdict = judge(goal, ci_lower=lower, ci_upper=upper, at_risk=at_risk) if comparable else None
    return GoalComparison(
        goal=goal,
        limbs=len(cohort.outcomes),
        at_risk=at_risk,
        estimate=estimate,
        ci_lower=lower,
        ci_upper=upper,
        comparable=comparable,
        verdict=verdict,
        label=COMPARABLE if comparable else UNADJUSTED,
        excluded=cohort.excluded,
    )
