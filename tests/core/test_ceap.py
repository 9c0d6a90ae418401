"""CEAP 2020 clinical classes — Lurie F et al. J Vasc Surg Venous Lymphat Disord 2020;8:342–52,
as reproduced (UpToDate; Hong K-P, Ann Phlebology 2022): C0 none, C1 telangiectasias or reticular
veins, C2 varicose veins, C2r recurrent varicose veins, C3 edema, C4a pigmentation or eczema,
C4b lipodermatosclerosis or atrophie blanche, C4c corona phlebectatica, C5 healed venous ulcer,
C6 active venous ulcer, C6r recurrent active venous ulcer; S symptomatic, A asymptomatic."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.ceap import SYSTEM, classify_ceap
from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.tables.ceap import DESCRIPTIONS, SIGNS

PUBLISHED = [
    ("none", "C0", 0),
    ("telangiectasias_or_reticular_veins", "C1", 1),
    ("varicose_veins", "C2", 2),
    ("recurrent_varicose_veins", "C2r", 2),
    ("edema", "C3", 3),
    ("pigmentation_or_eczema", "C4a", 4),
    ("lipodermatosclerosis_or_atrophie_blanche", "C4b", 4),
    ("corona_phlebectatica", "C4c", 4),
    ("healed_venous_ulcer", "C5", 5),
    ("active_venous_ulcer", "C6", 6),
    ("recurrent_active_venous_ulcer", "C6r", 6),
]
REAL_SIGNS = [sign for sign in SIGNS if sign != "none"]


def number(label: str) -> int:
    return int(label[1])


def test_table_pinned_cell_by_cell() -> None:
    assert list(SIGNS.items()) == [(sign, (n, label)) for sign, label, n in PUBLISHED]
    assert DESCRIPTIONS["C4c"] == "corona phlebectatica"
    assert DESCRIPTIONS["C2r"] == "recurrent varicose veins"
    assert DESCRIPTIONS["C6r"] == "recurrent active venous ulcer"
    assert DESCRIPTIONS["C0"] == "no visible or palpable signs of venous disease"


@pytest.mark.parametrize(("sign", "label", "_n"), PUBLISHED)
@pytest.mark.parametrize("symptomatic", [True, False])
def test_each_class_alone(sign: str, label: str, _n: int, symptomatic: bool) -> None:
    result = classify_ceap(clinical_signs=[sign], symptomatic=symptomatic)
    modifier = "s" if symptomatic else "a"
    assert result.clinical_class == label
    assert result.classes == (label,)
    assert result.symptoms == modifier
    assert result.basic_code == f"{label},{modifier}"
    assert result.code == f"{label},{modifier}"
    assert "Lurie" in result.source
    assert result.tables[0].ref == "ceap-clinical@2020.1"


def test_recurrent_ulcer_example_from_the_brief() -> None:
    result = classify_ceap(
        clinical_signs=[
            "recurrent_varicose_veins",
            "corona_phlebectatica",
            "recurrent_active_venous_ulcer",
        ],
        symptomatic=True,
    )
    assert result.basic_code == "C6r,s"
    assert result.code == "C2r,4c,6r,s"
    assert result.classes == ("C2r", "C4c", "C6r")
    assert "highest, C6r" in result.rationale
    assert result.provenance == ""


def test_2004_worked_example_lists_every_class() -> None:
    # SVS/AVF 2011 (Meissner): varicose veins, pigmentation and a healed ulcer, symptomatic →
    # comprehensive C2,4a,5,S; basic C5,S.
    result = classify_ceap(
        clinical_signs=["healed_venous_ulcer", "varicose_veins", "pigmentation_or_eczema"],
        symptomatic=True,
    )
    assert result.code == "C2,4a,5,s"
    assert result.basic_code == "C5,s"
    assert dict(result.inputs) == {
        "clinical_signs": ("varicose_veins", "pigmentation_or_eczema", "healed_venous_ulcer"),
        "symptomatic": True,
    }


def test_healed_and_active_ulcer_together() -> None:
    result = classify_ceap(
        clinical_signs=["active_venous_ulcer", "healed_venous_ulcer"], symptomatic=False
    )
    assert result.code == "C5,6,a"
    assert result.clinical_class == "C6"


def test_several_c4_subclasses_note_the_reading() -> None:
    result = classify_ceap(
        clinical_signs=["pigmentation_or_eczema", "corona_phlebectatica", "edema"],
        symptomatic=True,
    )
    assert result.clinical_class == "C4c"
    assert result.code == "C3,4a,4c,s"
    assert "without ranking" in result.provenance


def test_duplicates_are_one_finding() -> None:
    result = classify_ceap(clinical_signs=("edema", "edema"), symptomatic=True)
    assert result.classes == ("C3",)


@pytest.mark.parametrize(
    ("signs", "conflict"),
    [
        (["varicose_veins", "recurrent_varicose_veins"], "recurrent_varicose_veins"),
        (["active_venous_ulcer", "recurrent_active_venous_ulcer"], "recurrent_active"),
        (["none", "edema"], "none (C0)"),
    ],
)
def test_contradictions_are_reported(signs: list[str], conflict: str) -> None:
    with pytest.raises(CannotClassify, match="conflicting") as raised:
        classify_ceap(clinical_signs=signs, symptomatic=True)
    assert conflict in raised.value.conflicts[0]


def test_no_signs_cannot_be_classified() -> None:
    with pytest.raises(CannotClassify, match="'none'") as raised:
        classify_ceap(clinical_signs=[], symptomatic=True)
    assert raised.value.missing == ("clinical_signs",)


@pytest.mark.parametrize("bad", ["edema", None, 3, ["ulcer"], [""], [True]])
def test_bad_signs_name_the_field(bad: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        classify_ceap(clinical_signs=bad, symptomatic=True)  # type: ignore[arg-type]
    assert raised.value.field == "clinical_signs"


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_symptomatic_must_be_a_boolean(bad: object) -> None:
    with pytest.raises(InvalidInput, match="symptomatic"):
        classify_ceap(clinical_signs=["edema"], symptomatic=bad)  # type: ignore[arg-type]


def test_record_from_text() -> None:
    record = {"clinical_signs": "varicose_veins;active_venous_ulcer", "symptomatic": "yes"}
    assert SYSTEM.classify_record(record).as_dict()["basic_code"] == "C6,s"
    json_record = {"clinical_signs": ["edema"], "symptomatic": False}
    assert SYSTEM.classify_record(json_record).as_dict()["code"] == "C3,a"
    with pytest.raises(CannotClassify, match="missing clinical_signs"):
        SYSTEM.classify_record({"clinical_signs": "", "symptomatic": "no"})
    with pytest.raises(CannotClassify, match="missing symptomatic"):
        SYSTEM.classify_record({"clinical_signs": "edema", "symptomatic": ""})
    with pytest.raises(InvalidInput, match="clinical_signs"):
        SYSTEM.classify_record({"clinical_signs": "edema;ulcer", "symptomatic": "no"})
    with pytest.raises(InvalidInput, match="symptomatic"):
        SYSTEM.classify_record({"clinical_signs": "edema", "symptomatic": "maybe"})


@given(st.lists(st.sampled_from(REAL_SIGNS), min_size=1), st.booleans())
def test_total_highest_and_monotone(signs: list[str], symptomatic: bool) -> None:
    exclusive = {("varicose_veins", "recurrent_varicose_veins")}
    exclusive.add(("active_venous_ulcer", "recurrent_active_venous_ulcer"))
    if any(a in signs and b in signs for a, b in exclusive):
        with pytest.raises(CannotClassify):
            classify_ceap(clinical_signs=signs, symptomatic=symptomatic)
        return
    result = classify_ceap(clinical_signs=signs, symptomatic=symptomatic)
    assert number(result.clinical_class) == max(SIGNS[sign][0] for sign in signs)
    assert set(result.classes) == {SIGNS[sign][1] for sign in signs}
    assert result.code.endswith("s" if symptomatic else "a")
    # Dropping a finding never raises the class (adding one never lowers it).
    if len(signs) > 1:
        fewer = classify_ceap(clinical_signs=signs[1:], symptomatic=symptomatic)
        assert number(fewer.clinical_class) <= number(result.clinical_class)


@given(st.text().filter(lambda text: text not in SIGNS))
def test_unknown_sign_is_refused(sign: str) -> None:
    with pytest.raises(InvalidInput, match="clinical_signs"):
        classify_ceap(clinical_signs=[sign], symptomatic=True)
