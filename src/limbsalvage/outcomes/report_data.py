"""Every number of the program report, computed from limb timelines and stratum labels."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from limbsalvage.core.outcomes import AalenJohansen, KaplanMeier, LogRankResult, logrank_test
from limbsalvage.core.outcomes.angiography import (
    AngiographyBeforeAmputation,
    angiography_before_major_amputation,
)
from limbsalvage.core.outcomes.completeness import FollowUpCompleteness, follow_up_completeness
from limbsalvage.core.outcomes.endpoints import (
    DEFINITIONS,
    CohortEndpoint,
    Endpoint,
    TimeZero,
    derive_cohort,
)
from limbsalvage.core.outcomes.performance_goals import (
    GoalComparison,
    compare_with_goal,
    differences_from_goal_cohort,
)
from limbsalvage.core.outcomes.summary import CurveTable
from limbsalvage.core.outcomes.timeline import EndpointNotApplicable, LimbTimeline, TimelineError
from limbsalvage.core.tables.outcomes import (
    DEFAULT_MAJOR_AMPUTATION,
    MAJOR_AMPUTATION_LEVELS,
    REVASCULARIZATION_PROCEDURES,
    MajorAmputationDefinition,
)
from limbsalvage.core.tables.performance_goals import (
    PERFORMANCE_GOALS,
    WIFI_AMPUTATION_CULL_2014,
    WIFI_AMPUTATION_RATES,
    WIFI_AMPUTATION_VAN_REIJEN_2019,
    StageAmputationRate,
)
from limbsalvage.core.vocabulary import OutcomeEventKind, ProcedureKind

ALL = "all limbs"

# Curves of the report: (endpoint, estimator). Major amputation appears both ways.
SURVIVAL_CURVES = (
    Endpoint.OVERALL_SURVIVAL,
    Endpoint.MAJOR_AMPUTATION,
    Endpoint.AMPUTATION_FREE_SURVIVAL,
    Endpoint.MALE,
    Endpoint.MALE_FREE_SURVIVAL,
    Endpoint.REINTERVENTION,
)
INCIDENCE_CURVES = (Endpoint.MAJOR_AMPUTATION, Endpoint.WOUND_HEALING)


@dataclass(frozen=True)
class ReportOptions:
    """What the report covers and how endpoints are read."""

    closing_date: date
    title: str = "Limb salvage program outcomes"
    period_start: date | None = None
    stratum_name: str = "stratum"
    time_zero: TimeZero = TimeZero.PRESENTATION
    major_amputation: MajorAmputationDefinition = DEFAULT_MAJOR_AMPUTATION
    horizons_days: tuple[int, ...] = (30, 365, 730)
    at_risk_days: tuple[int, ...] = (0, 90, 180, 365, 548, 730)
    revascularization_target_days: int | None = None


@dataclass(frozen=True)
class HorizonRow:
    """A curve read at one horizon."""

    stratum: str
    limbs: int
    events: int
    horizon_days: int
    estimate: float
    ci_lower: float
    ci_upper: float
    at_risk: int


@dataclass(frozen=True)
class CurveSet:
    """One endpoint's curves by stratum, their values at the horizons and the log-rank test."""

    endpoint: Endpoint
    estimate_name: str
    title: str
    tables: tuple[CurveTable, ...]
    rows: tuple[HorizonRow, ...]
    logrank: LogRankResult | None
    median_days: Mapping[str, float]
    excluded: int


@dataclass(frozen=True)
class CompletenessRow:
    """Clark's C for one stratum."""

    stratum: str
    result: FollowUpCompleteness


@dataclass(frozen=True)
class WifiRow:
    """The program's 1-year major amputation for one WIfI stage beside the published rates."""

    stage: int
    limbs: int
    estimate: float
    ci_lower: float
    ci_upper: float
    at_risk: int
    published: Mapping[str, StageAmputationRate]


