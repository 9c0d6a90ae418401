"""Survival data checked once and counted per distinct time: the one sort every estimator shares.

Times are any non-negative finite numbers (the registry uses whole days). Event codes are 0 for
a censored observation and 1, 2, … for the kind of event (1 only, for a single endpoint).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from limbsalvage.core.outcomes.errors import InvalidSurvivalData

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ArrayLike = npt.ArrayLike | Sequence[float]

# Whole-number times spanning at most this many values per row are counted with bincount
# instead of a sort (same result, linear time); registry times are whole days.
_DENSE_SPAN_PER_ROW = 4
_DENSE_SPAN_FLOOR = 1 << 16


def _first_bad(mask: npt.NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0])


def as_durations(values: ArrayLike, *, field: str = "durations") -> FloatArray:
    """Times as a 1-D float array; refuses non-numbers, NaN, infinity and negative times."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidSurvivalData(field, f"expected numbers ({error})") from None
    if array.ndim != 1:
        raise InvalidSurvivalData(field, f"expected one value per subject, got shape {array.shape}")
    if array.size == 0:
        raise InvalidSurvivalData(field, "no subjects; expected at least one time")
    bad = ~np.isfinite(array)
    if bad.any():
        index = _first_bad(bad)
        raise InvalidSurvivalData(
            field, f"{float(array[index])!r} is not a finite time", index=index
        )
    negative = array < 0
    if negative.any():
        index = _first_bad(negative)
        raise InvalidSurvivalData(
            field, f"{float(array[index])!r} is not allowed; expected a time ≥ 0", index=index
        )
    return array


def as_event_codes(
    values: ArrayLike, *, size: int, field: str = "events", largest: int | None = None
) -> IntArray:
    """Event codes as a 1-D int array: 0 censored, 1… kinds of event (at most `largest`)."""
    try:
        raw = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidSurvivalData(field, f"expected event codes ({error})") from None
    if raw.shape != (size,):
        raise InvalidSurvivalData(field, f"expected {size} values, got shape {raw.shape}")
    allowed = "0 (censored) or 1 (event)" if largest == 1 else "0 (censored) or a positive integer"
    bad = ~np.isfinite(raw) | (raw < 0) | (raw != np.floor(raw))
    if largest is not None:
        bad |= raw > largest
    if bad.any():
        index = _first_bad(bad)
        raise InvalidSurvivalData(
            field, f"{float(raw[index])!r} is not allowed; expected {allowed}", index=index
        )
    return raw.astype(np.int64)


@dataclass(frozen=True)
class TimeIndex:
    """Distinct times (ascending) and, for every subject, the position of its time among them."""

    times: FloatArray
    position: npt.NDArray[np.intp]


def index_times(durations: FloatArray) -> TimeIndex:
    """Map each time to its rank among the distinct (non-empty) times; exact, no jitter."""
    low = float(durations.min())
    span = float(durations.max()) - low
    dense_limit = max(_DENSE_SPAN_PER_ROW * durations.size, _DENSE_SPAN_FLOOR)
    if span < dense_limit and np.array_equal(durations, np.floor(durations)):
        offset = (durations - low).astype(np.intp)
        present = np.bincount(offset) > 0
        rank = np.cumsum(present) - 1
        times = np.flatnonzero(present).astype(np.float64) + low
        return TimeIndex(times=times, position=rank[offset])
    times, position = np.unique(durations, return_inverse=True)
    return TimeIndex(times=times, position=position)


@dataclass(frozen=True)
class EventCounts:
    """Per distinct time: number at risk just before it, events by code, and censored."""

    times: FloatArray
    at_risk: IntArray
    events: IntArray  # shape (times, codes): column k-1 counts events of code k
    censored: IntArray
    all_events: IntArray  # events of any code


def count_events(durations: FloatArray, codes: IntArray, *, n_codes: int) -> EventCounts:
    """Count subjects per distinct time and code in one pass (bincount over time × code)."""
    index = index_times(durations)
    size = index.times.size
    width = n_codes + 1
    table = np.bincount(index.position * width + codes, minlength=size * width).reshape(size, width)
    removed = np.bincount(index.position, minlength=size)
    at_risk = durations.size - np.concatenate(([0], np.cumsum(removed)[:-1]))
    censored = table[:, 0]
    return EventCounts(
        times=index.times,
        at_risk=np.asarray(at_risk, dtype=np.int64),
        events=np.asarray(table[:, 1:], dtype=np.int64),
        censored=np.asarray(censored, dtype=np.int64),
        all_events=np.asarray(removed - censored, dtype=np.int64),
    )
