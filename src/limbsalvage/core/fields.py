"""Declared inputs of a classification system, shared by the CLI options and batch columns.

A system lists its inputs once (name, kind, help, allowed choices); the command line builds its
options from them and batch files use the same names as columns. Text from a file or the command
line is turned into typed values here; the classifier itself checks ranges and combinations.
"""

import inspect
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import cached_property
from typing import Any, get_type_hints

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.result import Classification, is_explanation


class Kind(StrEnum):
    """How a field's text is read."""

    INTEGER = "integer"
    NUMBER = "number"
    FLAG = "flag"
    CHOICE = "choice"
    TEXT = "text"


_PLAIN_INTEGER = re.compile(r"[+-]?[0-9]+")
# Decimal or exponent notation in ASCII; 'nan' and 'inf' pass here and are refused as not finite.
_PLAIN_NUMBER = re.compile(
    r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(nan|inf|infinity)", re.I
)
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


@dataclass(frozen=True)
class InputField:
    """One input of a system: its snake_case name is the batch column and the keyword argument."""

    name: str
    kind: Kind
    help: str
    option: str = ""
    choices: tuple[str, ...] = ()
    multiple: bool = False

    @property
    def cli_option(self) -> str:
        """The command-line option, `--name-with-dashes` unless declared."""
        return self.option or "--" + self.name.replace("_", "-")

    def parse(self, raw: object) -> object:
        """A typed value from text or JSON; None for an empty cell (the input is then absent)."""
        if self.multiple and raw is not None:
            items = raw.split(";") if isinstance(raw, str) else raw
            if not isinstance(items, list | tuple):
                raise InvalidInput(self.name, raw, "a list, or values separated by ';'")
            values = [self._parse_one(item) for item in items]
            return tuple(v for v in values if v is not None) or None
        return self._parse_one(raw)

    def _parse_one(self, raw: object) -> object:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, str):
            raw = raw.strip()
        if self.kind is Kind.CHOICE:
            if raw not in self.choices:
                raise InvalidInput(self.name, raw, "one of " + ", ".join(self.choices))
            return raw
        return _PARSERS[self.kind](self.name, raw)


def _integer(name: str, raw: object) -> int:
    if isinstance(raw, bool):
        raise InvalidInput(name, raw, "an integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        return int(raw)
    text = str(raw)
    # Python's int() also reads other scripts' digits and '1_0'; clinical data is plain ASCII.
    if not _PLAIN_INTEGER.fullmatch(text):
        raise InvalidInput(name, raw, "an integer")
    return int(text)


def _number(name: str, raw: object) -> float:
    if isinstance(raw, bool):
        raise InvalidInput(name, raw, "a number")
    if isinstance(raw, str) and not _PLAIN_NUMBER.fullmatch(raw):
        raise InvalidInput(name, raw, "a finite number")
    try:
        number = float(raw) if isinstance(raw, int | float | str) else math.nan
    except OverflowError:  # a JSON integer beyond the float range (10**400)
        number = math.inf
    if not math.isfinite(number):
        raise InvalidInput(name, raw, "a finite number")
    return number


def _flag(name: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(name, raw, "true or false (yes/no, 1/0)")


def _text(_name: str, raw: object) -> str:
    return str(raw)


_PARSERS: dict[Kind, Callable[[str, object], object]] = {
    Kind.INTEGER: _integer,
    Kind.NUMBER: _number,
    Kind.FLAG: _flag,
    Kind.TEXT: _text,
}


@dataclass(frozen=True)
class System:
    """A classification system as the CLI and batch see it."""

    name: str
    title: str
    fields: tuple[InputField, ...]
    classify: Callable[..., Classification]
    example: str = ""

    @cached_property
    def result_type(self) -> type[Classification]:
        """The result class, read from the classifier's return annotation."""
        result: type[Classification] = get_type_hints(self.classify)["return"]
        return result

    @cached_property
    def result_fields(self) -> tuple[str, ...]:
        """The system's own result values (without the base's and other explanation texts)."""
        base = {f.name for f in fields(Classification)}
        return tuple(
            f.name for f in fields(self.result_type) if f.name not in base and not is_explanation(f)
        )

    @cached_property
    def required_fields(self) -> tuple[str, ...]:
        """Inputs the classifier cannot do without (keyword arguments with no default)."""
        parameters = inspect.signature(self.classify).parameters.values()
        return tuple(p.name for p in parameters if p.default is inspect.Parameter.empty)

    def classify_record(self, record: Mapping[str, Any]) -> Classification:
        """Parse one record (text or JSON values) by the declared fields and classify it."""
        arguments = {}
        for spec in self.fields:
            value = spec.parse(record.get(spec.name))
            if value is not None:
                arguments[spec.name] = value
        missing = [name for name in self.required_fields if name not in arguments]
        if missing:
            raise CannotClassify(self.name, missing=missing)
        return self.classify(**arguments)
