"""Kaplan–Meier: equal to lifelines, to a published worked example, and well-behaved."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times, restricted_mean_survival_time

from limbsalvage.core.outcomes import InvalidSurvivalData, KaplanMeier, NotFitted

from .strategies import survival_data

TOL = 1e-9


def lifelines_fit(durations: np.ndarray, events: np.ndarray) -> KaplanMeierFitter:
    return KaplanMeierFitter().fit(durations, events)


def assert_equal_to_lifelines(durations: np.ndarray, events: np.ndarray) -> None:
    ours = KaplanMeier().fit(durations, events)
    theirs = lifelines_fit(durations, events)
    assert ours.timeline_.tolist() == theirs.timeline.tolist()
    np.testing.assert_allclose(
        ours.survival_function_, theirs.survival_function_.to_numpy()[:, 0], atol=TOL, rtol=0
    )
    bounds = theirs.confidence_interval_.to_numpy()
    np.testing.assert_allclose(ours.ci_lower_, bounds[:, 0], atol=TOL, rtol=0)
    np.testing.assert_allclose(ours.ci_upper_, bounds[:, 1], atol=TOL, rtol=0)
    assert ours.at_risk_.tolist() == theirs.event_table["at_risk"].tolist()
    assert ours.median_survival_time_ == theirs.median_survival_time_
    expected_median_ci = median_survival_times(theirs.confidence_interval_).to_numpy()[0]
    assert list(ours.median_ci_) == expected_median_ci.tolist()


@given(data=survival_data())
def test_equal_to_lifelines_on_random_data_with_ties(data: tuple[np.ndarray, np.ndarray]) -> None:
    assert_equal_to_lifelines(*data)


def test_equal_to_lifelines_on_a_large_sample() -> None:
    rng = np.random.default_rng(20260101)
    durations = rng.integers(0, 1500, 20_000).astype(float)
    assert_equal_to_lifelines(durations, rng.random(20_000) < 0.4)


def test_reproduces_the_published_six_mp_example(six_mp: tuple[np.ndarray, np.ndarray]) -> None:
    # Klein & Moeschberger 2003, Table 4.1A (6-MP arm), also the NAG g12aac example results:
    # week 6 0.857 (SE 0.076), 7 0.807 (0.087), 10 0.753 (0.096), 13 0.690 (0.107),
    # 16 0.627 (0.114), 22 0.538 (0.128), 23 0.448 (0.135).
    published = {
        6: (0.857, 0.076),
        7: (0.807, 0.087),
        10: (0.753, 0.096),
        13: (0.690, 0.107),
        16: (0.627, 0.114),
        22: (0.538, 0.128),
        23: (0.448, 0.135),
    }
    km = KaplanMeier().fit(*six_mp)
    weeks = list(published)
    survival = km.survival_at(weeks)
    table = km.summary
    std_error = {t: table.std_error[table.time.tolist().index(t)] for t in weeks}
    for week, value in zip(weeks, survival, strict=True):
        assert value == pytest.approx(published[week][0], abs=5e-4)
        assert std_error[week] == pytest.approx(published[week][1], abs=5e-4)
    assert km.median_survival_time_ == 23.0


def test_time_zero_row_and_events_at_time_zero() -> None:
    km = KaplanMeier().fit([0, 0, 1, 2], [1, 0, 1, 0])
    assert km.timeline_.tolist() == [0.0, 1.0, 2.0]
    assert km.survival_function_[0] == pytest.approx(0.75)
    later = KaplanMeier().fit([3, 5], [1, 1])
    assert later.timeline_.tolist() == [0.0, 3.0, 5.0]
    assert later.summary.at_risk.tolist() == [2, 2, 1]
    assert later.summary.events.tolist() == [0, 1, 1]


def test_events_default_to_all_observed() -> None:
    km = KaplanMeier().fit([1, 2, 3, 4])
    assert km.survival_function_.tolist() == pytest.approx([1.0, 0.75, 0.5, 0.25, 0.0])
    assert km.ci_lower_[-1] == 0.0
    assert km.ci_upper_[-1] == 0.0
    assert km.ci_lower_[0] == km.ci_upper_[0] == 1.0
    assert km.median_survival_time_ == 2.0


def test_median_not_reached_is_infinite() -> None:
    km = KaplanMeier().fit([1, 2, 3, 4], [1, 0, 0, 0])
    assert km.median_survival_time_ == float("inf")
    assert km.median_ci_[1] == float("inf")


def test_values_at_chosen_times_and_numbers_at_risk(
    six_mp: tuple[np.ndarray, np.ndarray],
) -> None:
    durations, events = six_mp
    km = KaplanMeier().fit(durations, events)
    points = [-1.0, 0.0, 5.0, 6.0, 6.5, 35.0, 40.0]
    assert km.at_risk_at(points).tolist() == [int((durations >= t).sum()) for t in points]
    survival = km.survival_at(points)
    assert survival[0] == 1.0
    assert survival[2] == 1.0
    assert survival[3] == pytest.approx(18 / 21)
    assert survival[4] == survival[3]
    assert survival[-1] == survival[-2]
    lower, upper = km.ci_at([6.0, 40.0])
    assert lower[0] == km.ci_lower_[1]
    assert upper[1] == km.ci_upper_[-1]


@pytest.mark.parametrize("horizon", [1.0, 10.0, 23.0, 35.0, 50.0])
def test_restricted_mean_equals_lifelines_and_the_textbook_variance(
    six_mp: tuple[np.ndarray, np.ndarray], horizon: float
) -> None:
    durations, events = six_mp
    km = KaplanMeier().fit(durations, events)
    result = km.restricted_mean(horizon)
    theirs = restricted_mean_survival_time(lifelines_fit(durations, events), t=horizon)
    assert result.estimate == pytest.approx(theirs, abs=TOL)
    # Klein & Moeschberger eq. 4.5.2 written out naively: Σ A_i² d_i / (n_i (n_i − d_i)).
    table = km.summary
    variance = 0.0
    for i, t in enumerate(table.time):
        if t >= horizon or table.events[i] == 0:
            continue
        grid = np.linspace(t, horizon, 20_001)
        area = float(np.sum(km.survival_at(grid[:-1]) * np.diff(grid)))
        n, d = table.at_risk[i], table.events[i]
        variance += area**2 * d / (n * (n - d))
    assert result.std_error == pytest.approx(np.sqrt(variance), rel=1e-3)
    assert 0 <= result.ci_lower <= result.estimate <= result.ci_upper <= horizon


def test_restricted_mean_needs_a_positive_horizon() -> None:
    km = KaplanMeier().fit([1, 2])
    with pytest.raises(InvalidSurvivalData, match="horizon"):
        km.restricted_mean(0.0)


def test_summary_columns_and_variance(six_mp: tuple[np.ndarray, np.ndarray]) -> None:
    km = KaplanMeier(alpha=0.1).fit(*six_mp, label="6-MP")
    columns = km.summary.columns()
    assert list(columns) == [
        "time",
        "at_risk",
        "events",
        "competing_events",
        "censored",
        "survival",
        "std_error",
        "ci_lower",
        "ci_upper",
    ]
    assert len(km.summary) == len(columns["time"])
    assert km.label_ == "6-MP"
    np.testing.assert_allclose(np.sqrt(km.variance_), km.summary.std_error)
    assert sum(columns["censored"]) == 12  # type: ignore[arg-type]
    theirs = KaplanMeierFitter(alpha=0.1).fit(*six_mp).confidence_interval_.to_numpy()
    np.testing.assert_allclose(km.ci_lower_, theirs[:, 0], atol=TOL)


def test_reading_before_fit_is_an_error() -> None:
    with pytest.raises(NotFitted, match="KaplanMeier is not fitted"):
        _ = KaplanMeier().survival_function_


def test_bad_alpha_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="alpha"):
        KaplanMeier(alpha=1.5)


@given(data=survival_data())
def test_survival_is_a_non_increasing_probability(data: tuple[np.ndarray, np.ndarray]) -> None:
    km = KaplanMeier().fit(*data)
    survival = km.survival_function_
    assert np.all((survival >= 0) & (survival <= 1))
    assert np.all(np.diff(survival) <= 0)
    assert np.all(km.ci_lower_ <= survival + 1e-12)
    assert np.all(survival <= km.ci_upper_ + 1e-12)


@given(data=survival_data(), seed=st.integers(0, 2**32 - 1))
def test_row_order_does_not_change_anything(data: tuple[np.ndarray, np.ndarray], seed: int) -> None:
    durations, events = data
    order = np.random.default_rng(seed).permutation(durations.size)
    first = KaplanMeier().fit(durations, events).summary.columns()
    again = KaplanMeier().fit(durations[order], events[order]).summary.columns()
    assert first == again


@given(data=survival_data(min_size=2))
def test_one_subject_per_cluster_gives_the_greenwood_variance(
    data: tuple[np.ndarray, np.ndarray],
) -> None:
    durations, events = data
    km = KaplanMeier().fit(durations, events, clusters=np.arange(durations.size))
    robust = km.clustered_ci_at(km.timeline_)
    np.testing.assert_allclose(robust.std_error, km.summary.std_error, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(robust.ci_lower, km.ci_lower_, atol=1e-9)
    assert robust.clusters == durations.size


@given(data=survival_data(min_size=2))
def test_two_limbs_of_one_patient_count_once_in_the_clustered_variance(
    data: tuple[np.ndarray, np.ndarray],
) -> None:
    # Each patient contributes two identical limbs: Greenwood treats them as independent and
    # halves the variance; clustering by patient gives back the variance of the patients.
    durations, events = data
    patients = KaplanMeier().fit(durations, events, clusters=np.arange(durations.size))
    doubled = KaplanMeier().fit(
        np.repeat(durations, 2),
        np.repeat(events, 2),
        clusters=np.repeat(np.arange(durations.size), 2),
    )
    at = np.append(patients.timeline_, [-1.0, 1e6])
    np.testing.assert_allclose(
        doubled.clustered_ci_at(at).std_error, patients.clustered_ci_at(at).std_error, atol=1e-12
    )
    independent = doubled.summary.std_error
    assert np.all(independent <= doubled.clustered_ci_at(doubled.timeline_).std_error + 1e-12)


def test_clustered_interval_needs_clusters_of_the_right_size() -> None:
    with pytest.raises(InvalidSurvivalData, match="clusters: not given to fit"):
        KaplanMeier().fit([1, 2]).clustered_ci_at([1])
    with pytest.raises(InvalidSurvivalData, match="clusters: expected 2 labels"):
        KaplanMeier().fit([1, 2], clusters=["a"])


def _naive_clustered_variance(
    durations: np.ndarray, events: np.ndarray, clusters: np.ndarray, at: np.ndarray
) -> np.ndarray:
    """Σ over clusters of the summed influence on log Ŝ(t), subject by subject, time by time."""
    km = KaplanMeier().fit(durations, events)
    table = km.summary
    n, d = table.at_risk.astype(float), table.events.astype(float)
    greenwood = np.cumsum(np.divide(d, n * (n - d), out=np.zeros_like(d), where=n > d))
    inverse = np.divide(1.0, n - d, out=np.zeros_like(d), where=n > d)
    position = np.searchsorted(table.time, durations)
    variance = []
    for t in at:
        step = np.searchsorted(table.time, t, side="right") - 1
        shared = greenwood[step] if step >= 0 else 0.0
        totals: dict[object, float] = {}
        for i, cluster in enumerate(clusters):
            influence = (
                greenwood[position[i]] - events[i] * inverse[position[i]]
                if durations[i] <= t
                else shared
            )
            totals[cluster] = totals.get(cluster, 0.0) + influence
        variance.append(sum(v * v for v in totals.values()))
    return np.array(variance)


@given(data=survival_data(min_size=2), seed=st.integers(0, 2**32 - 1))
def test_clustered_band_equals_the_influence_sum_done_the_long_way(
    data: tuple[np.ndarray, np.ndarray], seed: int
) -> None:
    durations, events = data
    rng = np.random.default_rng(seed)
    clusters = rng.integers(0, max(2, durations.size // 2), durations.size)
    if np.unique(clusters).size < 2:
        clusters[0], clusters[-1] = 0, 1
    km = KaplanMeier().fit(durations, events, clusters=clusters)
    at = np.append(km.timeline_, [-1.0, float(durations.max()) + 1])
    expected = _naive_clustered_variance(durations, events, clusters, at)
    survival = km.survival_at(at)
    np.testing.assert_allclose(
        km.clustered_ci_at(at).std_error, survival * np.sqrt(expected), rtol=1e-7, atol=1e-12
    )
    band = km.clustered_summary
    np.testing.assert_allclose(
        band.std_error, km.clustered_ci_at(km.timeline_).std_error, rtol=1e-12, atol=1e-15
    )
    np.testing.assert_array_equal(band.estimate, km.summary.estimate)
    assert np.all(band.ci_lower <= band.estimate + 1e-12)
    assert np.all(band.estimate <= band.ci_upper + 1e-12)


def test_one_cluster_leaves_the_clustered_band_undefined() -> None:
    km = KaplanMeier().fit([1, 2, 3], [1, 0, 1], clusters=["p", "p", "p"])
    assert np.all(np.isnan(km.clustered_summary.std_error))
    assert np.isnan(km.clustered_ci_at([2]).std_error[0])
    with pytest.raises(InvalidSurvivalData, match="clusters: not given to fit"):
        _ = KaplanMeier().fit([1, 2]).clustered_summary
