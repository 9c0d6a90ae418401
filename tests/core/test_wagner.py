"""Wagner grades — Wagner FW. Foot Ankle 1981;2:64–122, as reproduced in World J Diabetes
2022;13:1049–65 table 1: 0 pre-ulcerative area without open lesion; 1 superficial ulcer; 2 ulcer to
tendon, capsule or bone; 3 grade 2 with abscess, osteomyelitis or joint sepsis; 4 localized
gangrene; 5 gangrene of the whole foot."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.wagner import SYSTEM, Gangrene, UlcerDepth, WagnerResult, classify_wagner

DEPTHS = list(UlcerDepth)
GANGRENE = list(Gangrene)


@pytest.mark.parametrize(
    ("gangrene", "depth", "deep_infection", "grade", "words"),
    [
        ("none", "none", False, 0, "no open lesion"),
        ("none", "superficial", False, 1, "superficial ulcer"),
        ("none", "deep", False, 2, "tendon, ligament, joint capsule or bone"),
        ("none", "deep", True, 3, "abscess, osteomyelitis or joint sepsis"),
        ("localized", None, None, 4, "localized gangrene"),
        ("whole_foot", None, None, 5, "whole foot"),
    ],
)
def test_published_grades(
    gangrene: str, depth: str | None, deep_infection: bool | None, grade: int, words: str
) -> None:
    result = classify_wagner(gangrene=gangrene, ulcer_depth=depth, deep_infection=deep_infection)
    assert result.grade == grade
    assert words in result.description
    assert "Wagner" in result.source
    assert result.tables[0].ref == "wagner-grades@1981.1"


def test_disputed_cells_carry_provenance() -> None:
    # Exposed bone without infection: grade 2 in four reproductions, grade 3 in PMC3189128.
    deep = classify_wagner(gangrene="none", ulcer_depth="deep", deep_infection=False)
    assert "PMC3189128" in deep.provenance
    # Grade 5: "whole foot" (four reproductions) vs "partial or complete" (one).
    assert "partial or complete" in classify_wagner(gangrene="whole_foot").provenance
    assert (
        classify_wagner(gangrene="none", ulcer_depth="superficial", deep_infection=False).provenance
        == ""
    )


def test_superficial_ulcer_over_deep_infection_is_grade_3() -> None:
    # Grade 3 is defined by the abscess, osteomyelitis or joint sepsis.
    result = classify_wagner(gangrene="none", ulcer_depth="superficial", deep_infection=True)
    assert result.grade == 3


def test_gangrene_decides_before_depth_and_records_only_used_inputs() -> None:
    result = classify_wagner(gangrene="localized", ulcer_depth="superficial", deep_infection=True)
    assert result.grade == 4
    assert dict(result.inputs) == {"gangrene": "localized"}


def test_intact_skin_needs_no_deep_infection_answer() -> None:
    result = classify_wagner(gangrene="none", ulcer_depth="none")
    assert (result.grade, dict(result.inputs)) == (0, {"gangrene": "none", "ulcer_depth": "none"})


def test_missing_and_conflicting_inputs() -> None:
    with pytest.raises(CannotClassify) as raised:
        classify_wagner(gangrene="none")
    assert raised.value.missing == ("ulcer_depth",)
    with pytest.raises(CannotClassify) as raised:
        classify_wagner(gangrene="none", ulcer_depth="deep")
    assert raised.value.missing == ("deep_infection",)
    with pytest.raises(CannotClassify) as raised:
        classify_wagner(gangrene="none", ulcer_depth="none", deep_infection=True)
    assert raised.value.conflicts


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"gangrene": "some"}, "gangrene"),
        ({"gangrene": "none", "ulcer_depth": "bone"}, "ulcer_depth"),
        ({"gangrene": "none", "ulcer_depth": "deep", "deep_infection": "yes"}, "deep_infection"),
        ({"gangrene": "none", "ulcer_depth": "deep", "deep_infection": 1}, "deep_infection"),
    ],
)
def test_invalid_values_name_the_field(arguments: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        classify_wagner(**arguments)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_record_from_text() -> None:
    assert SYSTEMS["wagner"] is SYSTEM
    result = SYSTEM.classify_record(
        {"gangrene": "none", "ulcer_depth": "deep", "deep_infection": "yes"}
    )
    assert isinstance(result, WagnerResult)
    assert result.grade == 3
    with pytest.raises(CannotClassify, match="missing gangrene"):
        SYSTEM.classify_record({"gangrene": "", "ulcer_depth": "deep"})
    with pytest.raises(InvalidInput, match="deep_infection"):
        SYSTEM.classify_record({"gangrene": "none", "ulcer_depth": "deep", "deep_infection": "?"})
    with pytest.raises(InvalidInput, match="gangrene"):
        SYSTEM.classify_record({"gangrene": "wet"})


def attempt(gangrene: Gangrene, depth: UlcerDepth, infected: bool) -> int | None:
    try:
        return classify_wagner(gangrene=gangrene, ulcer_depth=depth, deep_infection=infected).grade
    except CannotClassify:
        return None


lesions = st.tuples(st.sampled_from(GANGRENE), st.sampled_from(DEPTHS), st.booleans())


@given(lesions, lesions)
def test_total_and_a_worse_lesion_never_lowers_the_grade(
    lesion: tuple[Gangrene, UlcerDepth, bool], other: tuple[Gangrene, UlcerDepth, bool]
) -> None:
    gangrene, depth, infected = lesion
    other_gangrene, other_depth, other_infected = other
    worse = (
        max(gangrene, other_gangrene, key=GANGRENE.index),
        max(depth, other_depth, key=DEPTHS.index),
        infected or other_infected,
    )
    first = attempt(gangrene, depth, infected)
    second = attempt(*worse)
    # Only deep infection under intact skin is refused (a conflict), never anything else.
    if first is None:
        assert (gangrene, depth, infected) == (Gangrene.NONE, UlcerDepth.NONE, True)
        return
    if second is not None:
        assert 0 <= first <= second <= 5


@given(st.text().filter(lambda t: t not in {g.value for g in Gangrene}))
def test_unknown_gangrene_is_invalid(text: str) -> None:
    with pytest.raises(InvalidInput, match="gangrene"):
        classify_wagner(gangrene=text)
