"""Kaplan–Meier survival with Greenwood variance and log-log confidence intervals.

Formulas as in Klein JP, Moeschberger ML. Survival Analysis, 2nd ed. Springer 2003, §4.2–4.5:
Ŝ(t) = ∏_{tᵢ ≤ t} (1 − dᵢ/nᵢ); Greenwood's σ²(t) = Σ dᵢ / (nᵢ (nᵢ − dᵢ)) for log Ŝ; the
pointwise interval on the log(−log) scale (Kalbfleisch & Prentice's "exponential Greenwood",
R's conf.type = "log-log"); with `clusters` (patient ids when a patient contributes both limbs),
`clustered_ci_at` gives the robust variance of log Ŝ(t) at chosen times: the sum over clusters of
the squared summed influence of their members (Ying Z, Wei LJ. J Multivar Anal 1994;50:17–29;
Williams RL. Lifetime Data Anal 1995;1:171–86; R's survfit robust variance); the restricted
mean μ̂(τ) = ∫₀^τ Ŝ(t) dt with variance Σ_{tᵢ ≤ τ} Aᵢ² dᵢ / (nᵢ (nᵢ − dᵢ)),
Aᵢ = ∫_{tᵢ}^τ Ŝ(t) dt. Ŝ is computed as exp(Σ log(1 − dᵢ/nᵢ)), the same floating-point route as
lifelines, so values agree bit for bit.
"""

from collections.abc import Sequence
from dataclasses import dataclass
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
        fit = self._fitted
        if fit.clusters is None:
            raise InvalidSurvivalData("clusters", "not given to fit(); nothing to cluster by")
        grouped = fit.clusters
        table = fit.table
        points = np.asarray(times, dtype=np.float64)
        remaining = (table.at_risk - table.events).astype(np.float64)
        inverse = np.divide(1.0, remaining, out=np.zeros_like(remaining), where=remaining > 0)
        own = fit.greenwood[grouped.position] - grouped.events * inverse[grouped.position]
        subject_time = table.time[grouped.position]
        variance = np.empty(points.size)
        for k, point in enumerate(points.reshape(-1)):
            step = np.searchsorted(table.time, point, side="right") - 1
            shared = fit.greenwood[step] if step >= 0 else 0.0
            influence = np.where(subject_time <= point, own, shared)
            per_cluster = np.bincount(grouped.codes, weights=influence, minlength=grouped.count)
            variance[k] = float(np.sum(per_cluster**2)) if grouped.count > 1 else np.nan
        survival = self.survival_at(points.reshape(-1))
        lower, upper = _log_log_interval(survival, variance, fit.z)
        return ClusteredEstimate(
            time=points.reshape(-1),
            survival=survival,
            std_error=survival * np.sqrt(variance),
            ci_lower=lower,
            ci_upper=upper,
            clusters=grouped.count,
        )

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
