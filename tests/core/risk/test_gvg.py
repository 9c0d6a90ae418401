"""GVG patient risk — Conte MS et al. GVG 2019, recommendations 6.4 (average: peri-procedural
mortality <5% and 2-year survival >50%) and 6.5 (high: mortality ≥5% or 2-year survival ≤50%;
one summary prints '>50%', read as the complement of 6.4)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.risk.gvg import (
    GVG_PATIENT_RISK,
    MORTALITY_LIMIT_PCT,
    PROVENANCE,
    SURVIVAL_LIMIT_PCT,
    PatientRisk,
    gvg_patient_risk,
)


def test_cut_offs_pinned() -> None:
    assert (MORTALITY_LIMIT_PCT, SURVIVAL_LIMIT_PCT) == (5.0, 50.0)
    assert "6.3–6.5" in GVG_PATIENT_RISK.locator
    assert "≤50%" in PROVENANCE


@pytest.mark.parametrize(
    ("mortality", "survival", "risk"),
    [
        (4.9, 50.1, PatientRisk.AVERAGE),
        (5.0, 80.0, PatientRisk.HIGH),
        (1.0, 50.0, PatientRisk.HIGH),
        (6.0, 40.0, PatientRisk.HIGH),
        (6.0, None, PatientRisk.HIGH),
        (None, 45.0, PatientRisk.HIGH),
    ],
)
def test_edges(mortality: float | None, survival: float | None, risk: PatientRisk) -> None:
    result = gvg_patient_risk(perioperative_mortality_pct=mortality, two_year_survival_pct=survival)
    assert result.risk is risk
    assert result.missing == ()
    assert result.rationale.startswith(risk.value)


@pytest.mark.parametrize(
    ("mortality", "survival", "missing"),
    [
        (None, None, ("perioperative_mortality_pct", "two_year_survival_pct")),
        (2.0, None, ("two_year_survival_pct",)),
        (None, 90.0, ("perioperative_mortality_pct",)),
    ],
)
def test_undecided_lists_what_is_missing(
    mortality: float | None, survival: float | None, missing: tuple[str, ...]
) -> None:
    result = gvg_patient_risk(perioperative_mortality_pct=mortality, two_year_survival_pct=survival)
    assert result.risk is None
    assert result.missing == missing


def test_out_of_range_named() -> None:
    with pytest.raises(InvalidInput, match="perioperative_mortality_pct"):
        gvg_patient_risk(perioperative_mortality_pct=101, two_year_survival_pct=60)
    with pytest.raises(InvalidInput, match="two_year_survival_pct"):
        gvg_patient_risk(perioperative_mortality_pct=1, two_year_survival_pct=-1)


@given(st.floats(0, 100), st.floats(0, 100))
def test_property_average_iff_both_conditions(mortality: float, survival: float) -> None:
    result = gvg_patient_risk(perioperative_mortality_pct=mortality, two_year_survival_pct=survival)
    assert (result.risk is PatientRisk.AVERAGE) == (mortality < 5 and survival > 50)
