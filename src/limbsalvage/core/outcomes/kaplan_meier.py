"""Kaplan–Meier survival with Greenwood variance and log-log confidence intervals.

Formulas as in Klein JP, Moeschberger ML. Survival Analysis, 2nd ed. Springer 2003, §4.2–4.5:
Ŝ(t) = ∏_{tᵢ ≤ t} (1 − dᵢ/nᵢ); Greenwood's σ²(t) = Σ dᵢ / (nᵢ (nᵢ − dᵢ)) for log Ŝ; the
pointwise interval on the log(−log) scale (Kalbfleisch & Prentice's "exponential Greenwood",
R's conf.type = "log-log"); with `clusters` (patient ids when a patient contributes both limbs),
`clustered_ci_at` and `clustered_summary` give the robust variance of log Ŝ(t): the sum over
clusters of the squared summed influence of their members (Ying Z, Wei LJ. J Multivar Anal
1994;50:17–29; Williams RL. Lifetime Data Anal 1995;1:171–86; R's survfit robust variance); the
restricted
mean μ̂(τ) = ∫₀^τ Ŝ(t) dt with variance Σ_{tᵢ ≤ τ} Aᵢ² dᵢ / (nᵢ (nᵢ − dᵢ)),
Aᵢ = ∫_{tᵢ}^τ Ŝ(t) dt. Ŝ is computed as exp(Σ log(1 − dᵢ/nᵢ)), the same floating-point route as
lifelines, so values agree bit for bit.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Self

import numpy as np
import numpy.typing as npt

from limbsalvage.core.outcomes.data import (
    ArrayLike,
    EventCounts,
    FloatArray,
    IntArray,
    as_durations,
    as_event_codes,
    count_events,
)
from limbsalvage.core.outcomes.distributions import two_sided_z
from limbsalvage.core.outcomes.errors import InvalidSurvivalData, NotFitted
from limbsalvage.core.outcomes.summary import CurveTable


@dataclass(frozen=True)
class RestrictedMean:
    """Restricted mean survival time up to `horizon`, with its standard error and interval."""

    horizon: float
    estimate: float
    std_error: float
    ci_lower: float
    ci_upper: float


@dataclass(frozen=True)
class ClusteredEstimate:
    """Ŝ at chosen times with intervals from the variance clustered by `clusters`."""

    time: FloatArray
    survival: FloatArray
    std_error: FloatArray
    ci_lower: FloatArray
    ci_upper: FloatArray
    clusters: int


@dataclass(frozen=True)
class _Clusters:
    position: npt.NDArray[np.intp]  # each subject's time on the timeline
    events: IntArray
    codes: npt.NDArray[np.intp]
    count: int


@dataclass(frozen=True)
class _Fit:
    label: str
    z: float
    table: CurveTable
    greenwood: FloatArray  # cumulative Σ d/(n(n−d)): variance of log Ŝ
    greenwood_step: FloatArray  # its increment at each time
    clusters: _Clusters | None


def with_time_zero(counts: EventCounts) -> EventCounts:
    """Start the timeline at 0 (all at risk, nothing happened) unless a time is already 0."""
    if counts.times[0] == 0.0:
        return counts
    n = int(counts.at_risk[0])
    zero_events = np.zeros((1, counts.events.shape[1]), dtype=np.int64)
    return EventCounts(
        times=np.concatenate(([0.0], counts.times)),
        at_risk=np.concatenate(([n], counts.at_risk)),
        events=np.concatenate((zero_events, counts.events)),
        censored=np.concatenate(([0], counts.censored)),
        all_events=np.concatenate(([0], counts.all_events)),
    )


def first_time_at_or_below(times: FloatArray, curve: FloatArray, level: float) -> float:
    """The first time the non-increasing `curve` is ≤ `level`; infinity if it never is."""
    below = np.flatnonzero(curve <= level)
    return float(times[below[0]]) if below.size else float("inf")


class KaplanMeier:
    """Kaplan–Meier estimator; `fit()` returns the estimator, fitted values end in `_`."""

    def __init__(self, *, alpha: float = 0.05) -> None:
        self.alpha = alpha
        two_sided_z(alpha)  # refuse a bad alpha now, not at fit time
        self._fit: _Fit | None = None

    def fit(
        self,
        durations: ArrayLike,
        event_observed: ArrayLike | None = None,
        *,
        label: str = "all",
        clusters: Sequence[object] | npt.NDArray[np.generic] | None = None,
    ) -> Self:
        """Estimate Ŝ(t) from times and 0/1 event indicators (all events when omitted).

        `clusters` (one label per subject, e.g. the patient) enables `clustered_ci_at`.
        """
        times = as_durations(durations)
        events = (
            np.ones(times.size, dtype=np.int64)
            if event_observed is None
            else as_event_codes(event_observed, size=times.size, largest=1, field="event_observed")
        )
        counts = with_time_zero(count_events(times, events, n_codes=1))
        n = counts.at_risk.astype(np.float64)
        d = counts.all_events.astype(np.float64)
        with np.errstate(divide="ignore"):
            survival = np.exp(np.cumsum(np.log(n - d) - np.log(n)))
        remaining = n - d
        step = np.divide(d, n * remaining, out=np.zeros_like(d), where=remaining > 0)
        greenwood = np.cumsum(step)
        z = two_sided_z(self.alpha)
        lower, upper = _log_log_interval(survival, greenwood, z)
        grouped = None
        if clusters is not None:
            labels = np.asarray(clusters)
            if labels.shape != times.shape:
                raise InvalidSurvivalData(
                    "clusters", f"expected {times.size} labels, got shape {labels.shape}"
                )
            codes = np.unique(labels, return_inverse=True)[1]
            grouped = _Clusters(
                position=np.searchsorted(counts.times, times),
                events=events,
                codes=codes,
                count=int(codes.max()) + 1,
            )
        self._fit = _Fit(
            label=label,
            z=z,
            greenwood=greenwood,
            greenwood_step=step,
            clusters=grouped,
            table=CurveTable(
                label=label,
                estimate_name="survival",
                time=counts.times,
                at_risk=counts.at_risk,
                events=counts.all_events,
                competing_events=np.zeros_like(counts.censored),
                censored=counts.censored,
                estimate=survival,
                std_error=survival * np.sqrt(greenwood),
                ci_lower=lower,
                ci_upper=upper,
            ),
        )
        return self

    @property
    def _fitted(self) -> _Fit:
        if self._fit is None:
            raise NotFitted(type(self).__name__)
        return self._fit

    @property
    def label_(self) -> str:
        """The label given to `fit()`."""
        return self._fitted.label

    @property
    def summary(self) -> CurveTable:
        """The fitted curve as a table, one row per distinct time (0 first)."""
        return self._fitted.table

    @property
    def timeline_(self) -> FloatArray:
        """Distinct times, starting at 0."""
        return self._fitted.table.time

    @property
    def survival_function_(self) -> FloatArray:
        """Ŝ(t) at each time of the timeline."""
        return self._fitted.table.estimate

    @property
    def variance_(self) -> FloatArray:
        """Greenwood variance of Ŝ(t): Ŝ(t)² Σ d/(n(n−d))."""
        fit = self._fitted
        variance: FloatArray = fit.table.estimate**2 * fit.greenwood
        return variance

    @property
    def ci_lower_(self) -> FloatArray:
        """Lower log-log confidence limit at each time."""
        return self._fitted.table.ci_lower

    @property
    def ci_upper_(self) -> FloatArray:
        """Upper log-log confidence limit at each time."""
        return self._fitted.table.ci_upper

    @property
    def at_risk_(self) -> IntArray:
        """Number under observation just before each time."""
        return self._fitted.table.at_risk

    @property
    def median_survival_time_(self) -> float:
        """First time Ŝ(t) ≤ 0.5 (infinity when the curve stays above 0.5)."""
        table = self._fitted.table
        return first_time_at_or_below(table.time, table.estimate, 0.5)

    @property
    def median_ci_(self) -> tuple[float, float]:
        """Interval for the median: where the lower and the upper limits first reach 0.5."""
        table = self._fitted.table
        return (
            first_time_at_or_below(table.time, table.ci_lower, 0.5),
            first_time_at_or_below(table.time, table.ci_upper, 0.5),
        )

    def survival_at(self, times: ArrayLike) -> FloatArray:
        """Ŝ at arbitrary times (right-continuous step function; 1 before time 0)."""
        table = self._fitted.table
        return step_value(table.time, table.estimate, times, before=1.0)

    def ci_at(self, times: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """The confidence limits at arbitrary times."""
        table = self._fitted.table
        return (
            step_value(table.time, table.ci_lower, times, before=1.0),
            step_value(table.time, table.ci_upper, times, before=1.0),
        )

    def at_risk_at(self, times: ArrayLike) -> IntArray:
        """Number at risk at arbitrary times: subjects whose time is ≥ t."""
        table = self._fitted.table
        return at_risk_at(table.time, table.at_risk, times)

    def clustered_ci_at(self, times: ArrayLike) -> ClusteredEstimate:
        """Ŝ and its interval at `times` with the variance clustered by the fit's `clusters`.

        Each subject's influence on log Ŝ(t) is H(min(Tᵢ, t)) − δᵢ 1{Tᵢ ≤ t}/(n − d)(Tᵢ), with
        H the Greenwood sum; the variance is Σ over clusters of (Σ of its members' influence)².
        With a single cluster the influences sum to zero, so the variance is not defined (NaN).
        """
        points = np.asarray(times, dtype=np.float64).reshape(-1)
        table = self._fitted.table
        band = self._clustered_variance()
        variance = step_value(table.time, band, points, before=0.0)
        survival = self.survival_at(points)
        lower, upper = _log_log_interval(survival, variance, self._fitted.z)
        return ClusteredEstimate(
            time=points,
            survival=survival,
            std_error=survival * np.sqrt(variance),
            ci_lower=lower,
            ci_upper=upper,
            clusters=self._grouped.count,
        )

    @property
    def clustered_summary(self) -> CurveTable:
        """`summary` with the standard error and interval clustered by the fit's `clusters`.

        The band a plot draws when patients contribute both limbs: the same estimate, with the
        robust variance of `clustered_ci_at` at every time of the timeline.
        """
        fit = self._fitted
        variance = self._clustered_variance()
        lower, upper = _log_log_interval(fit.table.estimate, variance, fit.z)
        return replace(
            fit.table,
            std_error=fit.table.estimate * np.sqrt(variance),
            ci_lower=lower,
            ci_upper=upper,
        )

    @property
    def _grouped(self) -> _Clusters:
        grouped = self._fitted.clusters
        if grouped is None:
            raise InvalidSurvivalData("clusters", "not given to fit(); nothing to cluster by")
        return grouped

    def _clustered_variance(self) -> FloatArray:
        """The clustered variance of log Ŝ at every time of the timeline, in O(n log n).

        At step j each cluster's summed influence is Aᵪ + H(j)·Rᵪ: Aᵪ the influences of its
        members gone by tⱼ, Rᵪ its members still at risk. Σᵪ (Aᵪ + H Rᵪ)² expands into Σ Aᵪ²,
        Σ Aᵪ Rᵪ and Σ Rᵪ², which change only when a member leaves: their changes are summed per
        step and accumulated, instead of summing over every subject at every time.
        """
        fit, grouped = self._fitted, self._grouped
        if grouped.count < 2:
            return np.full(len(fit.table), np.nan)
        remaining = (fit.table.at_risk - fit.table.events).astype(np.float64)
        inverse = np.divide(1.0, remaining, out=np.zeros_like(remaining), where=remaining > 0)
        own = fit.greenwood[grouped.position] - grouped.events * inverse[grouped.position]
        order = np.lexsort((grouped.position, grouped.codes))
        codes, position = grouped.codes[order], grouped.position[order]
        sizes = np.bincount(codes, minlength=grouped.count)
        first = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        gone_sum = np.cumsum(own[order])
        offset = np.where(first > 0, gone_sum[first - 1], 0.0)[codes]
        a_after = gone_sum - offset
        a_before = a_after - own[order]
        r_after = (first + sizes)[codes] - np.arange(codes.size) - 1
        r_before = r_after + 1
        steps = len(fit.table)

        def accumulated(change: FloatArray, start: float) -> FloatArray:
            per_step = np.bincount(position, weights=change, minlength=steps)
            total: FloatArray = start + np.cumsum(per_step, dtype=np.float64)
            return total

        sum_a2 = accumulated(a_after**2 - a_before**2, 0.0)
        sum_ar = accumulated(a_after * r_after - a_before * r_before, 0.0)
        sum_r2 = accumulated((r_after**2 - r_before**2).astype(np.float64), float(sizes @ sizes))
        h = fit.greenwood
        variance: FloatArray = np.maximum(sum_a2 + 2 * h * sum_ar + h**2 * sum_r2, 0.0)
        return variance

    def restricted_mean(self, horizon: float) -> RestrictedMean:
        """μ̂(τ) = ∫₀^τ Ŝ(t) dt, its Klein–Moeschberger standard error and a normal interval."""
        if not np.isfinite(horizon) or horizon <= 0:
            raise InvalidSurvivalData("horizon", f"{horizon!r}; expected a time > 0")
        fit = self._fitted
        time, survival = fit.table.time, fit.table.estimate
        inside = time < horizon
        edges = np.append(time[inside], horizon)
        areas = survival[inside] * np.diff(edges)
        estimate = float(areas.sum())
        # Aᵢ = ∫_{tᵢ}^τ Ŝ: the area to the right of each time inside the horizon.
        area_after = np.cumsum(areas[::-1])[::-1]
        variance = float(np.sum(area_after**2 * fit.greenwood_step[inside]))
        std_error = float(np.sqrt(variance))
        return RestrictedMean(
            horizon=float(horizon),
            estimate=estimate,
            std_error=std_error,
            ci_lower=max(0.0, estimate - fit.z * std_error),
            ci_upper=min(float(horizon), estimate + fit.z * std_error),
        )


def step_value(time: FloatArray, values: FloatArray, at: ArrayLike, *, before: float) -> FloatArray:
    """Value of a right-continuous step function at `at` (`before` left of the first time)."""
    points = np.asarray(at, dtype=np.float64)
    position = np.searchsorted(time, points, side="right") - 1
    padded = np.concatenate(([before], values))
    result: FloatArray = padded[position + 1]
    return result


def at_risk_at(time: FloatArray, at_risk: IntArray, at: ArrayLike) -> IntArray:
    """Number whose time is ≥ each point (0 beyond the last time)."""
    points = np.asarray(at, dtype=np.float64)
    position = np.searchsorted(time, points, side="left")
    padded = np.concatenate((at_risk, [0]))
    result: IntArray = padded[position]
    return result


def _log_log_interval(
    survival: FloatArray, greenwood: FloatArray, z: float
) -> tuple[FloatArray, FloatArray]:
    """exp(−exp(log(−log Ŝ) ∓ z σ / log Ŝ)); (1, 1) where Ŝ = 1 and (0, 0) where Ŝ = 0."""
    inner = (survival > 0) & (survival < 1)
    log_s = np.log(np.where(inner, survival, 0.5))
    spread = z * np.sqrt(greenwood) / log_s
    lower = np.exp(-np.exp(np.log(-log_s) - spread))
    upper = np.exp(-np.exp(np.log(-log_s) + spread))
    edge = np.where(survival >= 1, 1.0, 0.0)
    return np.where(inner, lower, edge), np.where(inner, upper, edge)
