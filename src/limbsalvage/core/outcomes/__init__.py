"""Outcomes maths: survival estimators, endpoint derivation, follow-up and performance goals.

Pure (numpy, no I/O). Estimators follow the lifelines style: `fit()` returns the estimator,
fitted values end in `_`, and `summary` is a `CurveTable`.
"""

from limbsalvage.core.outcomes.aalen_johansen import AalenJohansen, CifVariance
from limbsalvage.core.outcomes.errors import InvalidSurvivalData, NotFitted, OutcomesError
from limbsalvage.core.outcomes.kaplan_meier import KaplanMeier, RestrictedMean
from limbsalvage.core.outcomes.logrank import LogRankResult, logrank_test
from limbsalvage.core.outcomes.summary import CurveTable

__all__ = [
    "AalenJohansen",
    "CifVariance",
    "CurveTable",
    "InvalidSurvivalData",
    "KaplanMeier",
    "LogRankResult",
    "NotFitted",
    "OutcomesError",
    "RestrictedMean",
    "logrank_test",
]
