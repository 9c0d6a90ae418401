"""Wound area: ellipse estimate and percentage reduction (Shaw 2007, SVS 2016, Sheehan 2003)."""

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.tables.wound_area import FOUR_WEEK_REDUCTION
from limbsalvage.core.wound_area import (
    ELLIPSE_AREA,
    AreaPoint,
    area_reduction_since_baseline,
    ellipse_area_cm2,
    four_week_area_reduction,
    percent_area_reduction,
)

DAY0 = date(2026, 1, 5)


def _series(*pairs: tuple[int, float]) -> list[AreaPoint]:
    return [AreaPoint(DAY0 + timedelta(days=d), area) for d, area in pairs]


def test_ellipse_is_length_times_width_times_pi_over_four() -> None:
    # Shaw 2007: π·a·b with a, b the semi-axes; a 4 × 2 cm wound is π × 2 × 1 = 6.28 cm².
    assert ellipse_area_cm2(length_cm=4, width_cm=2) == pytest.approx(2 * math.pi)
    assert ELLIPSE_AREA.ref == "wound-area-ellipse@2007.1"


def test_ellipse_refuses_impossible_lengths() -> None:
    with pytest.raises(InvalidInput, match="length_cm"):
        ellipse_area_cm2(length_cm=-1, width_cm=2)
    with pytest.raises(InvalidInput, match="width_cm"):
        ellipse_area_cm2(length_cm=1, width_cm=51)


def test_percent_reduction_and_growth() -> None:
    assert percent_area_reduction(baseline_area_cm2=4, area_cm2=1) == 75
    assert percent_area_reduction(baseline_area_cm2=4, area_cm2=6) == -50


def test_zero_baseline_has_no_percentage() -> None:
    with pytest.raises(CannotClassify, match="baseline area is 0"):
        percent_area_reduction(baseline_area_cm2=0, area_cm2=1)


def test_since_baseline_uses_first_and_last_day() -> None:
    result = area_reduction_since_baseline(points=_series((0, 4.0), (14, 3.0), (42, 1.0)))
    assert (result.days, result.percent_reduction) == (42, 75)
    assert result.meets_four_week_target is None
    assert "Sheehan" in result.source
    assert result.tables == ()


def test_last_measurement_of_a_day_stands_for_it() -> None:
    # Measured before and after debridement on day 0: the later (larger) area is the baseline.
    points = _series((0, 2.0), (0, 4.0), (28, 1.0))
    assert four_week_area_reduction(points=points).baseline_area_cm2 == 4.0


def test_four_week_picks_closest_to_day_28() -> None:
    result = four_week_area_reduction(points=_series((0, 10.0), (21, 6.0), (27, 4.0), (35, 2.0)))
    assert (result.days, result.area_cm2) == (27, 4.0)
    assert result.percent_reduction == 60
    assert result.meets_four_week_target is True
    assert result.tables == (FOUR_WEEK_REDUCTION,)
    assert "more than the 50% reduction" in result.rationale


def test_four_week_tie_goes_to_the_earlier_day() -> None:
    result = four_week_area_reduction(points=_series((0, 10.0), (21, 6.0), (35, 2.0)))
    assert result.days == 21


def test_exactly_half_is_not_more_than_half() -> None:
    # SVS 2016 rec. 5 asks for more than 50%: exactly 50% counts as not improving enough.
    result = four_week_area_reduction(points=_series((0, 2.0), (28, 1.0)))
    assert result.meets_four_week_target is False
    assert "not more than the 50%" in result.rationale


def test_growth_is_reported_as_larger() -> None:
    result = four_week_area_reduction(points=_series((0, 2.0), (28, 3.0)))
    assert "50.0% larger" in result.rationale


def test_four_week_needs_a_measurement_in_the_window() -> None:
    with pytest.raises(CannotClassify, match="a measurement 21–35 days after baseline"):
        four_week_area_reduction(points=_series((0, 2.0), (14, 1.0), (36, 1.0)))


def test_a_single_day_is_not_enough() -> None:
    with pytest.raises(CannotClassify, match="a second measured day"):
        area_reduction_since_baseline(points=_series((0, 2.0), (0, 1.5)))


areas = st.floats(min_value=0.01, max_value=2500, allow_nan=False)


@given(baseline=areas, current=areas)
def test_reduction_is_at_most_100_and_signed_by_direction(baseline: float, current: float) -> None:
    percent = percent_area_reduction(baseline_area_cm2=baseline, area_cm2=current)
    assert percent <= 100
    assert (percent > 0) == (current < baseline)


@given(baseline=areas, current=areas, factor=st.floats(min_value=0.1, max_value=1))
def test_reduction_does_not_depend_on_units(baseline: float, current: float, factor: float) -> None:
    plain = percent_area_reduction(baseline_area_cm2=baseline, area_cm2=current)
    scaled = percent_area_reduction(baseline_area_cm2=baseline * factor, area_cm2=current * factor)
    assert scaled == pytest.approx(plain, rel=1e-9, abs=1e-9)


@given(days=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=8, unique=True))
def test_four_week_measurement_is_within_the_window_and_closest(days: list[int]) -> None:
    points = _series((0, 5.0), *[(d, 1.0 + d / 100) for d in sorted(days)])
    in_window = [d for d in days if 21 <= d <= 35]
    if not in_window:
        with pytest.raises(CannotClassify):
            four_week_area_reduction(points=points)
        return
    result = four_week_area_reduction(points=points)
    assert result.days in in_window
    assert all(abs(result.days - 28) <= abs(d - 28) for d in in_window)


@given(length=st.floats(min_value=0, max_value=50), width=st.floats(min_value=0, max_value=50))
def test_ellipse_is_below_the_rectangle(length: float, width: float) -> None:
    area = ellipse_area_cm2(length_cm=length, width_cm=width)
    assert 0 <= area <= length * width
