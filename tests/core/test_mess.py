"""MESS — Johansen K et al. J Trauma 1990;30:568–73 (table as reproduced in PMC3415969 Table 1,
traumascores.com and operativereview.com): skeletal/soft-tissue 1–4, limb ischaemia 1–3 doubled
for ischaemia > 6 h, shock 0–2, age <30 / 30–50 / >50 → 0 / 1 / 2; ≥ 7 proposed as the amputation
cut-off. LEAP (Bosse MJ et al. JBJS Am 2001;83:3–14): no score may decide alone."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.mess import SYSTEM, age_points_for, classify_mess
from limbsalvage.core.tables.mess import (
    ISCHEMIA_DOUBLING_HOURS,
    LIMB_ISCHEMIA_POINTS,
    MESS_POINTS,
    PROPOSED_THRESHOLD,
    SHOCK_POINTS,
    SKELETAL_SOFT_TISSUE_POINTS,
)


def test_table_cells_pinned() -> None:
    """Johansen 1990 table: energy 1–4, ischaemia 1–3 (+0 ours), shock 0–2, cut-off 7."""
    assert sorted(SKELETAL_SOFT_TISSUE_POINTS) == [1, 2, 3, 4]
    assert "low energy" in SKELETAL_SOFT_TISSUE_POINTS[1]
    assert "medium energy" in SKELETAL_SOFT_TISSUE_POINTS[2]
    assert "high energy" in SKELETAL_SOFT_TISSUE_POINTS[3]
    assert "gross contamination" in SKELETAL_SOFT_TISSUE_POINTS[4]
    assert sorted(LIMB_ISCHEMIA_POINTS) == [0, 1, 2, 3]
    assert "perfusion normal" in LIMB_ISCHEMIA_POINTS[1]
    assert "capillary refill" in LIMB_ISCHEMIA_POINTS[2]
    assert "paralysed" in LIMB_ISCHEMIA_POINTS[3]
    assert "not a row of the Johansen table" in LIMB_ISCHEMIA_POINTS[0]
    assert sorted(SHOCK_POINTS) == [0, 1, 2]
    assert "90 mmHg" in SHOCK_POINTS[0]
    assert "transient" in SHOCK_POINTS[1]
    assert "persistent" in SHOCK_POINTS[2]
    assert ISCHEMIA_DOUBLING_HOURS == 6.0
    assert PROPOSED_THRESHOLD == 7
    assert MESS_POINTS.ref == "mess-points@1990.1"


@pytest.mark.parametrize(
    ("age", "points"),
    [(0, 0), (29, 0), (30, 1), (45, 1), (50, 1), (51, 2), (120, 2)],
)
def test_age_bands_boundaries(age: int, points: int) -> None:
    # "<30 → 0, 30–50 → 1, >50 → 2": 30 and 50 both fall in the middle band (inclusive).
    assert age_points_for(age) == points


def test_ischemia_doubled_only_beyond_six_hours() -> None:
    base = {"skeletal_soft_tissue_points": 2, "shock_points": 0, "age_years": 20}
    at_six = classify_mess(limb_ischemia_points=2, ischemia_hours=6.0, **base)
    assert not at_six.ischemia_doubled
    assert at_six.ischemia_points_counted == 2
    assert at_six.score == 4
    assert at_six.provenance == ""
    beyond = classify_mess(limb_ischemia_points=2, ischemia_hours=6.01, **base)
    assert beyond.ischemia_doubled
    assert beyond.ischemia_points_counted == 4
    assert beyond.score == 6
    assert "not the whole score" in beyond.provenance
    assert "×2 = 4" in beyond.rationale


def test_maximum_score_is_fourteen() -> None:
    # Reproductions give the range as 1–14: 4 + 3×2 + 2 + 2.
    worst = classify_mess(
        skeletal_soft_tissue_points=4,
        limb_ischemia_points=3,
        ischemia_hours=12,
        shock_points=2,
        age_years=70,
    )
    assert worst.score == 14
    assert worst.at_or_above_proposed_threshold


def test_threshold_is_information_and_cites_leap() -> None:
    six = classify_mess(
        skeletal_soft_tissue_points=3,
        limb_ischemia_points=1,
        ischemia_hours=2,
        shock_points=1,
        age_years=35,
    )
    assert six.score == 6
    assert not six.at_or_above_proposed_threshold
    assert "below it" in six.rationale
    seven = classify_mess(
        skeletal_soft_tissue_points=3,
        limb_ischemia_points=1,
        ischemia_hours=2,
        shock_points=1,
        age_years=55,
    )
    assert seven.score == 7
    assert seven.at_or_above_proposed_threshold
    assert "at or above it" in seven.rationale
    for result in (six, seven):
        assert "not a recommendation" in result.rationale
        assert "LEAP" in result.rationale
        assert "Bosse" in result.source
        assert "Johansen" in result.source
        assert "recommend amputation" not in result.rationale.lower()


def test_no_ischemia_needs_no_time_and_says_it_is_our_reading() -> None:
    result = classify_mess(
        skeletal_soft_tissue_points=1, limb_ischemia_points=0, shock_points=0, age_years=50
    )
    assert result.score == 2
    assert "ischemia_hours" not in result.inputs
    assert "not in Johansen 1990" in result.provenance
    assert "30 and 50" in result.provenance
    # An ischaemia time on a limb with no ischaemia is recorded but doubles nothing.
    long = classify_mess(
        skeletal_soft_tissue_points=1,
        limb_ischemia_points=0,
        ischemia_hours=10,
        shock_points=0,
        age_years=20,
    )
    assert long.ischemia_points_counted == 0
    assert not long.ischemia_doubled
    assert long.inputs["ischemia_hours"] == 10.0


def test_ischemic_limb_without_time_cannot_be_scored() -> None:
    with pytest.raises(CannotClassify) as raised:
        classify_mess(
            skeletal_soft_tissue_points=2, limb_ischemia_points=1, shock_points=0, age_years=40
        )
    assert raised.value.missing == ("ischemia_hours",)


def test_result_records_inputs_and_components() -> None:
    result = classify_mess(
        skeletal_soft_tissue_points=3,
        limb_ischemia_points=2,
        ischemia_hours=7,
        shock_points=1,
        age_years=45,
    )
    assert dict(result.inputs) == {
        "skeletal_soft_tissue_points": 3,
        "limb_ischemia_points": 2,
        "shock_points": 1,
        "age_years": 45,
        "ischemia_hours": 7.0,
    }
    data = result.as_dict()
    assert data["score"] == 3 + 4 + 1 + 1
    for key in ("skeletal_soft_tissue_points", "limb_ischemia_points", "shock_points"):
        assert key in data
    assert data["age_points"] == 1
    assert data["system"] == "mess"


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("skeletal_soft_tissue_points", 0),
        ("skeletal_soft_tissue_points", 5),
        ("skeletal_soft_tissue_points", True),
        ("skeletal_soft_tissue_points", 2.5),
        ("limb_ischemia_points", -1),
        ("limb_ischemia_points", 4),
        ("limb_ischemia_points", math.nan),
        ("shock_points", 3),
        ("age_years", -1),
        ("age_years", 121),
        ("age_years", math.inf),
        ("ischemia_hours", -0.5),
        ("ischemia_hours", math.nan),
        ("ischemia_hours", math.inf),
        ("ischemia_hours", False),
        ("ischemia_hours", 721),
    ],
)
def test_bad_values_name_the_field(field: str, bad: object) -> None:
    arguments: dict[str, object] = {
        "skeletal_soft_tissue_points": 2,
        "limb_ischemia_points": 1,
        "ischemia_hours": 3,
        "shock_points": 0,
        "age_years": 40,
    }
    arguments[field] = bad
    with pytest.raises(InvalidInput) as raised:
        classify_mess(**arguments)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_record_from_text() -> None:
    result = SYSTEM.classify_record(
        {
            "skeletal_soft_tissue_points": "4",
            "limb_ischemia_points": "3",
            "ischemia_hours": "6.5",
            "shock_points": "2",
            "age_years": "62",
        }
    )
    assert result.as_dict()["score"] == 14
    with pytest.raises(CannotClassify, match="missing age_years"):
        SYSTEM.classify_record(
            {"skeletal_soft_tissue_points": "2", "limb_ischemia_points": "0", "shock_points": "0"}
        )
    with pytest.raises(CannotClassify, match="ischemia_hours"):
        SYSTEM.classify_record(
            {
                "skeletal_soft_tissue_points": "2",
                "limb_ischemia_points": "1",
                "ischemia_hours": "",
                "shock_points": "0",
                "age_years": "40",
            }
        )
    with pytest.raises(InvalidInput, match="ischemia_hours"):
        SYSTEM.classify_record(
            {
                "skeletal_soft_tissue_points": "2",
                "limb_ischemia_points": "1",
                "ischemia_hours": "nan",
                "shock_points": "0",
                "age_years": "40",
            }
        )
    with pytest.raises(InvalidInput, match="shock_points"):
        SYSTEM.classify_record(
            {
                "skeletal_soft_tissue_points": "2",
                "limb_ischemia_points": "0",
                "shock_points": "severe",
                "age_years": "40",
            }
        )


def test_cli_options_follow_the_contract() -> None:
    options = {field.cli_option for field in SYSTEM.fields}
    assert options == {"--energy", "--ischemia", "--ischemia-hours", "--shock", "--age"}


components = st.fixed_dictionaries(
    {
        "skeletal_soft_tissue_points": st.integers(1, 4),
        "limb_ischemia_points": st.integers(0, 3),
        "ischemia_hours": st.floats(0, 720, allow_nan=False),
        "shock_points": st.integers(0, 2),
        "age_years": st.integers(0, 120),
    }
)


@given(components)
def test_total_and_within_range(values: dict[str, float]) -> None:
    result = classify_mess(**values)  # type: ignore[arg-type]
    assert 1 <= result.score <= 14
    assert result.score == (
        result.skeletal_soft_tissue_points
        + result.ischemia_points_counted
        + result.shock_points
        + result.age_points
    )
    assert result.at_or_above_proposed_threshold == (result.score >= PROPOSED_THRESHOLD)


@given(
    components,
    st.sampled_from(
        ["skeletal_soft_tissue_points", "limb_ischemia_points", "shock_points", "age_years"]
    ),
    st.data(),
)
def test_monotone_in_every_component(
    values: dict[str, float], field: str, data: st.DataObject
) -> None:
    # A worse finding (more energy, ischaemia, shock, age or ischaemia time) never lowers MESS.
    upper = {"skeletal_soft_tissue_points": 4, "limb_ischemia_points": 3, "shock_points": 2}
    worse = dict(values)
    worse[field] = data.draw(st.integers(int(values[field]), upper.get(field, 120)))
    worse["ischemia_hours"] = data.draw(st.floats(values["ischemia_hours"], 720))
    assert classify_mess(**worse).score >= classify_mess(**values).score  # type: ignore[arg-type]


@given(st.integers().filter(lambda n: not 1 <= n <= 4))
def test_energy_outside_range_is_refused(energy: int) -> None:
    with pytest.raises(InvalidInput, match="skeletal_soft_tissue_points"):
        classify_mess(
            skeletal_soft_tissue_points=energy,
            limb_ischemia_points=0,
            shock_points=0,
            age_years=30,
        )
