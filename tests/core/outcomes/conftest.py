"""Shared data for the estimator tests: the 6-MP remission trial (Freireich et al. 1963)."""

import numpy as np
import pytest

# Freireich EJ et al. Blood 1963;21:699–716, as tabulated in Klein JP, Moeschberger ML. Survival
# Analysis, 2nd ed. 2003, §1.2 (KMsurv::drug6mp) and in R's MASS::gehan: weeks in remission.
SIX_MP_WEEKS = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIX_MP_RELAPSE = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PLACEBO_WEEKS = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
PLACEBO_RELAPSE = [1] * 21


@pytest.fixture
def six_mp() -> tuple[np.ndarray, np.ndarray]:
    return np.array(SIX_MP_WEEKS, dtype=float), np.array(SIX_MP_RELAPSE)
