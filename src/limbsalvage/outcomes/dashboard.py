"""The program dashboard's numbers and figures: the outcomes report for a user's sites, cached.

The dashboard shows the report's curves (limb salvage, amputation-free survival, cumulative
incidence of major amputation) by one stratification, the performance goals, WIfI-stage
amputation beside the published series, time to revascularization against the targets, and
amputation activity. Computing it reads every episode of the sites, so the result is kept in
memory keyed by the filters and a fingerprint of the registry tables it reads: any insert,
update or delete in them changes the fingerprint and the next request recomputes.
"""

import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.assessments.models import Imaging
from limbsalvage.core.coordination.time_to_treatment import DEFAULT_TARGETS, Target
from limbsalvage.core.outcomes.endpoints import Endpoint, TimeZero
from limbsalvage.core.outcomes.timeline import LimbTimeline
from limbsalvage.core.tables.outcomes import REVASCULARIZATION_PROCEDURES
from limbsalvage.core.vocabulary import CareSetting
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.outcomes.plots import plot_curves, to_svg
from limbsalvage.outcomes.report_data import CurveSet, ReportData, ReportOptions, compute_report
from limbsalvage.outcomes.service import ReportCohort, Stratify, load_report_cohort
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.procedures.models import Procedure
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.wounds.models import Wound

STRATUM_NAMES = {
    Stratify.WIFI: "WIfI stage",
    Stratify.CAUSE: "cause",
    Stratify.PROCEDURE: "strategy (index procedure)",
    Stratify.NONE: "all limbs",
}
# The dashboard's curves: name in the URL → (endpoint, estimator).
FIGURES: dict[str, tuple[Endpoint, str]] = {
    "limb-salvage": (Endpoint.MAJOR_AMPUTATION, "survival"),
    "amputation-free-survival": (Endpoint.AMPUTATION_FREE_SURVIVAL, "survival"),
    "major-amputation-incidence": (Endpoint.MAJOR_AMPUTATION, "incidence"),
}
AT_RISK_DAYS = (0, 90, 180, 365, 548, 730)
WAIT_BINS = ((0, 2), (3, 5), (6, 14), (15, 30), (31, 90), (91, None))
# The tables the report reads: their row count, highest id and summed versions change with any
# insert, delete or update.
_WATCHED = (Patient, Episode, Procedure, OutcomeEvent, FollowUp, StagingSnapshot, Wound, Imaging)
CACHE_SIZE = 16


@dataclass(frozen=True)
class DashboardKey:
    """What a dashboard is computed for."""

    site_ids: tuple[int, ...]
    time_zero: TimeZero
    stratify: Stratify
    include_synthetic: bool
    closing_date: date


@dataclass(frozen=True)
class WaitRow:
    """Days from presentation to the first revascularization, for one care setting."""

    setting: str
    limbs: int
    median_days: float | None
    bins: tuple[tuple[str, int], ...]
    target: Target | None
    within_target: int

    @property
    def within_share(self) -> float | None:
        """Share of limbs revascularized within the target (None without a target)."""
        return self.within_target / self.limbs if self.target and self.limbs else None


@dataclass
class Dashboard:
    """The report's numbers for one key, the waits, and the figures drawn so far."""

    key: DashboardKey
    data: ReportData
    waits: tuple[WaitRow, ...]
    synthetic_included: bool
    svgs: dict[str, str] = field(default_factory=dict)

    def curve(self, name: str) -> CurveSet | None:
        """The curve set behind figure `name` (None when the cohort has no such curve)."""
        endpoint, estimate = FIGURES[name]
        curves = self.data.survival if estimate == "survival" else self.data.incidence
        return next((c for c in curves if c.endpoint is endpoint), None)


def _first_revascularization_days(timeline: LimbTimeline) -> int | None:
    days = [
        (p.on - timeline.presentation_date).days
        for p in timeline.procedures
        if p.kind in REVASCULARIZATION_PROCEDURES and p.on >= timeline.presentation_date
    ]
    return min(days) if days else None


def _bin_label(low: int, high: int | None) -> str:
    return f"{low}+ days" if high is None else f"{low}–{high} days"


