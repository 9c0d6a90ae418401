"""HTML forms built from the pydantic input schemas: widgets, typed values, field messages.

A form never loses what was typed: a refused form comes back with every value and a message
beside each field it names. Empty boxes are absent (never a default), yes/no findings are
"not recorded / yes / no".
"""

import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from limbsalvage.errors import FieldProblem, Invalid

FLAG_CHOICES = (("yes", "yes"), ("no", "no"))
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class FormField:
    """One input of a form as the template draws it."""

    name: str
    label: str
    widget: str  # text | number | date | select
    required: bool
    value: str
    error: str
    choices: tuple[tuple[str, str], ...] = ()


def _inner(annotation: Any) -> Any:
    """`X | None` → `X`; `Annotated[str, …]` → `str`."""
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    while hasattr(annotation, "__metadata__"):
        annotation = get_args(annotation)[0]
    return annotation


def _widget(annotation: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    kind = _inner(annotation)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "select", tuple((m.value, m.value.replace("_", " ")) for m in kind)
    if kind is bool:
        return "select", FLAG_CHOICES
    if kind is date:
        return "date", ()
    if kind in (int, float):
        return "number", ()
    return "text", ()


def form_fields(
    model: type[BaseModel],
    *,
    values: Mapping[str, str],
    problems: Iterable[FieldProblem] = (),
    names: Iterable[str] | None = None,
) -> list[FormField]:
    """The form's fields in the schema's order, with typed values and messages."""
    messages: dict[str, list[str]] = {}
    for problem in problems:
        messages.setdefault(problem.field, []).append(problem.message)
    chosen = list(names) if names is not None else list(model.model_fields)
    fields = []
    for name in chosen:
        info = model.model_fields[name]
        widget, choices = _widget(info.annotation)
        fields.append(
            FormField(
                name=name,
                label=(info.description or name.replace("_", " ")),
                widget=widget,
                required=info.is_required(),
                value=values.get(name, ""),
                error="; ".join(messages.get(name, [])),
                choices=choices,
            )
        )
    return fields


def typed_form(model: type[BaseModel], form: FormData) -> tuple[dict[str, str], dict[str, Any]]:
    """What was typed (to show again) and the values to validate (empty boxes left out)."""
    typed: dict[str, str] = {}
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        raw = form.get(name)
        if not isinstance(raw, str) or not raw.strip():
            continue
        typed[name] = raw
        if _inner(info.annotation) is bool:
            data[name] = {"yes": True, "no": False}.get(raw, raw)
        else:
            data[name] = raw.strip()
    return typed, data


def validated(model: type[M], data: Mapping[str, Any]) -> M:
    """The model, or Invalid naming every field (messages without the submitted values)."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = ".".join(str(part) for part in item["loc"])
            message = str(item["msg"]).removeprefix("Value error, ")
            if not location and ": " in message:
                location, message = message.split(": ", 1)
            problems.append(FieldProblem(location or "form", message))
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
        raise Invalid(message=summary, fields=problems) from None
