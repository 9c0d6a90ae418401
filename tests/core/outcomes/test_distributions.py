"""The closed-form chi-square tail and normal quantile agree with scipy."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from limbsalvage.core.outcomes.distributions import chi2_sf, two_sided_z


@given(
    statistic=st.floats(min_value=0, max_value=2000, allow_nan=False),
    degrees_of_freedom=st.integers(min_value=1, max_value=40),
)
def test_chi2_tail_matches_scipy(statistic: float, degrees_of_freedom: int) -> None:
    expected = stats.chi2.sf(statistic, degrees_of_freedom)
    assert chi2_sf(statistic, degrees_of_freedom) == pytest.approx(expected, rel=1e-10, abs=1e-300)


def test_chi2_tail_of_zero_and_negative_is_one() -> None:
    assert chi2_sf(0.0, 3) == 1.0
    assert chi2_sf(-1.0, 1) == 1.0


def test_chi2_needs_a_positive_degree_of_freedom() -> None:
    with pytest.raises(ValueError, match="degrees_of_freedom"):
        chi2_sf(1.0, 0)


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1, 0.5])
def test_z_matches_scipy(alpha: float) -> None:
    assert two_sided_z(alpha) == pytest.approx(stats.norm.ppf(1 - alpha / 2), abs=1e-14)


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1, 2.0])
def test_alpha_outside_the_open_unit_interval_is_refused(alpha: float) -> None:
    with pytest.raises(ValueError, match="alpha"):
        two_sided_z(alpha)
