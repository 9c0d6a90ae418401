"""Vectorised batch classification for registry-scale CSV files (Arrow + numpy).

The scalar classifier stays the single source of truth. Rows are decoded column by column with
Arrow, reduced to a *category key* (the discrete facts a result depends on: grades, flags and,
for measurements, the band each value falls in), and the scalar classifier runs once per distinct
key; its output row is then broadcast to every row with that key. Any row the fast path cannot
vouch for — a cell that is not plainly formatted, a value out of range, a result that is an error —
goes through the row-by-row path. A property test holds the two paths equal row for row.
"""

import csv
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from limbsalvage.batch.rows import Legend, classify_row, csv_text, result_columns
from limbsalvage.batch.wifi_keys import wifi_category_key
from limbsalvage.core.fields import InputField, Kind, System

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

_FLAG_WORDS = ("true", "yes", "y", "1", "false", "no", "n", "0")
_FLAG_VALUES = np.array([1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
# Plain spellings both Arrow and Python read the same way; anything else takes the scalar path.
_PLAIN_INTEGER = r"^[0-9]{1,9}$"
_PLAIN_NUMBER = r"^-?[0-9]{1,9}(\.[0-9]{1,9})?$"


@dataclass(frozen=True)
class Decoded:
    """One input column as numbers: NaN where the cell is empty; `plain` False where not decoded."""

    values: FloatArray
    plain: BoolArray


# The category key of each row and whether the fast path may serve it, from the decoded inputs.
CategoryKey = Callable[[Mapping[str, Decoded]], tuple[IntArray, BoolArray]]


@dataclass(frozen=True)
class FastPath:
    """A system's vectorised path: the inputs it decodes and its category key."""

    fields: frozenset[str]
    key: CategoryKey


FAST_PATHS: Mapping[str, FastPath] = MappingProxyType(
    {
        "wifi": FastPath(
            frozenset(
                {
                    "wound_grade",
                    "ischemia_grade",
                    "infection_grade",
                    "abi",
                    "ankle_pressure_mmhg",
                    "toe_pressure_mmhg",
                    "tcpo2_mmhg",
                    "diabetes",
                    "non_compressible",
                    "unsalvageable",
                }
            ),
            wifi_category_key,
        )
    }
)


def _cast_or_plain(column: pa.ChunkedArray, target: pa.DataType, plain: str) -> Decoded:
    """Empty cells are already null (see `_read`); cast, or cast the plainly written cells."""
    try:
        cast = pc.cast(column, target)
        ok = np.ones(len(column), dtype=bool)
    except pa.ArrowInvalid:  # a cell Arrow cannot cast: decode the plain ones only
        matches = pc.fill_null(pc.match_substring_regex(column, plain), True)
        ok = matches.to_numpy(zero_copy_only=False).astype(bool)
        cast = pc.cast(pc.if_else(matches, column, pa.scalar(None, pa.string())), target)
    values = cast.to_numpy(zero_copy_only=False).astype(np.float64)
    # NaN and infinity parse in both readers but are errors in the scalar path: send them there.
    ok &= np.isfinite(values) | pc.is_null(column).to_numpy(zero_copy_only=False)
    return Decoded(np.where(np.isfinite(values), values, np.nan), ok)


def _flag(column: pa.ChunkedArray) -> Decoded:
    position = pc.index_in(pc.utf8_lower(column), pa.array(_FLAG_WORDS)).to_numpy(
        zero_copy_only=False
    )
    empty = pc.is_null(column).to_numpy(zero_copy_only=False)
    known = ~np.isnan(position)
    values = np.full(len(column), np.nan)
    values[known] = _FLAG_VALUES[position[known].astype(np.int64)]
    return Decoded(values, known | empty)


def decode(column: pa.ChunkedArray, spec: InputField) -> Decoded:
    """A column as the scalar parser would read it, for plainly written cells."""
    if spec.kind is Kind.INTEGER:
        return _cast_or_plain(column, pa.int64(), _PLAIN_INTEGER)
    if spec.kind is Kind.NUMBER:
        return _cast_or_plain(column, pa.float64(), _PLAIN_NUMBER)
    if spec.kind is Kind.FLAG:
        return _flag(column)
    raise ValueError(f"{spec.name}: {spec.kind} columns have no fast path")


def _header(source: Path) -> list[str]:
    with source.open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle), [])


