"""Aalen–Johansen: equal to scikit-survival (ties handled the same), exact and order-free."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sksurv.nonparametric import cumulative_incidence_competing_risks

from limbsalvage.core.outcomes import (
    AalenJohansen,
    CifVariance,
    InvalidSurvivalData,
    KaplanMeier,
    NotFitted,
)
from limbsalvage.core.outcomes.aalen_johansen import cif_interval

from .strategies import survival_data

TOL = 1e-9
SKSURV_NAME = {CifVariance.AALEN: "Aalen", CifVariance.DELTA: "Dinse_Approx"}


def assert_equal_to_sksurv(
    durations: np.ndarray, codes: np.ndarray, method: CifVariance, event_of_interest: int
) -> None:
    ours = AalenJohansen(variance=method).fit(durations, codes, event_of_interest=event_of_interest)
    with np.errstate(divide="ignore", invalid="ignore"):
        times, incidence, bounds = cumulative_incidence_competing_risks(
            codes, durations, conf_type="log-log", var_type=SKSURV_NAME[method]
        )
    # scikit-survival's timeline has no extra 0 row; ours starts at 0 when no time is 0.
    skip = ours.timeline_.size - times.size
    assert ours.timeline_[skip:].tolist() == times.tolist()
    np.testing.assert_allclose(
        ours.cumulative_incidence_[skip:], incidence[event_of_interest], atol=TOL, rtol=0
    )
    lower, upper = bounds[event_of_interest]
    finite = np.isfinite(lower) & np.isfinite(upper)
    if method is CifVariance.DELTA:
        # Where every subject at risk has an event (n = d), scikit-survival's delta-method term
        # d/(n(n − d)) is ∞ and its dense sum gives 0·∞ = NaN at every time, dropping every
        # interval; we take the limit 0. Compare intervals only when that never happens.
        table = ours.summary
        if np.any(table.at_risk == table.events + table.competing_events):
            return
    np.testing.assert_allclose(ours.ci_lower_[skip:][finite], lower[finite], atol=TOL, rtol=0)
    np.testing.assert_allclose(ours.ci_upper_[skip:][finite], upper[finite], atol=TOL, rtol=0)


@pytest.mark.parametrize("method", list(CifVariance))
@given(data=survival_data(max_code=2, min_size=2), event_of_interest=st.sampled_from([1, 2]))
def test_equal_to_scikit_survival_with_ties(
    data: tuple[np.ndarray, np.ndarray], event_of_interest: int, method: CifVariance
) -> None:
    durations, codes = data
    codes[:2] = [2, 1]  # scikit-survival needs every code from 1 to the largest to appear
    assert_equal_to_sksurv(durations, codes, method, event_of_interest)


@pytest.mark.parametrize("method", list(CifVariance))
def test_equal_to_scikit_survival_on_a_larger_registry_like_sample(method: CifVariance) -> None:
    rng = np.random.default_rng(7)
    durations = rng.integers(0, 730, 3000).astype(float)
    codes = rng.choice([0, 1, 2], size=3000, p=[0.6, 0.25, 0.15])
    assert_equal_to_sksurv(durations, codes, method, 1)


def test_worked_example_by_hand() -> None:
    # Six limbs: amputation (1) at 2, death (2) at 2, censored at 3, amputation at 4, death at 5,
    # censored at 6. At t=2 six at risk, two events together: F₁(2) = 1/6, S(2) = 4/6.
    # t=4: three at risk, one amputation: F₁(4) = 1/6 + (4/6)(1/3) = 7/18.
    aj = AalenJohansen().fit([2, 2, 3, 4, 5, 6], [1, 2, 0, 1, 2, 0], event_of_interest=1)
    assert aj.timeline_.tolist() == [0, 2, 3, 4, 5, 6]
    assert aj.cumulative_incidence_.tolist() == pytest.approx(
        [0, 1 / 6, 1 / 6, 7 / 18, 7 / 18, 7 / 18]
    )
    assert aj.summary.events.tolist() == [0, 1, 0, 1, 0, 0]
    assert aj.summary.competing_events.tolist() == [0, 1, 0, 0, 1, 0]
    assert aj.summary.censored.tolist() == [0, 0, 1, 0, 0, 1]
    assert aj.event_free_[1] == pytest.approx(4 / 6)
    assert aj.incidence_at([-1, 2.5, 100]).tolist() == pytest.approx([0, 1 / 6, 7 / 18])
    assert aj.at_risk_at([0, 2, 2.5, 7]).tolist() == [6, 6, 4, 0]
    lower, upper = aj.ci_at([-1, 4])
    assert lower[0] == upper[0] == 0.0
    assert lower[1] < 7 / 18 < upper[1]
    assert aj.event_of_interest_ == 1
    assert aj.label_ == "all"
    assert aj.at_risk_.tolist() == [6, 6, 4, 3, 2, 1]
    assert aj.summary.estimate_name == "incidence"
    assert aj.variance_[0] == 0.0


@given(data=survival_data(max_code=1))
def test_without_competing_events_incidence_is_one_minus_kaplan_meier(
    data: tuple[np.ndarray, np.ndarray],
) -> None:
    durations, events = data
    incidence = AalenJohansen().fit(durations, events, event_of_interest=1)
    survival = KaplanMeier().fit(durations, events)
    np.testing.assert_allclose(
        incidence.cumulative_incidence_, 1 - survival.survival_function_, atol=1e-12
    )


@given(data=survival_data(max_code=3), event_of_interest=st.integers(1, 3))
def test_incidence_is_a_non_decreasing_probability(
    data: tuple[np.ndarray, np.ndarray], event_of_interest: int
) -> None:
    aj = AalenJohansen().fit(*data, event_of_interest=event_of_interest)
    incidence = aj.cumulative_incidence_
    assert np.all((incidence >= 0) & (incidence <= 1 + 1e-12))
    assert np.all(np.diff(incidence) >= -1e-15)
    assert np.all(aj.ci_lower_ <= incidence + 1e-12)
    assert np.all(incidence <= aj.ci_upper_ + 1e-12)
    assert np.all(aj.variance_ >= 0)


@given(data=survival_data(max_code=2), seed=st.integers(0, 2**32 - 1))
def test_tied_times_are_deterministic_whatever_the_row_order(
    data: tuple[np.ndarray, np.ndarray], seed: int
) -> None:
    durations, codes = data
    order = np.random.default_rng(seed).permutation(durations.size)
    first = AalenJohansen().fit(durations, codes, event_of_interest=1).summary.columns()
    again = AalenJohansen().fit(durations[order], codes[order], event_of_interest=1)
    assert first == again.summary.columns()


def test_all_of_one_kind_gives_incidence_one() -> None:
    aj = AalenJohansen().fit([1, 2], [1, 1], event_of_interest=1)
    assert aj.cumulative_incidence_.tolist() == [0.0, 0.5, 1.0]
    assert aj.ci_lower_[-1] == aj.ci_upper_[-1] == 1.0


def test_an_event_kind_absent_from_the_data_has_zero_incidence() -> None:
    aj = AalenJohansen().fit([1, 2, 3], [1, 0, 1], event_of_interest=2)
    assert aj.cumulative_incidence_.tolist() == [0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("code", [0, -1, True])
def test_event_of_interest_must_be_a_positive_code(code: int) -> None:
    with pytest.raises(InvalidSurvivalData, match="event_of_interest"):
        AalenJohansen().fit([1, 2], [1, 0], event_of_interest=code)


def test_reading_before_fit_is_an_error() -> None:
    with pytest.raises(NotFitted, match="AalenJohansen"):
        _ = AalenJohansen().cumulative_incidence_


def test_unknown_variance_name_is_refused() -> None:
    with pytest.raises(ValueError, match="greenwood"):
        AalenJohansen(variance="greenwood")  # type: ignore[arg-type]


def test_incidence_one_up_to_rounding_does_not_overflow() -> None:
    lower, upper = cif_interval(np.array([1 - 3.3e-16]), np.array([3.9e-16]), 1.96)
    assert (lower[0], upper[0]) == (0.0, 1.0)
