"""Input checks name the field and position; the counting is exact and order-free."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.outcomes import data
from limbsalvage.core.outcomes.data import (
    as_durations,
    as_event_codes,
    count_events,
    index_times,
)
from limbsalvage.core.outcomes.errors import InvalidSurvivalData


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([1.0, -2.0], r"durations\[1\]: -2.0 is not allowed; expected a time ≥ 0"),
        ([1.0, float("nan")], r"durations\[1\]: nan is not a finite time"),
        ([float("inf")], r"durations\[0\]: inf is not a finite time"),
        (["a"], "durations: expected numbers"),
        ([[1.0, 2.0]], "expected one value per subject"),
        ([], "no subjects"),
    ],
)
def test_bad_durations_name_the_position(values: object, message: str) -> None:
    with pytest.raises(InvalidSurvivalData, match=message):
        as_durations(values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "largest", "message"),
    [
        ([0, 2], 1, r"events\[1\]: 2.0 is not allowed; expected 0 \(censored\) or 1 \(event\)"),
        ([0, 0.5], None, r"events\[1\]: 0.5 is not allowed; expected 0 \(censored\) or a positive"),
        ([-1, 0], None, r"events\[0\]"),
        ([0], None, "expected 2 values"),
        (["x", "y"], None, "expected event codes"),
    ],
)
def test_bad_event_codes_name_the_position(
    values: object, largest: int | None, message: str
) -> None:
    with pytest.raises(InvalidSurvivalData, match=message):
        as_event_codes(values, size=2, largest=largest)  # type: ignore[arg-type]


def test_booleans_are_event_indicators() -> None:
    assert as_event_codes([True, False], size=2, largest=1).tolist() == [1, 0]


def test_counts_per_distinct_time() -> None:
    counts = count_events(np.array([3.0, 1.0, 3.0, 3.0, 5.0]), np.array([1, 0, 2, 0, 1]), n_codes=2)
    assert counts.times.tolist() == [1.0, 3.0, 5.0]
    assert counts.at_risk.tolist() == [5, 4, 1]
    assert counts.events.tolist() == [[0, 0], [1, 1], [1, 0]]
    assert counts.censored.tolist() == [1, 1, 0]
    assert counts.all_events.tolist() == [0, 2, 1]


times = st.lists(
    st.one_of(st.integers(0, 400).map(float), st.floats(0, 1e6, allow_nan=False)),
    min_size=1,
    max_size=60,
)


@given(values=times)
def test_dense_and_sorting_paths_agree(values: list[float]) -> None:
    durations = np.array(values)
    fast = index_times(durations)
    times_sorted, position = np.unique(durations, return_inverse=True)
    assert fast.times.tolist() == times_sorted.tolist()
    assert fast.position.tolist() == position.tolist()


def test_wide_whole_numbers_take_the_sorting_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "_DENSE_SPAN_FLOOR", 1)
    durations = np.array([0.0, 1e9, 5.0, 5.0])
    index = index_times(durations)
    assert index.times.tolist() == [0.0, 5.0, 1e9]
    assert index.position.tolist() == [0, 2, 1, 1]
