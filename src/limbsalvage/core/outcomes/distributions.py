"""Normal quantiles and chi-square tail probabilities, exact enough to match scipy to 1e-12."""

import math
from statistics import NormalDist

_STANDARD_NORMAL = NormalDist()


def two_sided_z(alpha: float) -> float:
    """The standard normal quantile 1 − alpha/2 (1.959963984540054 for alpha = 0.05)."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha: {alpha!r} is not allowed; expected a number in (0, 1)")
    return _STANDARD_NORMAL.inv_cdf(1.0 - alpha / 2.0)


def chi2_sf(statistic: float, degrees_of_freedom: int) -> float:
    """P(X ≥ statistic) for X ~ chi-square with integer degrees of freedom (closed form)."""
    if degrees_of_freedom < 1:
        raise ValueError(f"degrees_of_freedom: {degrees_of_freedom!r}; expected an integer ≥ 1")
    if statistic <= 0.0:
        return 1.0
    half = statistic / 2.0
    log_half = math.log(statistic) - math.log(2.0)
    # Q(k/2, x/2) summed term by term; each term in log space so large statistics do not overflow.
    if degrees_of_freedom % 2 == 0:
        total = 0.0
        for i in range(degrees_of_freedom // 2):
            total += math.exp(i * log_half - half - math.lgamma(i + 1.0))
        return min(total, 1.0)
    total = math.erfc(math.sqrt(half))
    for i in range((degrees_of_freedom - 1) // 2):
        total += math.exp((i + 0.5) * log_half - half - math.lgamma(i + 1.5))
    return min(total, 1.0)
