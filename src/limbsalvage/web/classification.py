"""Classify a record from the web (JSON body or form) by the CLI's `classify` contract.

Inputs are the system's declared field names (`limbsalvage classify SYSTEM --help`), parsed by
the same rules as the command line and batch files; the result is `Classification.as_dict()`.
Every field problem is collected (not only the first), and messages name the field and what is
allowed, never the submitted value.
"""

import re
from collections.abc import Mapping
from typing import Any

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.result import Classification
from limbsalvage.errors import FieldProblem, Invalid, NotFound

_SCALARS = (str, int, float, bool)


def unknown_system() -> NotFound:
    """The error for a name that is not a registered system, listing the known ones."""
    return NotFound("unknown classification system; expected one of " + ", ".join(SYSTEMS))


def system_named(name: str) -> System:
    """The registered system, or NotFound listing the known names."""
    system = SYSTEMS.get(name)
    if system is None:
        raise unknown_system()
    return system


def _shape_problem(spec: InputField, value: object) -> str | None:
    """What is wrong with the JSON shape of a value, before it is parsed."""
    if spec.multiple:
        items = value if isinstance(value, list) else [value]
        if all(isinstance(item, _SCALARS) for item in items):
            return None
        return "expected a list of values or one value"
    if spec.kind is Kind.TEXT and not isinstance(value, str):
        return "expected text"
    if not isinstance(value, _SCALARS):
        return "expected a single value"
    return None


def _empty(value: object) -> bool:
    items = value if isinstance(value, list) else [value]
    return any(isinstance(item, str) and not item.strip() for item in items)


def field_problems(system: System, record: Mapping[str, Any]) -> list[FieldProblem]:
    """Every field of `record` that is unknown, empty or not allowed, each named once."""
    known = {spec.name: spec for spec in system.fields}
    problems = [
        FieldProblem(name, f"not an input of {system.name}") for name in record if name not in known
    ]
    for name, value in record.items():
        spec = known.get(name)
        if spec is None or value is None:
            continue
        shape = _shape_problem(spec, value)
        if shape is not None:
            problems.append(FieldProblem(name, shape))
        elif _empty(value):
            problems.append(FieldProblem(name, "empty; expected a value (or leave it out)"))
        else:
            try:
                spec.parse(value)
            except InvalidInput as error:
                problems.append(FieldProblem(name, f"expected {error.allowed}"))
    return problems


def _invalid(system: System, problems: list[FieldProblem]) -> Invalid:
    listed = "; ".join(f"{p.field}: {p.message}" for p in problems)
    return Invalid(message=f"cannot classify {system.name}: {listed}", fields=problems)


def classify(system: System, record: Mapping[str, Any]) -> Classification:
    """The classification of `record`, or Invalid naming every field problem or missing input."""
    problems = field_problems(system, record)
    if problems:
        raise _invalid(system, problems)
    try:
        return system.classify_record(record)
    except InvalidInput as error:
        raise _invalid(system, [FieldProblem(error.field, f"expected {error.allowed}")]) from None
    except CannotClassify as error:
        fields = [_missing(system, item) for item in error.missing]
        fields += [
            FieldProblem(_field_in(system, text), f"conflicting: {text}")
            for text in error.conflicts
        ]
        raise Invalid(message=str(error), fields=fields, code="cannot_classify") from None


def _field_in(system: System, text: str) -> str:
    """The first input of `system` that `text` names, else `inputs` (the record as a whole)."""
    names = {spec.name for spec in system.fields}
    return next((word for word in re.findall(r"\w+", text) if word in names), "inputs")


def _missing(system: System, item: str) -> FieldProblem:
    """A missing input: a field name, or a description of alternatives ('a or b')."""
    if item in {spec.name for spec in system.fields}:
        return FieldProblem(item, "missing")
    return FieldProblem(_field_in(system, item), f"missing {item}")
