"""Shared input checks."""

import math
from enum import StrEnum

import pytest

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.validate import choice, flag, integer_in, number_in


class Colour(StrEnum):
    RED = "red"


def test_integer_in() -> None:
    assert integer_in("g", 2, 0, 3) == 2
    assert integer_in("g", 3.0, 0, 3) == 3
    for bad in (4, -1, 2.5, True, "2", math.nan, None):
        with pytest.raises(InvalidInput, match="an integer from 0 to 3"):
            integer_in("g", bad, 0, 3)


def test_number_in() -> None:
    assert number_in("p", 0, 0, 300, "mmHg") == 0.0
    for bad in (-0.1, 300.1, math.nan, math.inf, True, "1", None):
        with pytest.raises(InvalidInput, match="a number from 0 to 300 mmHg"):
            number_in("p", bad, 0, 300, "mmHg")
    with pytest.raises(InvalidInput, match=r"from 0 to 1$"):
        number_in("p", 2, 0, 1)


def test_flag_and_choice() -> None:
    assert flag("f", False) is False
    with pytest.raises(InvalidInput, match="true or false"):
        flag("f", 1)
    assert choice("c", "red", list(Colour)) is Colour.RED
    with pytest.raises(InvalidInput, match="one of red"):
        choice("c", "blue", list(Colour))
