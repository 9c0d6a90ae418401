"""Vein-graft duplex grades: stenosis PSV > 180 cm/s and Vr > 1.5; intervention threshold
PSV > 300 cm/s and Vr > 3.5 ('Prospective validation of threshold criteria for intervention in
infrainguinal vein grafts undergoing duplex surveillance', abstract)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.surveillance import GraftDuplexGrade, grade_vein_graft
from limbsalvage.core.vocabulary import DuplexPatency

G = GraftDuplexGrade
PATENT = DuplexPatency.PATENT


@pytest.mark.parametrize(
    ("psv", "ratio", "grade"),
    [
        (120, 1.2, G.NO_SIGNIFICANT_STENOSIS),
        (180, 2.0, G.NO_SIGNIFICANT_STENOSIS),  # PSV must exceed 180
        (181, 1.5, G.NO_SIGNIFICANT_STENOSIS),  # Vr must exceed 1.5
        (181, 1.6, G.STENOSIS),
        (300, 4.0, G.STENOSIS),  # PSV must exceed 300
        (350, 3.5, G.STENOSIS),  # Vr must exceed 3.5
        (301, 3.6, G.HIGH_GRADE_STENOSIS),
    ],
)
def test_published_thresholds(psv: float, ratio: float, grade: GraftDuplexGrade) -> None:
    derived = grade_vein_graft(
        patency=PATENT, peak_systolic_velocity_cm_s=psv, velocity_ratio=ratio
    )
    assert derived.value is grade
    assert derived.table.ref == "vein-graft-duplex@1997.1"
    assert f"PSV {psv:g} cm/s" in derived.rule


def test_occluded_missing_and_invalid() -> None:
    occluded = grade_vein_graft(
        patency=DuplexPatency.OCCLUDED, peak_systolic_velocity_cm_s=None, velocity_ratio=None
    )
    assert occluded.value is G.OCCLUDED
    missing = grade_vein_graft(patency=PATENT, peak_systolic_velocity_cm_s=200, velocity_ratio=None)
    assert (missing.value, missing.rule) == (None, "not graded: velocity_ratio not recorded")
    both = grade_vein_graft(patency=PATENT, peak_systolic_velocity_cm_s=None, velocity_ratio=None)
    assert "peak_systolic_velocity_cm_s, velocity_ratio" in both.rule
    with pytest.raises(InvalidInput, match="peak_systolic_velocity_cm_s"):
        grade_vein_graft(patency=PATENT, peak_systolic_velocity_cm_s=-1, velocity_ratio=2)
    with pytest.raises(InvalidInput, match="velocity_ratio"):
        grade_vein_graft(patency=PATENT, peak_systolic_velocity_cm_s=100, velocity_ratio=0)


ORDER = [G.NO_SIGNIFICANT_STENOSIS, G.STENOSIS, G.HIGH_GRADE_STENOSIS]


@given(
    st.floats(0, 1000),
    st.floats(0.01, 50),
    st.floats(0, 200),
    st.floats(0, 10),
)
def test_higher_velocities_never_grade_lower(
    psv: float, ratio: float, more_psv: float, more_ratio: float
) -> None:
    low = grade_vein_graft(patency=PATENT, peak_systolic_velocity_cm_s=psv, velocity_ratio=ratio)
    high = grade_vein_graft(
        patency=PATENT,
        peak_systolic_velocity_cm_s=min(psv + more_psv, 1000),
        velocity_ratio=min(ratio + more_ratio, 50),
    )
    assert low.value is not None
    assert high.value is not None
    assert ORDER.index(high.value) >= ORDER.index(low.value)
