"""Cell codecs: every column type round-trips, and every bad cell says what is allowed."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from limbsalvage.db.models import Base
from limbsalvage.exchange.columns import CellError, codec_for
from limbsalvage.exchange.tables import exchanged_columns, exchanged_tables


def _codec(table: str, column: str):  # type: ignore[no-untyped-def]
    return codec_for(Base.metadata.tables[table].c[column])


@pytest.mark.parametrize(
    ("table", "column", "value", "text"),
    [
        ("patients", "id", 42, "42"),
        ("patients", "hba1c_pct", 8.1, "8.1"),
        ("patients", "hba1c_pct", 0.1 + 0.2, "0.30000000000000004"),
        ("patients", "diabetes", True, "true"),
        ("patients", "diabetes", False, "false"),
        ("patients", "birth_date", date(1950, 5, 17), "1950-05-17"),
        (
            "patients",
            "created_at",
            datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            "2026-03-02T09:30:00+00:00",
        ),
        ("limbs", "side", "left", "left"),
        ("patients", "given_name", "Ada", "Ada"),
        ("sites", "settings", {"b": 1, "a": [1, 2]}, '{"a":[1,2],"b":1}'),
        ("patients", "death_date", None, ""),
    ],
)
def test_values_round_trip(table: str, column: str, value: object, text: str) -> None:
    codec = _codec(table, column)
    assert codec.encode(value) == text
    assert codec.decode(text) == value


def test_instants_with_another_offset_are_read_as_utc() -> None:
    value = _codec("patients", "created_at").decode("2026-03-02T11:30:00+02:00")
    assert value == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert value.utcoffset() == timedelta(0)
    assert value.tzinfo is UTC or value.tzinfo == UTC


@pytest.mark.parametrize(
    ("table", "column", "text", "reason"),
    [
        ("patients", "birth_date", "", "required; the cell is empty"),
        ("patients", "id", "4.5", "not a whole number"),
        ("patients", "hba1c_pct", "eight", "not a number"),
        ("patients", "hba1c_pct", "nan", "not a finite number"),
        ("patients", "diabetes", "yes", "not allowed; expected true or false"),
        ("patients", "birth_date", "17/05/1950", "not an ISO 8601 date (YYYY-MM-DD)"),
        ("patients", "birth_date", "1950-02-30", "not a calendar date (YYYY-MM-DD)"),
        ("patients", "created_at", "yesterday", "not an ISO 8601 date and time"),
        ("patients", "created_at", "2026-03-02T09:30:00", "no UTC offset"),
        ("limbs", "side", "both", "not allowed; expected one of left, right"),
        ("patients", "given_name", "x" * 101, "too long; expected text of at most 100 characters"),
        ("sites", "settings", "{oops", "not valid JSON"),
    ],
)
def test_bad_cells_say_what_is_allowed(table: str, column: str, text: str, reason: str) -> None:
    with pytest.raises(CellError, match=re.escape(reason)):
        _codec(table, column).decode(text)


def test_every_exchanged_column_has_a_codec() -> None:
    kinds = {codec_for(c).kind for t in exchanged_tables() for c in exchanged_columns(t)}
    assert kinds <= {"integer", "number", "boolean", "date", "datetime", "code", "text", "json"}


def test_a_column_type_without_a_codec_is_named() -> None:
    from sqlalchemy import Column, LargeBinary, MetaData, Table  # noqa: PLC0415

    blob = Table("blobs", MetaData(), Column("data", LargeBinary)).c.data
    with pytest.raises(TypeError, match=r"blobs\.data: no CSV codec"):
        codec_for(blob)
