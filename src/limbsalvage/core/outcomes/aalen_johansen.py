"""Aalen–Johansen cumulative incidence for competing risks, with exact handling of tied times.

F̂ₖ(t) = Σ_{tᵢ ≤ t} Ŝ(tᵢ₋) dₖᵢ / nᵢ, where Ŝ is the Kaplan–Meier estimate of being free of
any event (Kalbfleisch JD, Prentice RL. The Statistical Analysis of Failure Time Data, 2nd ed.
Wiley 2002, §8.2). Ties are not broken, jittered or re-ordered: all events at one time are
counted together at that time (they leave the risk set together), and subjects censored at a
time count as at risk at that time and leave just after it. The result is a function of the
counts per distinct time only, so it is the same for any order of the rows.

Variance, chosen by `variance=`:

- `aalen` (default): Aalen's estimator (Aalen O. Ann Stat 1978;6:534–45) in the form of
  Pintilie M. Competing Risks: A Practical Perspective. Wiley 2006, eq. 4.5 — the default of
  scikit-survival's `cumulative_incidence_competing_risks`.
- `delta`: the delta-method ("Greenwood-type") estimator of Dinse GE, Larson MG. Biometrika
  1986;73:379–86, §4 eq. 6 (also Marubini E, Valsecchi MG 1995; scikit-survival "Dinse_Approx").

Where everyone at risk has an event (n = d) the delta-method term d/(n(n − d)) multiplies
(F̂(t) − F̂(t)) = 0; we take that product as 0 (scikit-survival's dense sum gets 0·∞ = NaN and
drops every interval of that curve). Both are sums over earlier times of
(F̂(t) − F̂(tᵢ))ᵖ × termᵢ; expanding the powers turns them into cumulative sums, so the
variance costs O(number of times), not its square.
The interval is pointwise on the log(−log F̂) scale: F̂^exp(±z σ/(F̂ log F̂)) (Choudhury JB. Stat
Med 2002;21:1129–44), with the same zero/one conventions as scikit-survival.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Self

import numpy as np

from limbsalvage.core.outcomes.data import (
    ArrayLike,
    FloatArray,
    IntArray,
    as_durations,
    as_event_codes,
    count_events,
)
from limbsalvage.core.outcomes.distributions import two_sided_z
from limbsalvage.core.outcomes.errors import InvalidSurvivalData, NotFitted
from limbsalvage.core.outcomes.kaplan_meier import at_risk_at, step_value, with_time_zero
from limbsalvage.core.outcomes.summary import CurveTable

_EPS = float(np.finfo(np.float64).eps)


class CifVariance(StrEnum):
    """Which variance estimator of the cumulative incidence to use."""

    AALEN = "aalen"
    DELTA = "delta"


@dataclass(frozen=True)
class _Fit:
    label: str
    event_of_interest: int
    table: CurveTable
    variance: FloatArray
    event_free: FloatArray


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """numerator / denominator, 0 where the denominator is not positive."""
    return np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)


def _sum_of_powers(
    incidence: FloatArray, squared_terms: FloatArray, linear_terms: FloatArray
) -> FloatArray:
    """Σ_{i≤j} (Fⱼ − Fᵢ)² aᵢ − 2 Σ_{i≤j} (Fⱼ − Fᵢ) cᵢ, by expanding into cumulative sums."""
    f = incidence
    squared = (
        f**2 * np.cumsum(squared_terms)
        - 2 * f * np.cumsum(f * squared_terms)
        + np.cumsum(f**2 * squared_terms)
    )
    linear = f * np.cumsum(linear_terms) - np.cumsum(f * linear_terms)
    result: FloatArray = squared - 2 * linear
    return result


def cif_variance(
    method: CifVariance,
    *,
    at_risk: FloatArray,
    all_events: FloatArray,
    events_of_interest: FloatArray,
    event_free_before: FloatArray,
    incidence: FloatArray,
) -> FloatArray:
    """Variance of F̂ₖ at each distinct time (see the module docstring for the estimators)."""
    n, d, dk, s = at_risk, all_events, events_of_interest, event_free_before
    if method is CifVariance.AALEN:
        squared = _ratio(d, (n - 1) * (n - d))
        direct = _ratio((n - dk) * dk * s**2, (n - 1) * n**2)
        linear = _ratio(dk * (n - dk) * s, n * (n - d) * (n - 1))
    else:
        squared = _ratio(d, n * (n - d))
        direct = _ratio((n - dk) * dk * s**2, n**3)
        linear = _ratio(dk * s, n**2)
    variance = _sum_of_powers(incidence, squared, linear) + np.cumsum(direct)
    clipped: FloatArray = np.maximum(variance, 0.0)
    return clipped


def cif_interval(
    incidence: FloatArray, variance: FloatArray, z: float
) -> tuple[FloatArray, FloatArray]:
    """F̂^exp(∓ z σ/(F̂ log F̂)); F̂ itself where σ is 0, and (0, 0) where F̂ is 0."""
    positive = incidence > _EPS
    log_f = np.log(np.where(positive, incidence, 0.5))
    sigma = np.divide(
        np.sqrt(variance), incidence, out=np.zeros_like(variance), where=variance > _EPS
    )
    theta = np.divide(sigma, log_f, out=np.zeros_like(sigma), where=positive & (log_f < -_EPS))
    # When F̂ is 1 up to rounding, θ is huge and exp overflows to ∞: the limit (0, 1) is what the
    # formula gives, as in scikit-survival, so the overflow is expected and not reported.
    with np.errstate(over="ignore"):
        lower = np.exp(np.exp(-z * theta) * log_f)
        upper = np.exp(np.exp(z * theta) * log_f)
    return np.where(positive, lower, 0.0), np.where(positive, upper, 0.0)


class AalenJohansen:
    """Cumulative incidence of one event kind with the others competing."""

    def __init__(self, *, alpha: float = 0.05, variance: CifVariance = CifVariance.AALEN) -> None:
        self.alpha = alpha
        self.variance_method = CifVariance(variance)
        two_sided_z(alpha)
        self._fit: _Fit | None = None

    def fit(
        self,
        durations: ArrayLike,
        event_codes: ArrayLike,
        *,
        event_of_interest: int,
        label: str = "all",
    ) -> Self:
        """Estimate F̂ₖ(t) for k = `event_of_interest`; codes are 0 (censored) or 1, 2, …."""
        if isinstance(event_of_interest, bool) or event_of_interest < 1:
            raise InvalidSurvivalData(
                "event_of_interest", f"{event_of_interest!r}; expected an event code ≥ 1"
            )
        times = as_durations(durations)
        codes = as_event_codes(event_codes, size=times.size, field="event_codes")
        n_codes = max(int(codes.max()), event_of_interest)
        counts = with_time_zero(count_events(times, codes, n_codes=n_codes))
        n = counts.at_risk.astype(np.float64)
        d = counts.all_events.astype(np.float64)
        dk = counts.events[:, event_of_interest - 1].astype(np.float64)
        event_free = np.cumprod(1.0 - d / n, dtype=np.float64)
        before = np.concatenate(([1.0], event_free[:-1]))
        incidence = np.cumsum(dk / n * before)
        variance = cif_variance(
            self.variance_method,
            at_risk=n,
            all_events=d,
            events_of_interest=dk,
            event_free_before=before,
            incidence=incidence,
        )
        lower, upper = cif_interval(incidence, variance, two_sided_z(self.alpha))
        events_of_interest = counts.events[:, event_of_interest - 1]
        self._fit = _Fit(
            label=label,
            event_of_interest=event_of_interest,
            variance=variance,
            event_free=event_free,
            table=CurveTable(
                label=label,
                estimate_name="incidence",
                time=counts.times,
                at_risk=counts.at_risk,
                events=events_of_interest,
                competing_events=counts.all_events - events_of_interest,
                censored=counts.censored,
                estimate=incidence,
                std_error=np.sqrt(variance),
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
    def event_of_interest_(self) -> int:
        """The event code whose incidence was estimated."""
        return self._fitted.event_of_interest

    @property
    def summary(self) -> CurveTable:
        """The fitted curve as a table, one row per distinct time (0 first)."""
        return self._fitted.table

    @property
    def timeline_(self) -> FloatArray:
        """Distinct times, starting at 0."""
        return self._fitted.table.time

    @property
    def cumulative_incidence_(self) -> FloatArray:
        """F̂ₖ(t) at each time of the timeline."""
        return self._fitted.table.estimate

    @property
    def variance_(self) -> FloatArray:
        """Variance of F̂ₖ(t) by the chosen estimator."""
        return self._fitted.variance

    @property
    def ci_lower_(self) -> FloatArray:
        """Lower confidence limit at each time."""
        return self._fitted.table.ci_lower

    @property
    def ci_upper_(self) -> FloatArray:
        """Upper confidence limit at each time."""
        return self._fitted.table.ci_upper

    @property
    def at_risk_(self) -> IntArray:
        """Number under observation just before each time."""
        return self._fitted.table.at_risk

    @property
    def event_free_(self) -> FloatArray:
        """Kaplan–Meier estimate of being free of every kind of event."""
        return self._fitted.event_free

    def incidence_at(self, times: ArrayLike) -> FloatArray:
        """F̂ₖ at arbitrary times (0 before time 0)."""
        table = self._fitted.table
        return step_value(table.time, table.estimate, times, before=0.0)

    def ci_at(self, times: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """The confidence limits at arbitrary times."""
        table = self._fitted.table
        return (
            step_value(table.time, table.ci_lower, times, before=0.0),
            step_value(table.time, table.ci_upper, times, before=0.0),
        )

    def at_risk_at(self, times: ArrayLike) -> IntArray:
        """Number at risk at arbitrary times: subjects whose time is ≥ t."""
        table = self._fitted.table
        return at_risk_at(table.time, table.at_risk, times)
