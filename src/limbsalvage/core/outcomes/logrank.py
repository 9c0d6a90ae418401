"""The log-rank test for k groups, optionally stratified.

For each stratum and each distinct event time: observed minus expected events per group under
the null of equal hazards, and the hypergeometric covariance (Klein JP, Moeschberger ML.
Survival Analysis, 2nd ed. Springer 2003, §7.3 eq. 7.3.2–7.3.4; stratified test §7.5: the
per-stratum vectors and covariances are summed before the quadratic form). The statistic
(O − E)ᵀ V⁻ (O − E) over the first k − 1 groups is chi-square with k − 1 degrees of freedom;
a generalised inverse keeps it defined when a group contributes no one at risk at any event.
Ties are exact (all events at one time counted together); censored at a time means at risk then.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from limbsalvage.core.outcomes.data import (
    ArrayLike,
    FloatArray,
    IntArray,
    as_durations,
    as_event_codes,
    index_times,
)
from limbsalvage.core.outcomes.distributions import chi2_sf
from limbsalvage.core.outcomes.errors import InvalidSurvivalData


@dataclass(frozen=True)
class LogRankResult:
    """The test statistic, its degrees of freedom and p-value, and O and E per group."""

    statistic: float
    degrees_of_freedom: int
    p_value: float
    groups: tuple[str, ...]
    observed: tuple[float, ...]
    expected: tuple[float, ...]
    strata: int


def _codes(values: object, size: int, field: str) -> tuple[tuple[str, ...], IntArray]:
    array = np.asarray(values)
    if array.shape != (size,):
        raise InvalidSurvivalData(field, f"expected {size} labels, got shape {array.shape}")
    labels, codes = np.unique(array, return_inverse=True)
    return tuple(str(label) for label in labels), codes.astype(np.int64)


def _stratum_terms(
    durations: FloatArray, events: npt.NDArray[np.bool_], groups: IntArray, k: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Observed, expected and covariance for one stratum."""
    index = index_times(durations)
    size = index.times.size * k
    cell = index.position * k + groups
    leaving = np.bincount(cell, minlength=size).reshape(-1, k)
    dying_all = np.bincount(cell[events], minlength=size).reshape(-1, k)
    with_events = np.bincount(index.position[events], minlength=index.times.size) > 0
    at_risk = np.cumsum(leaving[::-1], axis=0)[::-1][with_events].astype(np.float64)
    dying = dying_all[with_events].astype(np.float64)
    n = at_risk.sum(axis=1)
    d = dying.sum(axis=1)
    share = at_risk / n[:, None]
    expected = d @ share
    spread = np.divide(d * (n - d), n - 1, out=np.zeros_like(d), where=n > 1)
    weighted = share * spread[:, None]
    covariance = np.diag(weighted.sum(axis=0)) - weighted.T @ share
    return dying.sum(axis=0), expected, covariance


def logrank_test(
    durations: ArrayLike,
    event_observed: ArrayLike,
    groups: Sequence[object] | npt.NDArray[np.generic],
    *,
    strata: Sequence[object] | npt.NDArray[np.generic] | None = None,
) -> LogRankResult:
    """Test equal survival across `groups` (labels), within `strata` when given."""
    times = as_durations(durations)
    events = as_event_codes(event_observed, size=times.size, largest=1, field="event_observed")
    names, group_codes = _codes(groups, times.size, "groups")
    k = len(names)
    if k < 2:
        raise InvalidSurvivalData("groups", f"only one group ({names[0]!r}); expected two or more")
    stratum_names, stratum_codes = (
        _codes(strata, times.size, "strata") if strata is not None else (("all",), None)
    )
    observed = np.zeros(k)
    expected = np.zeros(k)
    covariance = np.zeros((k, k))
    for stratum in range(len(stratum_names)):
        rows = slice(None) if stratum_codes is None else stratum_codes == stratum
        o, e, v = _stratum_terms(times[rows], events[rows] > 0, group_codes[rows], k)
        observed += o
        expected += e
        covariance += v
    difference = (observed - expected)[:-1]
    statistic = float(difference @ np.linalg.pinv(covariance[:-1, :-1]) @ difference)
    degrees_of_freedom = k - 1
    return LogRankResult(
        statistic=statistic,
        degrees_of_freedom=degrees_of_freedom,
        p_value=chi2_sf(statistic, degrees_of_freedom),
        groups=names,
        observed=tuple(observed.tolist()),
        expected=tuple(expected.tolist()),
        strata=len(stratum_names),
    )
