"""Fontaine stages — Fontaine 1954 as reproduced by Hardman RL et al. Semin Intervent Radiol
2014;31:378–88 (stage I asymptomatic, IIa claudication > 200 m, IIb < 200 m, III rest pain,
IV ulceration or gangrene)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.fontaine import SYSTEM, FontaineStage, Symptom, classify_fontaine

ORDER = [FontaineStage.I, FontaineStage.IIA, FontaineStage.IIB, FontaineStage.III, FontaineStage.IV]


@pytest.mark.parametrize(
    ("symptom", "distance", "stage"),
    [
        ("asymptomatic", None, "I"),
        ("claudication", 500, "IIa"),
        ("claudication", 100, "IIb"),
        ("rest_pain", None, "III"),
        ("ulcer", None, "IV"),
        ("gangrene", None, "IV"),
    ],
)
def test_published_stages(symptom: str, distance: float | None, stage: str) -> None:
    result = classify_fontaine(symptom=symptom, pain_free_walking_distance_m=distance)
    assert result.stage == stage
    assert "Fontaine" in result.source
    assert result.tables[0].ref == "fontaine-stages@1954.1"


def test_split_at_200_m_is_documented_and_exactly_200_is_iib() -> None:
    # IIa requires "more than 200 m" (Hardman 2014); 200 m itself is therefore IIb.
    assert (
        classify_fontaine(symptom="claudication", pain_free_walking_distance_m=200).stage == "IIb"
    )
    above = classify_fontaine(symptom="claudication", pain_free_walking_distance_m=200.1)
    assert above.stage == "IIa"
    assert "150 m" in above.provenance


def test_claudication_without_distance_cannot_be_classified() -> None:
    with pytest.raises(CannotClassify) as raised:
        classify_fontaine(symptom="claudication")
    assert raised.value.missing == ("pain_free_walking_distance_m",)


def test_result_records_the_inputs_used() -> None:
    result = classify_fontaine(symptom="rest_pain", pain_free_walking_distance_m=50)
    assert dict(result.inputs) == {"symptom": "rest_pain", "pain_free_walking_distance_m": 50.0}
    assert result.rationale == "ischaemic rest pain → stage III"
    assert result.provenance == ""


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf, True, "far", 100_001])
def test_bad_distance_names_the_field(bad: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        classify_fontaine(symptom="claudication", pain_free_walking_distance_m=bad)  # type: ignore[arg-type]
    assert raised.value.field == "pain_free_walking_distance_m"


def test_unknown_symptom_lists_the_allowed_values() -> None:
    with pytest.raises(InvalidInput, match="rest_pain"):
        classify_fontaine(symptom="cramp")


def test_record_from_text() -> None:
    result = SYSTEM.classify_record(
        {"symptom": "claudication", "pain_free_walking_distance_m": "80"}
    )
    assert result.stage == "IIb"
    with pytest.raises(CannotClassify, match="missing symptom"):
        SYSTEM.classify_record({"symptom": "", "pain_free_walking_distance_m": "80"})
    with pytest.raises(InvalidInput, match="pain_free_walking_distance_m"):
        SYSTEM.classify_record({"symptom": "claudication", "pain_free_walking_distance_m": "far"})


@given(
    st.sampled_from(list(Symptom)),
    st.floats(min_value=0, max_value=100_000, allow_nan=False),
)
def test_total_and_monotone_in_distance(symptom: Symptom, distance: float) -> None:
    result = classify_fontaine(symptom=symptom, pain_free_walking_distance_m=distance)
    shorter = classify_fontaine(symptom=symptom, pain_free_walking_distance_m=distance / 2)
    # A shorter pain-free walking distance never gives a milder stage.
    assert ORDER.index(shorter.stage) >= ORDER.index(result.stage)
