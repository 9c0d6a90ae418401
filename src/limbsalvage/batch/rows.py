"""One output row per input record, written the same way by the row path and the fast path.

A row carries the result values and `rule`, the id of its explanation; the explanations (rule
text, provenance, tables) are written once per file in the legend beside the output, so a
registry of a million limbs does not repeat the same sentences a million times.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from limbsalvage.core.errors import ClassificationError
from limbsalvage.core.fields import System
from limbsalvage.core.result import Classification
from limbsalvage.core.sources import Table


def result_columns(system: System) -> list[str]:
    """Output columns a system adds after (or fills among) the input columns."""
    return [*system.result_fields, "rule", "error"]


@dataclass
class Legend:
    """The explanations and tables used by a batch run, keyed by rule id and table ref."""

    rules: dict[str, dict[str, object]] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)

    def add(self, result: Classification) -> None:
        """Record a result's explanation and tables (once per distinct rule)."""
        rule = result.rule_id
        if rule not in self.rules:
            self.rules[rule] = result.explanation()
            self.tables.update((t.ref, t) for t in result.tables)

    def as_dict(self) -> dict[str, object]:
        """The legend as written beside the output."""
        return {
            "rules": dict(sorted(self.rules.items())),
            "tables": {
                ref: {"source": t.cite(), "checked": t.checked}
                for ref, t in sorted(self.tables.items())
            },
        }


def classify_row(system: System, record: Mapping[Any, Any], legend: Legend) -> dict[str, object]:
    """One output row: the record's own columns, then the result values or the error."""
    row: dict[str, object] = {k: v for k, v in record.items() if k is not None}
    try:
        if None in record:
            raise ClassificationError("the row has more values than the header has columns")
        result = system.classify_record(record)
    except ClassificationError as error:
        # An error row keeps what the user gave; result columns stay empty.
        row.update({k: None for k in result_columns(system) if k not in row})
        row["error"] = str(error)
        return row
    legend.add(result)
    row.update(result.as_row())
    row["error"] = None
    return row


def csv_text(value: object) -> str:
    """The cell text the csv module would write: '' for None, JSON for lists and dicts."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
