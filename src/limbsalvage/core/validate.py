"""Input checks shared by the classifiers: each names the field, the value and what is allowed."""

import math
from collections.abc import Collection
from typing import TypeVar

from limbsalvage.core.errors import InvalidInput

T = TypeVar("T")


def integer_in(field: str, value: object, low: int, high: int) -> int:
    """An integer within [low, high] (booleans and floats with a fraction are refused)."""
    allowed = f"an integer from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, value, allowed)
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise InvalidInput(field, value, allowed)
    number = int(value)
    if not low <= number <= high:
        raise InvalidInput(field, value, allowed)
    return number


def number_in(field: str, value: object, low: float, high: float, unit: str = "") -> float:
    """A finite number within [low, high]; `unit` is named in the message."""
    suffix = f" {unit}" if unit else ""
    allowed = f"a number from {low:g} to {high:g}{suffix}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, value, allowed)
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise InvalidInput(field, value, allowed)
    return number


def flag(field: str, value: object) -> bool:
    """A yes/no finding; only a real boolean is accepted."""
    if not isinstance(value, bool):
        raise InvalidInput(field, value, "true or false")
    return value


def choice(field: str, value: object, allowed: Collection[T]) -> T:
    """One of a fixed set of values (enum members or strings)."""
    for option in allowed:
        if value == option:
            return option
    raise InvalidInput(field, value, "one of " + ", ".join(str(a) for a in allowed))