@dataclass(frozen=True)
class ProgramMetrics:
    """Activity measures: amputations per quarter and time to revascularization."""

    amputations_by_quarter: tuple[tuple[str, int, int], ...]
    major_to_minor: float | None
    days_to_revascularization: tuple[int, ...]
    revascularization_target_days: int | None
    angiography: AngiographyBeforeAmputation | None = None

    def revascularization_quartiles(self) -> tuple[float, float, float] | None:
        """25th, 50th and 75th centiles of days from presentation to index revascularization."""
        if not self.days_to_revascularization:
            return None
        q1, median, q3 = np.percentile(self.days_to_revascularization, [25, 50, 75])
        return float(q1), float(median), float(q3)

    def within_target(self) -> float | None:
        """Share revascularized within the target, when a target is set."""
        if self.revascularization_target_days is None or not self.days_to_revascularization:
            return None
        days = np.asarray(self.days_to_revascularization)
        return float(np.mean(days <= self.revascularization_target_days))


@dataclass(frozen=True)
class ReportData:
    """The report's numbers, independent of how they are rendered."""

    options: ReportOptions
    limbs: int
    patients: int
    patients_with_both_limbs: int
    strata: tuple[str, ...]
    completeness: tuple[CompletenessRow, ...]
    survival: tuple[CurveSet, ...]
    incidence: tuple[CurveSet, ...]
    goals_comparable: tuple[GoalComparison, ...]
    goals_all: tuple[GoalComparison, ...]
    comparable_limbs: int
    wifi: tuple[WifiRow, ...]
    metrics: ProgramMetrics
    exclusions: tuple[tuple[str, str], ...] = field(default=())


def _stratum_of(strata: Mapping[str, str] | None, limb_id: str) -> str:
    if strata is None:
        return ALL
    return strata.get(limb_id, "not recorded")


def _horizon_rows(
    fitted: KaplanMeier | AalenJohansen,
    stratum: str,
    limbs: int,
    events: int,
    horizons: Sequence[int],
    *,
    clustered: bool = False,
) -> list[HorizonRow]:
    at = [float(h) for h in horizons]
    if isinstance(fitted, KaplanMeier):
        values = fitted.survival_at(at)
        if clustered:
            robust = fitted.clustered_ci_at(at)
            lower, upper = robust.ci_lower, robust.ci_upper
        else:
            lower, upper = fitted.ci_at(at)
    else:
        values = fitted.incidence_at(at)
        lower, upper = fitted.ci_at(at)
    at_risk = fitted.at_risk_at(at)
    return [
        HorizonRow(stratum, limbs, events, h, float(v), float(lo), float(hi), int(n))
        for h, v, lo, hi, n in zip(horizons, values, lower, upper, at_risk, strict=True)
    ]


def _shares_patients(patients: npt.NDArray[np.object_]) -> bool:
    """Some patient contributes both limbs, and there are at least two patients to cluster by.

    Survival bands and horizon intervals then use the variance clustered by patient; with one
    limb per patient it equals Greenwood's, which is used as is.
    """
    distinct = len(set(patients.tolist()))
    return 1 < distinct < patients.size


