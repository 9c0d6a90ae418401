"""How each column is written to and read from a CSV cell (docs/registry/data-dictionary.md).

One codec per column, derived from the model's column type, so a new column of a new table
is exchanged without code here: integers in decimal, numbers in Python's shortest round-trip
form, booleans as `true`/`false`, dates as ISO 8601 `YYYY-MM-DD`, instants as ISO 8601 with
the UTC offset, coded values as their stable code, JSON as compact JSON; an empty cell is
null.
"""

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Enum, Float, Integer, String

from limbsalvage.db.types import UTCDateTime

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[+-]?\d+")


EMPTY_REQUIRED = "required; the cell is empty"


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message says what is allowed."""


@dataclass(frozen=True)
class Codec:
    """Encode and decode the cells of one column."""

    name: str
    kind: str
    nullable: bool
    has_default: bool
    allowed: str
    decode_text: Callable[[str], Any]
    encode_value: Callable[[Any], str]

    def encode(self, value: Any) -> str:
        """The cell text of a stored value ('' for null)."""
        return "" if value is None else self.encode_value(value)

    @property
    def required(self) -> bool:
        """Whether an empty cell is refused (not nullable and no default)."""
        return not self.nullable and not self.has_default

    def decode(self, text: str) -> Any:
        """The value of a cell; CellError names what is allowed."""
        if text == "":
            if self.required:
                raise CellError(EMPTY_REQUIRED)
            return None
        return self.decode_text(text)


def codec_for(column: Column[Any]) -> Codec:
    """The codec of a model column, from its type."""
    kind, allowed, decode, encode = _kind(column)
    return Codec(
        name=column.name,
        kind=kind,
        nullable=bool(column.nullable),
        has_default=column.default is not None or column.server_default is not None,
        allowed=allowed,
        decode_text=decode,
        encode_value=encode,
    )


Kind = tuple[str, str, Callable[[str], Any], Callable[[Any], str]]


def _kind(column: Column[Any]) -> Kind:
    column_type = column.type
    if isinstance(column_type, Enum):
        return _code(column_type)
    if isinstance(column_type, String):
        return _text(column_type.length)
    # Order matters: UTCDateTime before Date, Boolean before Integer.
    for types, kind in _SIMPLE_KINDS:
        if isinstance(column_type, types):
            return kind
    raise TypeError(f"{column.table.name}.{column.name}: no CSV codec for {column_type!r}")


def _code(column_type: Enum) -> Kind:
    values = list(column_type.enums)
    enum_class = column_type.enum_class
    allowed = "one of " + ", ".join(values)
    members = {v: enum_class(v) if enum_class is not None else v for v in values}

    def decode(text: str) -> Any:
        member = members.get(text)
        if member is None:
            raise CellError(f"not allowed; expected {allowed}")
        return member

    def encode(value: Any) -> str:
        return str(value.value if isinstance(value, PyEnum) else value)

    return "code", allowed, decode, encode


def _text(length: int | None) -> Kind:
    allowed = f"text of at most {length} characters" if length else "text"

    def decode(text: str) -> str:
        if length is not None and len(text) > length:
            raise CellError(f"too long; expected {allowed}")
        return text

    return "text", allowed, decode, str


def _integer(text: str) -> int:
    if not _INTEGER.fullmatch(text.strip()):
        raise CellError("not a whole number")
    return int(text)


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CellError("not a number") from None
    if not math.isfinite(value):
        raise CellError("not a finite number")
    return value


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise CellError("not allowed; expected true or false")
    return lowered == "true"


def _bool_text(value: Any) -> str:
    return "true" if value else "false"


def _date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise CellError("not an ISO 8601 date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError("not a calendar date (YYYY-MM-DD)") from None


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CellError("not an ISO 8601 date and time") from None
    if value.tzinfo is None:
        raise CellError("no UTC offset; expected e.g. 2026-03-02T09:30:00+00:00")
    return value.astimezone(UTC)


def _iso(value: Any) -> str:
    return str(value.isoformat())


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise CellError("not valid JSON") from None


def _json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


_SIMPLE_KINDS: tuple[tuple[type[Any], Kind], ...] = (
    (UTCDateTime, ("datetime", "an ISO 8601 date and time with its UTC offset", _instant, _iso)),
    (Date, ("date", "an ISO 8601 date (YYYY-MM-DD)", _date, _iso)),
    (Boolean, ("boolean", "true or false", _boolean, _bool_text)),
    (Integer, ("integer", "a whole number", _integer, str)),
    (Float, ("number", "a number", _number, repr)),
    (JSON, ("json", "a JSON value", _json, _json_text)),
)
