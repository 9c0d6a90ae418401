"""Log-rank test: equal to lifelines, to the published 6-MP result, and correctly stratified."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines.statistics import logrank_test as lifelines_two_groups
from lifelines.statistics import multivariate_logrank_test

from limbsalvage.core.outcomes import InvalidSurvivalData, logrank_test

from .conftest import PLACEBO_RELAPSE, PLACEBO_WEEKS, SIX_MP_RELAPSE, SIX_MP_WEEKS
from .strategies import TIME


def test_six_mp_against_placebo_reproduces_the_published_test() -> None:
    # R survdiff on the Gehan/Freireich data: Chisq = 16.8 on 1 df, p = 4.17e-05;
    # placebo O = 21, E = 10.7; 6-MP O = 9, E = 19.3 (Klein & Moeschberger 2003, Example 7.2).
    result = logrank_test(
        SIX_MP_WEEKS + PLACEBO_WEEKS,
        SIX_MP_RELAPSE + PLACEBO_RELAPSE,
        ["6-MP"] * 21 + ["placebo"] * 21,
    )
    assert result.statistic == pytest.approx(16.79, abs=0.005)
    assert result.p_value == pytest.approx(4.17e-5, abs=5e-8)
    assert result.degrees_of_freedom == 1
    assert result.groups == ("6-MP", "placebo")
    assert result.observed == (9.0, 21.0)
    assert result.expected == pytest.approx((19.25, 10.75), abs=0.005)
    assert result.strata == 1


@st.composite
def grouped(draw: st.DrawFn, groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    size = draw(st.integers(2 * groups, 60))
    times = np.array(draw(st.lists(TIME, min_size=size, max_size=size)))
    events = np.array(draw(st.lists(st.integers(0, 1), min_size=size, max_size=size)))
    labels = np.array([i % groups for i in range(size)])
    events[0] = 1
    return times, events, labels


@settings(max_examples=60)
@given(data=grouped(2))
def test_two_groups_equal_lifelines(data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    times, events, labels = data
    ours = logrank_test(times, events, labels)
    a, b = labels == 0, labels == 1
    theirs = lifelines_two_groups(times[a], times[b], events[a], events[b])
    assert ours.statistic == pytest.approx(theirs.test_statistic, rel=1e-9, abs=1e-9)
    assert ours.p_value == pytest.approx(theirs.p_value, rel=1e-9, abs=1e-12)


@settings(max_examples=60)
@given(data=grouped(4))
def test_k_groups_equal_lifelines(data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    times, events, labels = data
    ours = logrank_test(times, events, labels)
    theirs = multivariate_logrank_test(times, labels, events)
    assert ours.degrees_of_freedom == theirs.degrees_of_freedom == 3
    assert ours.statistic == pytest.approx(theirs.test_statistic, rel=1e-9, abs=1e-9)
    assert ours.p_value == pytest.approx(theirs.p_value, rel=1e-9, abs=1e-12)


def naive_stratified(
    times: np.ndarray, events: np.ndarray, labels: np.ndarray, strata: np.ndarray
) -> float:
    """The textbook sums written as loops over strata, event times and groups."""
    groups = sorted(set(labels.tolist()))
    k = len(groups)
    o_minus_e = np.zeros(k)
    covariance = np.zeros((k, k))
    for stratum in set(strata.tolist()):
        s = strata == stratum
        for t in sorted(set(times[s & (events == 1)].tolist())):
            at_risk = np.array([np.sum(s & (labels == g) & (times >= t)) for g in groups], float)
            deaths = np.array(
                [np.sum(s & (labels == g) & (times == t) & (events == 1)) for g in groups], float
            )
            n, d = at_risk.sum(), deaths.sum()
            o_minus_e += deaths - d * at_risk / n
            if n > 1:
                for i in range(k):
                    for j in range(k):
                        share = at_risk[i] / n * ((i == j) - at_risk[j] / n)
                        covariance[i, j] += d * (n - d) / (n - 1) * share
    z = o_minus_e[:-1]
    return float(z @ np.linalg.pinv(covariance[:-1, :-1]) @ z)


@settings(max_examples=40)
@given(data=grouped(3), strata_count=st.integers(1, 3))
def test_stratified_statistic_sums_the_strata(
    data: tuple[np.ndarray, np.ndarray, np.ndarray], strata_count: int
) -> None:
    times, events, labels = data
    strata = np.array([(i // 3) % strata_count for i in range(times.size)])
    ours = logrank_test(times, events, labels, strata=strata)
    assert ours.strata == len(set(strata.tolist()))
    assert ours.statistic == pytest.approx(
        naive_stratified(times, events, labels, strata), rel=1e-9, abs=1e-9
    )


def test_one_stratum_is_the_unstratified_test() -> None:
    rng = np.random.default_rng(3)
    times = rng.integers(0, 50, 300).astype(float)
    events = rng.integers(0, 2, 300)
    labels = rng.integers(0, 3, 300)
    plain = logrank_test(times, events, labels)
    one = logrank_test(times, events, labels, strata=["site A"] * 300)
    assert one.statistic == pytest.approx(plain.statistic, rel=1e-12)


def test_a_group_absent_from_every_event_time_keeps_the_test_defined() -> None:
    result = logrank_test([1, 2, 3, 10, 11], [1, 1, 1, 0, 0], ["a", "a", "b", "c", "c"])
    assert np.isfinite(result.statistic)
    assert result.degrees_of_freedom == 2


def test_a_single_group_is_refused() -> None:
    with pytest.raises(InvalidSurvivalData, match="only one group"):
        logrank_test([1, 2], [1, 1], ["a", "a"])


def test_labels_must_match_the_subjects() -> None:
    with pytest.raises(InvalidSurvivalData, match="groups: expected 2 labels"):
        logrank_test([1, 2], [1, 1], ["a"])