def _curve_set(
    cohort: CohortEndpoint,
    labels: Sequence[str],
    strata_order: Sequence[str],
    *,
    incidence: bool,
    horizons: Sequence[int],
) -> CurveSet:
    durations, codes = cohort.durations(), cohort.codes()
    label_array = np.array(labels, dtype=object)
    patients = np.array([o.patient_id for o in cohort.outcomes], dtype=object)
    tables: list[CurveTable] = []
    rows: list[HorizonRow] = []
    medians: dict[str, float] = {}
    groups = [ALL] if len(strata_order) == 1 else [ALL, *strata_order]
    for group in groups:
        chosen = np.ones(len(labels), bool) if group == ALL else label_array == group
        if not chosen.any():
            continue
        fitted: KaplanMeier | AalenJohansen
        if incidence:
            fitted = AalenJohansen().fit(
                durations[chosen], codes[chosen], event_of_interest=1, label=group
            )
        else:
            fitted = KaplanMeier().fit(
                durations[chosen], codes[chosen] == 1, label=group, clusters=patients[chosen]
            )
            medians[group] = fitted.median_survival_time_
        events = int(np.sum(codes[chosen] == 1))
        clustered = not incidence and _shares_patients(patients[chosen])
        rows.extend(
            _horizon_rows(fitted, group, int(chosen.sum()), events, horizons, clustered=clustered)
        )
        if group != ALL or len(groups) == 1:
            assert isinstance(fitted, KaplanMeier) or not clustered
            tables.append(
                fitted.clustered_summary
                if isinstance(fitted, KaplanMeier) and clustered
                else fitted.summary
            )
    present = sorted(set(labels))
    logrank = logrank_test(durations, codes == 1, list(labels)) if len(present) > 1 else None
    definition = DEFINITIONS[cohort.endpoint]
    return CurveSet(
        endpoint=cohort.endpoint,
        estimate_name="incidence" if incidence else "survival",
        title=(
            f"Cumulative incidence of {definition.title.lower()}"
            if incidence
            else definition.curve_title
        ),
        tables=tuple(tables),
        rows=tuple(rows),
        logrank=None if incidence else logrank,
        median_days=medians,
        excluded=len(cohort.excluded),
    )


def _quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def program_metrics(timelines: Sequence[LimbTimeline], options: ReportOptions) -> ProgramMetrics:
    """Amputations per quarter (major/minor, one per limb and day) and days to revascularization."""
    major_levels = MAJOR_AMPUTATION_LEVELS[options.major_amputation]
    start = options.period_start or date.min
    seen: set[tuple[str, date, bool]] = set()
    for timeline in timelines:
        for procedure in timeline.procedures:
            if procedure.kind is ProcedureKind.AMPUTATION and procedure.amputation_level:
                major = procedure.amputation_level in major_levels
                seen.add((timeline.limb_id, procedure.on, major))
        for event in timeline.events:
            if event.kind in (OutcomeEventKind.MAJOR_AMPUTATION, OutcomeEventKind.MINOR_AMPUTATION):
                major = event.kind is OutcomeEventKind.MAJOR_AMPUTATION
                seen.add((timeline.limb_id, event.on, major))
    quarters: Counter[tuple[str, bool]] = Counter(
        (_quarter(on), major) for _, on, major in seen if start <= on <= options.closing_date
    )
    labels = sorted({q for q, _ in quarters})
    by_quarter = tuple((q, quarters[(q, True)], quarters[(q, False)]) for q in labels)
    majors = sum(m for _, m, _ in by_quarter)
    minors = sum(m for _, _, m in by_quarter)
    waits = []
    for timeline in timelines:
        try:
            index = timeline.index_procedure()
        except TimelineError:
            continue
        if index is not None and index.kind in REVASCULARIZATION_PROCEDURES:
            waits.append((index.on - timeline.presentation_date).days)
    return ProgramMetrics(
        amputations_by_quarter=by_quarter,
        major_to_minor=majors / minors if minors else None,
        days_to_revascularization=tuple(sorted(waits)),
        revascularization_target_days=options.revascularization_target_days,
        angiography=angiography_before_major_amputation(
            timelines,
            start=options.period_start,
            end=options.closing_date,
            major_amputation=options.major_amputation,
        ),
    )


