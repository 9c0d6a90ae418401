"""MSTS lower extremity — Enneking WF et al. Clin Orthop 1993;286:241–6: six items (pain,
function, emotional acceptance, supports, walking, gait), each 0–5, total of 30 reported as a
percentage (as used by the validation studies Rebolledo 2013, Xu 2017, Saebye 2019)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.msts import SYSTEM, classify_msts
from limbsalvage.core.tables.msts import ANCHORS, ITEMS, MSTS_LOWER_EXTREMITY, TOTAL_MAX_POINTS

NAMES = [f"{item}_points" for item in ITEMS]


def scores(*values: int) -> dict[str, int]:
    return dict(zip(NAMES, values, strict=True))


def test_items_and_maximum_pinned() -> None:
    assert ITEMS == ("pain", "function", "emotional_acceptance", "supports", "walking", "gait")
    assert TOTAL_MAX_POINTS == 30
    for item in ITEMS:
        assert sorted(ANCHORS[item]) == [0, 1, 3, 5]
    assert "could NOT be checked" in MSTS_LOWER_EXTREMITY.checked


def test_best_and_worst() -> None:
    best = classify_msts(**scores(5, 5, 5, 5, 5, 5))
    assert (best.total_points, best.percent, best.max_points) == (30, 100.0, 30)
    worst = classify_msts(**scores(0, 0, 0, 0, 0, 0))
    assert (worst.total_points, worst.percent) == (0, 0.0)


def test_worked_example_percentage_rounded_to_one_decimal() -> None:
    # 23 of 30 = 76.67 % → 76.7 (one decimal).
    result = classify_msts(**scores(5, 3, 5, 5, 3, 2))
    assert result.total_points == 23
    assert result.percent == 76.7
    assert "= 23 of 30 (76.7%)" in result.rationale
    assert result.gait_points == 2
    assert "intermediate" in result.provenance
    assert result.as_dict()["percent"] == 76.7


def test_anchor_values_have_no_provenance_note() -> None:
    result = classify_msts(**scores(5, 3, 1, 0, 3, 5))
    assert result.provenance == ""
    assert dict(result.inputs) == scores(5, 3, 1, 0, 3, 5)
    assert "Enneking" in result.source
    assert result.tables[0].ref == "msts-lower-extremity@1993.1"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", [-1, 6, 2.5, True, float("nan"), "3"])
def test_bad_item_names_the_field(name: str, bad: object) -> None:
    arguments: dict[str, object] = dict(scores(3, 3, 3, 3, 3, 3))
    arguments[name] = bad
    with pytest.raises(InvalidInput) as raised:
        classify_msts(**arguments)  # type: ignore[arg-type]
    assert raised.value.field == name


def test_record_from_text() -> None:
    record = dict.fromkeys(NAMES, "4")
    assert SYSTEM.classify_record(record).as_dict()["total_points"] == 24
    with pytest.raises(CannotClassify, match="missing gait_points"):
        SYSTEM.classify_record({**record, "gait_points": ""})
    with pytest.raises(InvalidInput, match="pain_points"):
        SYSTEM.classify_record({**record, "pain_points": "none"})
    with pytest.raises(InvalidInput, match="walking_points"):
        SYSTEM.classify_record({**record, "walking_points": "7"})


def test_help_shows_anchor_words() -> None:
    helps = {field.name: field.help for field in SYSTEM.fields}
    assert "enthused" in helps["emotional_acceptance_points"]
    assert "two canes or crutches" in helps["supports_points"]


item = st.integers(0, 5)


@given(st.lists(item, min_size=6, max_size=6), st.integers(0, 5), st.data())
def test_total_and_monotone(values: list[int], index: int, data: st.DataObject) -> None:
    result = classify_msts(**scores(*values))
    assert result.total_points == sum(values)
    assert result.percent == round(100 * sum(values) / 30, 1)
    # A better item never lowers the total (the MSTS rises with function).
    better = list(values)
    better[index] = data.draw(st.integers(values[index], 5))
    assert classify_msts(**scores(*better)).total_points >= result.total_points


@given(st.integers().filter(lambda n: not 0 <= n <= 5))
def test_out_of_range_is_refused(value: int) -> None:
    with pytest.raises(InvalidInput, match="walking_points"):
        classify_msts(**{**scores(3, 3, 3, 3, 3, 3), "walking_points": value})