def revascularization_waits(
    cohort: ReportCohort, targets: Sequence[Target] = DEFAULT_TARGETS
) -> tuple[WaitRow, ...]:
    """Days presentation → first revascularization by care setting, against the QIF targets."""
    rows = []
    for setting in CareSetting:
        waits: list[int] = []
        within = 0
        target = None
        for timeline in cohort.timelines:
            if cohort.settings.get(timeline.limb_id) is not setting or timeline.cause is None:
                continue
            days = _first_revascularization_days(timeline)
            if days is None:
                continue
            waits.append(days)
            applies = [
                t
                for t in targets
                if t.applies(
                    measure_id="presentation_to_revascularization",
                    setting=setting,
                    cause=timeline.cause,
                )
            ]
            if applies:
                target = applies[0]
                within += days <= target.days
        bins = tuple(
            (
                _bin_label(low, high),
                sum(1 for d in waits if d >= low and (high is None or d <= high)),
            )
            for low, high in WAIT_BINS
        )
        median = float(np.median(waits)) if waits else None
        rows.append(WaitRow(setting.value, len(waits), median, bins, target, within))
    return tuple(rows)


def fingerprint(db: Session, site_ids: Collection[int]) -> tuple[object, ...]:
    """Row count, highest id and summed versions of each table the report reads."""
    values: list[object] = [tuple(sorted(site_ids))]
    for model in _WATCHED:
        query = select(func.count(), func.max(model.id), func.sum(model.version))
        values.append(tuple(db.execute(query).one()))
    return tuple(values)


class DashboardCache:
    """The last few dashboards computed, by key and registry fingerprint (thread-safe)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[DashboardKey, tuple[object, ...]], Dashboard] = OrderedDict()

    def get(self, key: DashboardKey, stamp: tuple[object, ...]) -> Dashboard | None:
        """The cached dashboard, if the registry has not changed since."""
        with self._lock:
            found = self._items.get((key, stamp))
            if found is not None:
                self._items.move_to_end((key, stamp))
            return found

    def put(self, key: DashboardKey, stamp: tuple[object, ...], dashboard: Dashboard) -> None:
        """Keep `dashboard`, dropping the least recently used beyond the size."""
        with self._lock:
            self._items[(key, stamp)] = dashboard
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()


def compute_dashboard(
    *, db: Session, key: DashboardKey, targets: Sequence[Target] = DEFAULT_TARGETS
) -> Dashboard:
    """Read the sites' episodes and compute the report's numbers for the dashboard."""
    cohort = load_report_cohort(
        db=db, site_ids=key.site_ids, include_synthetic=key.include_synthetic
    )
    options = ReportOptions(
        closing_date=key.closing_date,
        stratum_name=STRATUM_NAMES[key.stratify],
        time_zero=key.time_zero,
        at_risk_days=AT_RISK_DAYS,
    )
    data = compute_report(cohort.timelines, strata=cohort.strata(key.stratify), options=options)
    return Dashboard(
        key=key,
        data=data,
        waits=revascularization_waits(cohort, targets),
        synthetic_included=key.include_synthetic,
    )


def load_dashboard(
    *,
    db: Session,
    key: DashboardKey,
    cache: DashboardCache,
    targets: Sequence[Target] = DEFAULT_TARGETS,
) -> Dashboard:
    """The dashboard for `key`, from the cache when the registry has not changed."""
    stamp = (fingerprint(db, key.site_ids), tuple(targets))
    found = cache.get(key, stamp)
    if found is None:
        found = compute_dashboard(db=db, key=key, targets=targets)
        cache.put(key, stamp, found)
    return found


def figure_svg(dashboard: Dashboard, name: str) -> str | None:
    """Figure `name` as SVG, drawn once per dashboard (None when there is no such curve)."""
    if name in dashboard.svgs:
        return dashboard.svgs[name]
    curve = dashboard.curve(name)
    if curve is None:
        return None
    ylabel = "cumulative incidence" if curve.estimate_name == "incidence" else "probability"
    figure = plot_curves(
        list(curve.tables), title=curve.title, ylabel=ylabel, at_risk_times=AT_RISK_DAYS
    )
    svg = to_svg(figure, salt=name)
    dashboard.svgs[name] = svg
    return svg
