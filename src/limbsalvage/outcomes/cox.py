"""Cox proportional hazards over lifelines, with variance clustered by patient.

Patients who contribute both limbs give correlated observations; with `patient_ids` the
variance is the robust sandwich estimator summed within patient (Lin DY, Wei LJ. J Am Stat Assoc
1989;84:1074–8; lifelines' `cluster_col`), so hazard-ratio intervals are not too narrow.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter

from limbsalvage.core.outcomes.data import ArrayLike, as_durations, as_event_codes
from limbsalvage.core.outcomes.errors import InvalidSurvivalData

_DURATION = "__duration__"
_EVENT = "__event__"
_CLUSTER = "__patient__"


@dataclass(frozen=True)
class HazardRatio:
    """exp(β) for one covariate with its interval and p-value."""

    covariate: str
    hazard_ratio: float
    ci_lower: float
    ci_upper: float
    p_value: float


@dataclass(frozen=True)
class CoxResult:
    """A fitted Cox model, ready to print."""

    ratios: tuple[HazardRatio, ...]
    limbs: int
    events: int
    patients: int | None
    clustered_by_patient: bool
    concordance: float


def indicator_columns(
    name: str, labels: Sequence[str], *, reference: str
) -> dict[str, list[float]]:
    """0/1 columns `name=label` for every label but the reference (e.g. WIfI stage vs stage 1)."""
    levels = sorted(set(labels))
    if reference not in levels:
        raise InvalidSurvivalData(name, f"reference {reference!r} is not among {levels}")
    return {
        f"{name}={level}": [float(label == level) for label in labels]
        for level in levels
        if level != reference
    }


def fit_cox(
    *,
    durations: ArrayLike,
    events: ArrayLike,
    covariates: Mapping[str, Sequence[float]],
    patient_ids: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> CoxResult:
    """Fit the model; with `patient_ids` the variance is clustered by patient."""
    times = as_durations(durations)
    observed = as_event_codes(events, size=times.size, largest=1, field="events")
    if not covariates:
        raise InvalidSurvivalData("covariates", "none given; expected at least one")
    frame = pd.DataFrame({_DURATION: times, _EVENT: observed})
    for name, values in covariates.items():
        column = np.asarray(values, dtype=np.float64)
        if column.shape != times.shape:
            raise InvalidSurvivalData(name, f"expected {times.size} values, got {column.size}")
        frame[name] = column
    if patient_ids is not None:
        if len(patient_ids) != times.size:
            raise InvalidSurvivalData("patient_ids", f"expected {times.size} ids")
        frame[_CLUSTER] = list(patient_ids)
    fitter = CoxPHFitter(alpha=alpha).fit(
        frame,
        duration_col=_DURATION,
        event_col=_EVENT,
        cluster_col=_CLUSTER if patient_ids is not None else None,
    )
    summary = fitter.summary
    lower = next(c for c in summary.columns if c.startswith("exp(coef) lower"))
    upper = next(c for c in summary.columns if c.startswith("exp(coef) upper"))
    ratios = tuple(
        HazardRatio(
            covariate=str(name),
            hazard_ratio=float(row["exp(coef)"]),
            ci_lower=float(row[lower]),
            ci_upper=float(row[upper]),
            p_value=float(row["p"]),
        )
        for name, row in summary.iterrows()
    )
    return CoxResult(
        ratios=ratios,
        limbs=int(times.size),
        events=int(observed.sum()),
        patients=len(set(patient_ids)) if patient_ids is not None else None,
        clustered_by_patient=patient_ids is not None,
        concordance=float(fitter.concordance_index_),
    )
