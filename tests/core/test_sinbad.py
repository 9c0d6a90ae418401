"""SINBAD — Ince P et al. Diabetes Care 2008;31:964–7, items as reproduced in World J Diabetes
2022 table 4: site forefoot 0 / midfoot and hindfoot 1; ischaemia: pedal blood flow intact (at
least one palpable pulse) 0 / clinical evidence of reduced pedal flow 1; neuropathy: protective
sensation intact 0 / lost 1; bacterial infection none 0 / present 1; area ulcer <1 cm² 0 /
≥1 cm² 1; depth confined to skin and subcutaneous tissue 0 / reaching muscle, tendon or deeper 1;
total possible score 6."""

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.sinbad import SYSTEM, SinbadResult, UlcerDepth, UlcerSite, classify_sinbad

ZERO: dict[str, Any] = {
    "ulcer_site": "forefoot",
    "reduced_pedal_blood_flow": False,
    "protective_sensation_lost": False,
    "bacterial_infection": False,
    "ulcer_area_cm2": 0.5,
    "ulcer_depth": "skin_or_subcutis",
}


def score(**overrides: Any) -> SinbadResult:
    return classify_sinbad(**{**ZERO, **overrides})


def test_all_items_zero() -> None:
    result = score()
    assert result.score == 0
    assert set(result.points.values()) == {0}
    assert result.rationale.endswith("SINBAD 0/6")
    assert result.tables[0].ref == "sinbad-items@2008.1"
    assert "Ince" in result.source


@pytest.mark.parametrize(
    ("item", "field", "value"),
    [
        ("site", "ulcer_site", "midfoot"),
        ("site", "ulcer_site", "hindfoot"),
        ("ischemia", "reduced_pedal_blood_flow", True),
        ("neuropathy", "protective_sensation_lost", True),
        ("bacterial_infection", "bacterial_infection", True),
        ("area", "ulcer_area_cm2", 4.0),
        ("depth", "ulcer_depth", "muscle_tendon_or_deeper"),
    ],
)
def test_each_item_scores_one_point(item: str, field: str, value: object) -> None:
    result = score(**{field: value})
    assert result.score == 1
    assert result.points[item] == 1
    assert "→ SINBAD 1/6" in result.rationale


def test_area_boundary_at_one_square_centimetre() -> None:
    # "Ulcer <1 cm² 0; ≥1 cm² 1": exactly 1 cm² scores.
    assert score(ulcer_area_cm2=1.0).points["area"] == 1
    assert score(ulcer_area_cm2=0.99).points["area"] == 0


def test_maximum_score_and_the_healing_note() -> None:
    worst = score(
        ulcer_site="hindfoot",
        reduced_pedal_blood_flow=True,
        protective_sensation_lost=True,
        bacterial_infection=True,
        ulcer_area_cm2=10,
        ulcer_depth="muscle_tendon_or_deeper",
    )
    assert worst.score == 6
    assert "3 or more" in worst.healing_note
    # Ince 2008: the step-up in days to healing is from a score of 3.
    two = score(bacterial_infection=True, ulcer_area_cm2=2)
    assert (two.score, two.healing_note) == (2, "")
    three = score(bacterial_infection=True, ulcer_area_cm2=2, ulcer_site="midfoot")
    assert three.healing_note


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, True, "1", 1000.1])
def test_bad_area_is_invalid(bad: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        score(ulcer_area_cm2=bad)
    assert raised.value.field == "ulcer_area_cm2"


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("ulcer_site", "toe"),
        ("ulcer_depth", "bone"),
        ("reduced_pedal_blood_flow", "yes"),
        ("protective_sensation_lost", 1),
        ("bacterial_infection", None),
    ],
)
def test_invalid_values_name_the_field(field: str, bad: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        score(**{field: bad})
    assert raised.value.field == field


def test_record_from_text() -> None:
    assert SYSTEMS["sinbad"] is SYSTEM
    text = {key: str(value) for key, value in ZERO.items()}
    result = SYSTEM.classify_record({**text, "bacterial_infection": "yes"})
    assert isinstance(result, SinbadResult)
    assert result.score == 1
    assert result.as_row()["points"] == {
        "site": 0,
        "ischemia": 0,
        "neuropathy": 0,
        "bacterial_infection": 1,
        "area": 0,
        "depth": 0,
    }
    with pytest.raises(CannotClassify, match="missing ulcer_area_cm2"):
        SYSTEM.classify_record({**text, "ulcer_area_cm2": ""})
    with pytest.raises(InvalidInput, match="ulcer_area_cm2"):
        SYSTEM.classify_record({**text, "ulcer_area_cm2": "big"})
    with pytest.raises(InvalidInput, match="ulcer_area_cm2"):
        SYSTEM.classify_record({**text, "ulcer_area_cm2": "0"})


items = st.fixed_dictionaries(
    {
        "ulcer_site": st.sampled_from(list(UlcerSite)),
        "reduced_pedal_blood_flow": st.booleans(),
        "protective_sensation_lost": st.booleans(),
        "bacterial_infection": st.booleans(),
        "ulcer_area_cm2": st.floats(0.01, 1000, allow_nan=False),
        "ulcer_depth": st.sampled_from(list(UlcerDepth)),
    }
)


@given(items, items)
def test_total_sum_of_items_and_monotone(base: dict[str, Any], other: dict[str, Any]) -> None:
    result = classify_sinbad(**base)
    assert 0 <= result.score <= 6
    assert result.score == sum(result.points.values())
    worse = {
        "ulcer_site": UlcerSite.HINDFOOT
        if other["ulcer_site"] != "forefoot"
        else base["ulcer_site"],
        "reduced_pedal_blood_flow": base["reduced_pedal_blood_flow"]
        or other["reduced_pedal_blood_flow"],
        "protective_sensation_lost": base["protective_sensation_lost"]
        or other["protective_sensation_lost"],
        "bacterial_infection": base["bacterial_infection"] or other["bacterial_infection"],
        "ulcer_area_cm2": max(base["ulcer_area_cm2"], other["ulcer_area_cm2"]),
        "ulcer_depth": max(base["ulcer_depth"], other["ulcer_depth"], key=list(UlcerDepth).index),
    }
    assert classify_sinbad(**worse).score >= result.score
