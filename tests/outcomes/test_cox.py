"""The Cox wrapper gives lifelines' hazard ratios, and clusters the variance by patient."""

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter

from limbsalvage.core.outcomes.errors import InvalidSurvivalData
from limbsalvage.outcomes.cox import fit_cox, indicator_columns


def two_limb_cohort(patients: int = 150, seed: int = 5) -> dict[str, np.ndarray]:
    """Patients with two limbs that share a frailty, so limbs of one patient are correlated."""
    rng = np.random.default_rng(seed)
    frailty = np.repeat(rng.gamma(0.5, 2.0, patients), 2)
    stage = rng.integers(1, 5, 2 * patients)
    rate = frailty * np.exp(0.4 * (stage - 1)) / 400
    time = np.ceil(rng.exponential(1 / rate))
    censor = rng.uniform(30, 900, 2 * patients)
    return {
        "days": np.minimum(time, np.ceil(censor)),
        "event": (time <= censor).astype(int),
        "stage": stage,
        "patient": np.repeat(np.arange(patients), 2).astype(str),
    }


def test_hazard_ratios_equal_lifelines() -> None:
    data = two_limb_cohort()
    covariates = indicator_columns("stage", [str(s) for s in data["stage"]], reference="1")
    result = fit_cox(durations=data["days"], events=data["event"], covariates=covariates)
    frame = pd.DataFrame({"t": data["days"], "e": data["event"], **covariates})
    reference = CoxPHFitter().fit(frame, "t", "e").summary
    for ratio in result.ratios:
        assert ratio.hazard_ratio == pytest.approx(reference.loc[ratio.covariate, "exp(coef)"])
        assert ratio.p_value == pytest.approx(reference.loc[ratio.covariate, "p"])
        assert ratio.ci_lower < ratio.hazard_ratio < ratio.ci_upper
    assert [r.covariate for r in result.ratios] == ["stage=2", "stage=3", "stage=4"]
    assert result.limbs == 300
    assert result.events == int(data["event"].sum())
    assert not result.clustered_by_patient
    assert 0.5 < result.concordance < 1.0


def test_clustering_by_patient_keeps_the_ratio_and_changes_the_interval() -> None:
    data = two_limb_cohort()
    covariates = indicator_columns("stage", [str(s) for s in data["stage"]], reference="1")
    plain = fit_cox(durations=data["days"], events=data["event"], covariates=covariates)
    clustered = fit_cox(
        durations=data["days"],
        events=data["event"],
        covariates=covariates,
        patient_ids=list(data["patient"]),
    )
    assert clustered.clustered_by_patient
    assert clustered.patients == 150
    for a, b in zip(plain.ratios, clustered.ratios, strict=True):
        assert a.hazard_ratio == pytest.approx(b.hazard_ratio)
        assert (a.ci_lower, a.ci_upper) != pytest.approx((b.ci_lower, b.ci_upper))
    frame = pd.DataFrame(
        {"t": data["days"], "e": data["event"], "p": data["patient"], **covariates}
    )
    robust = CoxPHFitter().fit(frame, "t", "e", cluster_col="p").summary
    for ratio in clustered.ratios:
        assert ratio.ci_upper == pytest.approx(robust.loc[ratio.covariate, "exp(coef) upper 95%"])


def test_bad_inputs_name_the_field() -> None:
    with pytest.raises(InvalidSurvivalData, match="covariates: none given"):
        fit_cox(durations=[1, 2], events=[1, 0], covariates={})
    with pytest.raises(InvalidSurvivalData, match="age: expected 2 values"):
        fit_cox(durations=[1, 2], events=[1, 0], covariates={"age": [70.0]})
    with pytest.raises(InvalidSurvivalData, match="patient_ids: expected 2 ids"):
        fit_cox(
            durations=[1, 2], events=[1, 0], covariates={"age": [70.0, 71.0]}, patient_ids=["a"]
        )
    with pytest.raises(InvalidSurvivalData, match="reference '9' is not among"):
        indicator_columns("stage", ["1", "2"], reference="9")
