"""Hypothesis strategies for survival data: ties, time-zero events and all-censored groups."""

import numpy as np
from hypothesis import strategies as st

TIME = st.one_of(st.integers(0, 30).map(float), st.floats(0, 100, allow_nan=False))


@st.composite
def survival_data(
    draw: st.DrawFn, *, max_code: int = 1, min_size: int = 1, max_size: int = 80
) -> tuple[np.ndarray, np.ndarray]:
    """Times (many ties) and event codes 0…max_code."""
    size = draw(st.integers(min_size, max_size))
    times = draw(st.lists(TIME, min_size=size, max_size=size))
    codes = draw(st.lists(st.integers(0, max_code), min_size=size, max_size=size))
    return np.array(times), np.array(codes)
