"""One output row per input record, written the same way by the row path and the fast path."""

import json
from collections.abc import Mapping
from typing import Any

from limbsalvage.core.errors import ClassificationError
from limbsalvage.core.fields import System
from limbsalvage.core.sources import Table


def result_columns(system: System) -> list[str]:
    """Output columns a system adds after (or fills among) the input columns."""
    return [*system.result_fields, "rationale", "provenance", "tables", "error"]


def classify_row(system: System, record: Mapping[Any, Any]) -> tuple[dict[str, object], set[Table]]:
    """One output row: the record's own columns, then the result or the error."""
    row: dict[str, object] = {k: v for k, v in record.items() if k is not None}
    try:
        if None in record:
            raise ClassificationError("the row has more values than the header has columns")
        result = system.classify_record(record)
    except ClassificationError as error:
        # An error row keeps what the user gave; result columns stay empty.
        row.update({k: None for k in result_columns(system) if k not in row})
        row["error"] = str(error)
        return row, set()
    row.update(result.as_row())
    row["error"] = None
    return row, set(result.tables)


def csv_text(value: object) -> str:
    """The cell text the csv module would write: '' for None, JSON for lists and dicts."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
