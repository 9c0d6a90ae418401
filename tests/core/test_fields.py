"""Declared inputs: text and JSON values become typed values or a clear InvalidInput."""

import math

import pytest

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.fontaine import FontaineResult, classify_fontaine


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (Kind.INTEGER, "3", 3),
        (Kind.INTEGER, 3, 3),
        (Kind.INTEGER, 3.0, 3),
        (Kind.INTEGER, " 2 ", 2),
        (Kind.NUMBER, "0.45", 0.45),
        (Kind.NUMBER, 7, 7.0),
        (Kind.NUMBER, "1e2", 100.0),
        (Kind.NUMBER, ".5", 0.5),
        (Kind.NUMBER, "-3.", -3.0),
        (Kind.INTEGER, "+2", 2),
        (Kind.FLAG, "yes", True),
        (Kind.FLAG, "0", False),
        (Kind.FLAG, "FALSE", False),
        (Kind.FLAG, True, True),
        (Kind.TEXT, "left hallux", "left hallux"),
        (Kind.INTEGER, "", None),
        (Kind.NUMBER, "   ", None),
        (Kind.FLAG, None, None),
    ],
)
def test_parse(kind: Kind, raw: object, expected: object) -> None:
    assert InputField("x", kind, "help").parse(raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "allowed"),
    [
        (Kind.INTEGER, "2.5", "an integer"),
        (Kind.INTEGER, True, "an integer"),
        (Kind.INTEGER, math.nan, "an integer"),
        (Kind.NUMBER, "nan", "a finite number"),
        (Kind.NUMBER, "inf", "a finite number"),
        (Kind.NUMBER, "abc", "a finite number"),
        (Kind.NUMBER, False, "a number"),
        (Kind.NUMBER, [1], "a finite number"),
        (Kind.NUMBER, 10**400, "a finite number"),  # JSON integers are unbounded
        (Kind.FLAG, "maybe", "true or false (yes/no, 1/0)"),
        (Kind.INTEGER, "٣", "an integer"),  # Arabic-Indic three: not plain clinical data
        (Kind.INTEGER, "1_0", "an integer"),
        (Kind.NUMBER, "1_0.5", "a finite number"),
        (Kind.NUMBER, "٣٥", "a finite number"),
    ],
)
def test_parse_errors_name_field_value_and_allowed(kind: Kind, raw: object, allowed: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        InputField("toe_pressure_mmhg", kind, "help").parse(raw)
    assert raised.value.field == "toe_pressure_mmhg"
    assert raised.value.value is raw
    assert raised.value.allowed == allowed
    assert str(raised.value).startswith("toe_pressure_mmhg: ")


def test_choice_field() -> None:
    field = InputField("im_modifier", Kind.CHOICE, "help", option="--im", choices=("P0", "P1"))
    assert field.parse("P1") == "P1"
    assert field.cli_option == "--im"
    with pytest.raises(InvalidInput, match="one of P0, P1"):
        field.parse("P3")


def test_multiple_field_from_text_and_list() -> None:
    field = InputField("wound_grades", Kind.INTEGER, "help", multiple=True)
    assert field.parse("1;3; ") == (1, 3)
    assert field.parse([2, "0"]) == (2, 0)
    assert field.parse("") is None
    assert field.parse(None) is None  # an absent column or JSON key
    with pytest.raises(InvalidInput, match="a list"):
        field.parse(5)


def test_default_cli_option_from_name() -> None:
    assert InputField("ischemia_hours", Kind.NUMBER, "help").cli_option == "--ischemia-hours"


def test_system_reads_result_type_and_required_inputs() -> None:
    system = System("fontaine", "Fontaine", (), classify_fontaine)
    assert system.result_type is FontaineResult
    assert system.result_fields == ("stage",)
    assert system.required_fields == ("symptom",)
    with pytest.raises(CannotClassify, match="missing symptom"):
        system.classify_record({})