def _wifi_rows(timelines: Sequence[LimbTimeline], options: ReportOptions) -> tuple[WifiRow, ...]:
    rows = []
    references = {
        "Cull 2014": WIFI_AMPUTATION_RATES[WIFI_AMPUTATION_CULL_2014.ref],
        "van Reijen 2019": WIFI_AMPUTATION_RATES[WIFI_AMPUTATION_VAN_REIJEN_2019.ref],
    }
    for stage in (1, 2, 3, 4):
        staged = [t for t in timelines if t.wifi_stage == stage]
        cohort = derive_cohort(
            staged,
            Endpoint.MAJOR_AMPUTATION,
            time_zero=options.time_zero,
            major_amputation=options.major_amputation,
            closing_date=options.closing_date,
        )
        published = {
            name: next(r for r in rates if r.stage == stage) for name, rates in references.items()
        }
        if not cohort.outcomes:
            nan = float("nan")
            rows.append(WifiRow(stage, 0, nan, nan, nan, 0, published))
            continue
        km = KaplanMeier().fit(cohort.durations(), cohort.events())
        survival = float(km.survival_at([365.0])[0])
        lower, upper = (float(b[0]) for b in km.ci_at([365.0]))
        rows.append(
            WifiRow(
                stage,
                len(cohort.outcomes),
                1 - survival,
                1 - upper,
                1 - lower,
                int(km.at_risk_at([365.0])[0]),
                published,
            )
        )
    return tuple(rows)


def compute_report(
    timelines: Sequence[LimbTimeline],
    *,
    strata: Mapping[str, str] | None,
    options: ReportOptions,
) -> ReportData:
    """All the numbers of the report (no rendering)."""
    derivation = {
        "time_zero": options.time_zero,
        "major_amputation": options.major_amputation,
        "closing_date": options.closing_date,
    }
    labels_by_limb = {t.limb_id: _stratum_of(strata, t.limb_id) for t in timelines}
    strata_order = tuple(sorted(set(labels_by_limb.values())))
    exclusions: dict[tuple[str, str], None] = {}

    def cohort_for(endpoint: Endpoint) -> tuple[CohortEndpoint, list[str]]:
        cohort = derive_cohort(timelines, endpoint, **derivation)  # type: ignore[arg-type]
        for error in cohort.excluded:
            if not isinstance(error, EndpointNotApplicable):
                exclusions[(error.limb_id, str(error))] = None
        return cohort, [labels_by_limb[o.limb_id] for o in cohort.outcomes]

    survival, incidence = [], []
    for endpoint in SURVIVAL_CURVES:
        cohort, labels = cohort_for(endpoint)
        if cohort.outcomes:
            survival.append(
                _curve_set(
                    cohort, labels, strata_order, incidence=False, horizons=options.horizons_days
                )
            )
    for endpoint in INCIDENCE_CURVES:
        cohort, labels = cohort_for(endpoint)
        if cohort.outcomes:
            incidence.append(
                _curve_set(
                    cohort, labels, strata_order, incidence=True, horizons=options.horizons_days
                )
            )
    completeness = [
        CompletenessRow(
            stratum,
            follow_up_completeness(
                [t for t in timelines if stratum == ALL or labels_by_limb[t.limb_id] == stratum],
                closing_date=options.closing_date,
                time_zero=options.time_zero,
            ),
        )
        for stratum in ([ALL] if len(strata_order) == 1 else [ALL, *strata_order])
    ]
    comparable = [t for t in timelines if not differences_from_goal_cohort(t)]
    limbs_per_patient = Counter(t.patient_id for t in timelines)
    return ReportData(
        options=options,
        limbs=len(timelines),
        patients=len(limbs_per_patient),
        patients_with_both_limbs=sum(1 for n in limbs_per_patient.values() if n > 1),
        strata=strata_order,
        completeness=tuple(completeness),
        survival=tuple(survival),
        incidence=tuple(incidence),
        goals_comparable=tuple(
            compare_with_goal(goal, comparable, comparable=True) for goal in PERFORMANCE_GOALS
        ),
        goals_all=tuple(
            compare_with_goal(goal, timelines, comparable=False) for goal in PERFORMANCE_GOALS
        ),
        comparable_limbs=len(comparable),
        wifi=_wifi_rows(timelines, options),
        metrics=program_metrics(timelines, options),
        exclusions=tuple(sorted(exclusions)),
    )
