"""The result value: immutable, explainable, JSON-ready."""

from dataclasses import FrozenInstanceError, dataclass

import pytest

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.fontaine import classify_fontaine
from limbsalvage.core.result import Classification, explanation_field
from limbsalvage.core.sources import Source, Table

TABLE = Table("t", "1", Source("A B. J 2020;1:1", doi="10/x"), "Table 1", "read in the primary")


def test_result_is_immutable_including_inputs() -> None:
    result = Classification(inputs={"a": [1, {"b": 2}]}, rationale="r", source="s")
    with pytest.raises(FrozenInstanceError):
        result.rationale = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.inputs["a"] = 3  # type: ignore[index]
    assert result.inputs["a"] == (1, {"b": 2})
    assert result.as_dict()["inputs"] == {"a": [1, {"b": 2}]}


def test_as_dict_puts_result_fields_first_then_the_explanation() -> None:
    data = classify_fontaine(symptom="ulcer").as_dict()
    assert list(data) == [
        "system",
        "stage",
        "inputs",
        "rationale",
        "source",
        "provenance",
        "tables",
        "rule",
    ]
    assert data["tables"] == [
        {
            "ref": "fontaine-stages@1954.1",
            "source": data["source"],
            "checked": data["tables"][0]["checked"],  # type: ignore[index]
        }
    ]


@dataclass(frozen=True, kw_only=True)
class Explained(Classification):
    grade: int
    note: str = explanation_field()


def test_as_row_carries_values_and_the_rule_id_of_the_explanation() -> None:
    result = Explained(grade=2, note="n", inputs={}, rationale="r", source="s", tables=(TABLE,))
    assert result.explanation() == {
        "rationale": "r",
        "provenance": "",
        "tables": ["t@1"],
        "note": "n",
    }
    assert result.as_row() == {"grade": 2, "rule": result.rule_id}
    assert len(result.rule_id) == 12
    same = Explained(grade=3, note="n", inputs={"x": 1}, rationale="r", source="s", tables=(TABLE,))
    other = Explained(grade=2, note="m", inputs={}, rationale="r", source="s", tables=(TABLE,))
    assert same.rule_id == result.rule_id  # the id names the explanation, not the values
    assert other.rule_id != result.rule_id


def test_sources_cite_with_doi_url_or_neither() -> None:
    assert TABLE.cite() == "A B. J 2020;1:1, Table 1. doi:10/x"
    assert Source("C", url="https://u").cite() == "C. https://u"
    assert Source("D").cite() == "D"


def test_cannot_classify_message_lists_missing_conflicts_and_detail() -> None:
    error = CannotClassify("wifi", missing=["a", "b"], conflicts=["x vs y"], detail="why")
    assert str(error) == "cannot classify wifi: missing a, b; conflicting x vs y; why"


def test_cannot_classify_with_a_conflict_only() -> None:
    assert str(CannotClassify("glass", conflicts=["fp_grade 2 vs lesions 3"])) == (
        "cannot classify glass: conflicting fp_grade 2 vs lesions 3"
    )
