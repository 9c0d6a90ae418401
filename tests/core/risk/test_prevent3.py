"""PREVENT III CLI risk score — Schanzer A et al. J Vasc Surg 2008;48:1464–71 (points and
groups as restated in the 2009 VSGNNE validation by the same group): dialysis 4, tissue loss 3,
age ≥75 years 2, haematocrit ≤30% 2 (not confirmed in a text we read), coronary artery disease 1;
low ≤3, medium 4–7, high ≥8; 1-year AFS derivation 85.9 / 73.0 / 44.6%, PIII validation
87.7 / 63.7 / 45.0%, VSGNNE 84.7 / 73.5 / 54.5%."""

from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.risk import RISK_MODELS
from limbsalvage.core.risk.prevent3 import LIMITS, PREVENT3, band_for
from limbsalvage.core.tables.prevent3 import (
    AGE_CUTOFF_YEARS,
    BANDS,
    HEMATOCRIT_CUTOFF_PCT,
    MAX_POINTS,
    POINTS,
    PREVENT3_POINTS,
)

NONE_SCORING = {
    "dialysis": False,
    "tissue_loss": False,
    "age_years": 60,
    "hematocrit_pct": 40.0,
    "coronary_artery_disease": False,
}


def test_points_table_cell_by_cell() -> None:
    """Schanzer 2008 score: every factor and its points."""
    assert {name: points for name, (_, points) in POINTS.items()} == {
        "dialysis": 4,
        "tissue_loss": 3,
        "age_years": 2,
        "hematocrit_pct": 2,
        "coronary_artery_disease": 1,
    }
    assert AGE_CUTOFF_YEARS == 75
    assert HEMATOCRIT_CUTOFF_PCT == 30.0
    assert MAX_POINTS == sum(points for _, points in POINTS.values()) == 12


def test_bands_and_published_afs_cell_by_cell() -> None:
    """Groups low ≤3 / medium 4–7 / high ≥8 with the 1-year AFS of each published cohort."""
    cells = [
        (b.category, b.low, b.high, b.afs_derivation_pct, b.afs_validation_pct, b.afs_vsgnne_pct)
        for b in BANDS
    ]
    assert cells == [
        ("low", 0, 3, 85.9, 87.7, 84.7),
        ("medium", 4, 7, 73.0, 63.7, 73.5),
        ("high", 8, 12, 44.6, 45.0, 54.5),
    ]


def test_registered_under_its_id_and_version() -> None:
    assert RISK_MODELS["prevent3-cli"] is PREVENT3
    assert PREVENT3.version == PREVENT3_POINTS.version == "2008.1"
    assert [spec.name for spec in PREVENT3.inputs] == list(POINTS)
    assert PREVENT3.title.startswith("PREVENT III")
    assert len(PREVENT3.tables) == 2


@pytest.mark.parametrize(
    ("changes", "points", "category"),
    [
        ({}, 0, "low"),
        ({"coronary_artery_disease": True}, 1, "low"),
        ({"tissue_loss": True}, 3, "low"),
        ({"dialysis": True}, 4, "medium"),
        ({"tissue_loss": True, "coronary_artery_disease": True}, 4, "medium"),
        ({"dialysis": True, "tissue_loss": True}, 7, "medium"),
        ({"dialysis": True, "tissue_loss": True, "coronary_artery_disease": True}, 8, "high"),
        ({"age_years": 74, "hematocrit_pct": 30.1}, 0, "low"),
        ({"age_years": 75, "hematocrit_pct": 30.0}, 4, "medium"),
    ],
)
def test_worked_scores_and_cutoff_edges(
    changes: dict[str, object], points: int, category: str
) -> None:
    """Edges: age 75 scores, 74 does not; haematocrit 30.0% scores, 30.1% does not."""
    result = PREVENT3.assess({**NONE_SCORING, **changes})
    assert (result.points, result.category, result.complete) == (points, category, True)
    assert result.missing == ()


def test_result_carries_published_afs_inputs_and_limits() -> None:
    result = PREVENT3.assess(
        {
            **NONE_SCORING,
            "dialysis": True,
            "tissue_loss": True,
            "age_years": 80,
            "hematocrit_pct": 28.0,
        }
    )
    assert result.points == 11
    assert result.estimates == {"afs_1y_derivation_pct": 44.6, "afs_1y_validation_pct": 45.0}
    assert "11 points → high risk" in result.rationale
    assert "44.6%" in result.rationale
    assert "Schanzer" in result.citation
    assert result.limits == LIMITS
    assert "neither peri-procedural mortality nor 2-year survival" in LIMITS
    row = result.as_dict()
    assert row["model_id"] == "prevent3-cli"
    assert row["inputs"] == {
        **NONE_SCORING,
        "dialysis": True,
        "tissue_loss": True,
        "age_years": 80,
        "hematocrit_pct": 28.0,
    }
    assert row["missing"] == []


def test_no_factor_is_assumed_absent() -> None:
    """A missing factor leaves score and group unset, and is named (never defaulted)."""
    result = PREVENT3.assess({"dialysis": True, "hematocrit_pct": None})
    assert result.points is None
    assert result.category is None
    assert result.missing == (
        "tissue_loss",
        "age_years",
        "hematocrit_pct",
        "coronary_artery_disease",
    )
    assert not result.complete
    assert "never assumed absent" in result.rationale
    assert result.estimates == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dialysis", "yes"),
        ("age_years", -1),
        ("age_years", 121),
        ("hematocrit_pct", 2.0),
        ("hematocrit_pct", float("nan")),
    ],
)
def test_bad_values_name_the_field(field: str, value: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        PREVENT3.assess({**NONE_SCORING, field: value})
    assert raised.value.field == field


@given(
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    age=st.integers(0, 120),
    hematocrit=st.floats(5, 75),
)
def test_property_points_in_range_and_band_consistent(
    flags: tuple[bool, bool, bool], age: int, hematocrit: float
) -> None:
    dialysis, tissue_loss, cad = flags
    result = PREVENT3.assess(
        {
            "dialysis": dialysis,
            "tissue_loss": tissue_loss,
            "age_years": age,
            "hematocrit_pct": hematocrit,
            "coronary_artery_disease": cad,
        }
    )
    assert result.points is not None
    assert 0 <= result.points <= MAX_POINTS
    assert band_for(result.points).category == result.category
    expected = 4 * dialysis + 3 * tissue_loss + 2 * (age >= 75) + 2 * (hematocrit <= 30) + 1 * cad
    assert result.points == expected


def test_every_point_total_has_exactly_one_band() -> None:
    for points in range(MAX_POINTS + 1):
        assert sum(b.low <= points <= b.high for b in BANDS) == 1
    reachable = {
        sum(p for (_, p), on in zip(POINTS.values(), combo, strict=True) if on)
        for combo in product([False, True], repeat=5)
    }
    assert reachable == set(range(MAX_POINTS + 1))