def read_text_csv(source: Path, names: list[str]) -> pa.Table:
    """Every column as text, empty cells as null: both mean "absent" to the scalar parser."""
    options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    return pacsv.read_csv(source, convert_options=options)


def _read(source: Path, names: list[str]) -> pa.Table | None:
    try:
        return read_text_csv(source, names)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None  # ragged rows, odd quoting: the row-by-row path reports them row by row


def _record(table: pa.Table, index: int) -> dict[str, Any]:
    return {name: table.column(name)[index].as_py() for name in table.column_names}


def classify_csv(
    system: System, source: Path, output: Path, legend: Legend
) -> tuple[int, int] | None:
    """Classify a CSV with the system's fast path; None when the file needs the row path."""
    fast = FAST_PATHS.get(system.name)
    names = _header(source)
    inputs = {spec.name for spec in system.fields} & set(names)
    if fast is None or not names or len(set(names)) != len(names) or not inputs <= fast.fields:
        return None
    table = _read(source, names)
    if table is None or table.num_rows == 0:
        return None
    specs = {spec.name: spec for spec in system.fields}
    decoded = {name: decode(table.column(name), specs[name]) for name in inputs}
    key, eligible = fast.key(decoded)
    for column in decoded.values():
        eligible &= column.plain
    return _broadcast(system, table, output=output, key=key, eligible=eligible, legend=legend)


def _broadcast(
    system: System,
    table: pa.Table,
    *,
    output: Path,
    key: IntArray,
    eligible: BoolArray,
    legend: Legend,
) -> tuple[int, int]:
    rows = table.num_rows
    eligible_rows = np.flatnonzero(eligible)
    representatives, inverse = _groups(key[eligible_rows])
    results: list[dict[str, object]] = []
    broadcastable = np.zeros(len(representatives), dtype=bool)
    for group, row_index in enumerate(eligible_rows[representatives]):
        row = classify_row(system, _record(table, int(row_index)), legend)
        # An error message may quote the value, so error groups are redone row by row.
        broadcastable[group] = row["error"] is None
        results.append(row)
    served = eligible.copy()
    served[eligible_rows[~broadcastable[inverse]]] = False
    slot = np.empty(rows, dtype=np.int32)
    slot[eligible] = inverse
    errors = 0
    for row_index in np.flatnonzero(~served):
        row = classify_row(system, _record(table, int(row_index)), legend)
        slot[row_index] = len(results)
        results.append(row)
        errors += row["error"] is not None
    _write(table, results, slot, output, filled=set(result_columns(system)))
    return rows, errors


def _groups(key: IntArray) -> tuple[IntArray, IntArray]:
    """One representative position per distinct key, and each row's group number.

    Keys index a dense table (category keys are small), which is linear in rows; any row of a
    group may represent it, since every row of a group gets the same result by construction.
    """
    if key.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    representative = np.full(int(key.max()) + 1, -1, dtype=np.int64)
    representative[key] = np.arange(key.size)
    present = np.flatnonzero(representative >= 0)
    group_of_key = np.zeros(representative.size, dtype=np.int64)
    group_of_key[present] = np.arange(present.size)
    return representative[present], group_of_key[key]


def _write(
    table: pa.Table,
    results: list[dict[str, object]],
    slot: IntArray,
    output: Path,
    *,
    filled: set[str],
) -> None:
    """Columns of the input as read, except those the classification fills, taken by slot."""
    indices = pa.array(slot, pa.int32())
    changed = [name for name in results[0] if name not in table.column_names or name in filled]
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        name: table.column(name) for name in table.column_names
    }
    for name in changed:
        texts = pa.array([csv_text(row[name]) for row in results], pa.string())
        # Dictionary-encoded: each distinct result is stored once and never copied per row.
        columns[name] = pa.DictionaryArray.from_arrays(indices, texts)
    pacsv.write_csv(pa.table(columns), output)
