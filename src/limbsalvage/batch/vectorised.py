"""Vectorised batch classification for registry-scale CSV files (Arrow + numpy).

The scalar classifier stays the single source of truth. Rows with the same text in every input
cell form a group (see `groups`); each group is decoded with Arrow and reduced to a *category
key* (the discrete facts a result depends on: grades, flags and, for measurements, the band each
value falls in), and the scalar classifier runs once per distinct key; its output row is then
taken back to every row of every group with that key. A group the fast path cannot vouch for — a
cell that is not plainly formatted, a value out of range, a result that is an error — goes through
the scalar path once, for all its rows alike (their inputs are the same text). The output is
written per group too (see `grouped_csv`). A property test holds this path equal to the
row-by-row path.
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

from limbsalvage.batch.grouped_csv import Column, PerGroup, PerRow, write_rows
from limbsalvage.batch.groups import Coded, RowGroups, dense_groups, group_rows, read_csv
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


# The category key of each group of rows and whether the fast path may serve it, from the decoded
# inputs of the groups and their number.
CategoryKey = Callable[[Mapping[str, Decoded], int], tuple[IntArray, BoolArray]]


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


def _cast_or_plain(column: pa.Array | pa.ChunkedArray, target: pa.DataType, plain: str) -> Decoded:
    """Empty cells are already null (see `read_csv`); cast, or cast the plainly written cells."""
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


def _flag(column: pa.Array | pa.ChunkedArray) -> Decoded:
    position = pc.index_in(pc.utf8_lower(column), pa.array(_FLAG_WORDS)).to_numpy(
        zero_copy_only=False
    )
    empty = pc.is_null(column).to_numpy(zero_copy_only=False)
    known = ~np.isnan(position)
    values = np.full(len(column), np.nan)
    values[known] = _FLAG_VALUES[position[known].astype(np.int64)]
    return Decoded(values, known | empty)


def decode(column: pa.Array | pa.ChunkedArray, spec: InputField) -> Decoded:
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


def _read(source: Path, names: list[str], keyed: list[str]) -> pa.Table | None:
    try:
        return read_csv(source, names, keyed)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None  # ragged rows, odd quoting: the row-by-row path reports them row by row


def _record(groups: RowGroups, group: int) -> dict[str, Any]:
    """The input cells of a group's rows (the only cells its result depends on)."""
    return {name: column.text(group) for name, column in groups.columns.items()}


def _decode(column: Coded, spec: InputField) -> Decoded:
    """Each group's cell decoded: each distinct text once, then taken by group."""
    once = decode(column.texts, spec)
    return Decoded(once.values[column.of_group], once.plain[column.of_group])


def classify_csv(
    system: System, source: Path, output: Path, legend: Legend
) -> tuple[int, int] | None:
    """Classify a CSV with the system's fast path; None when the file needs the row path."""
    fast = FAST_PATHS.get(system.name)
    names = _header(source)
    inputs = {spec.name for spec in system.fields} & set(names)
    if fast is None or not names or len(set(names)) != len(names) or not inputs <= fast.fields:
        return None
    filled = set(result_columns(system))
    # A row's output is fixed by its inputs and, for an error row, the result columns it brings.
    keyed = [name for name in names if name in inputs or name in filled]
    table = _read(source, names, keyed)
    if table is None or table.num_rows == 0:
        return None
    groups = group_rows(table, keyed)
    specs = {spec.name: spec for spec in system.fields}
    decoded = {name: _decode(groups.columns[name], specs[name]) for name in inputs}
    key, eligible = fast.key(decoded, groups.size)
    for column in decoded.values():
        eligible &= column.plain
    slot, results = _classify_groups(system, groups, key=key, eligible=eligible, legend=legend)
    failed = np.array([row["error"] is not None for row in results])[slot]
    errors = int(np.bincount(groups.group, minlength=groups.size)[failed].sum())
    _write(table, groups, results, slot, output, filled=filled)
    return table.num_rows, errors


def _classify_groups(
    system: System,
    groups: RowGroups,
    *,
    key: IntArray,
    eligible: BoolArray,
    legend: Legend,
) -> tuple[IntArray, list[dict[str, object]]]:
    """Each group's result: once per category key where the fast path vouches, else per group."""
    candidates = np.flatnonzero(eligible)
    representatives, category = dense_groups(key[candidates])
    results: list[dict[str, object]] = []
    category_slot = np.full(len(representatives), -1, dtype=np.int64)
    for number, group in enumerate(candidates[representatives]):
        results.append(classify_row(system, _record(groups, int(group)), legend))
        # An error message may quote the value, so error categories are redone group by group.
        if results[-1]["error"] is None:
            category_slot[number] = len(results) - 1
    slot = np.full(groups.size, -1, dtype=np.int64)
    slot[candidates] = category_slot[category]
    for group in np.flatnonzero(slot < 0):
        slot[group] = len(results)
        results.append(classify_row(system, _record(groups, int(group)), legend))
    return slot, results


def _write(
    table: pa.Table,
    groups: RowGroups,
    results: list[dict[str, object]],
    slot: IntArray,
    output: Path,
    *,
    filled: set[str],
) -> None:
    """Columns of the input as read, except those the classification fills, then the results."""
    names = list(table.column_names)
    changed = [name for name in results[0] if name not in names or name in filled]
    columns: list[Column] = []
    order = names + [name for name in changed if name not in names]
    for name in order:
        if name in changed:
            texts = pa.array([csv_text(row[name]) for row in results], pa.string())
            columns.append(PerGroup(texts, slot))
        elif name in groups.columns:
            coded = groups.columns[name]
            columns.append(PerGroup(coded.texts, coded.of_group))
        else:
            columns.append(PerRow(table.column(name)))
    with output.open("wb") as sink:
        write_rows(sink, order, columns, groups.group)
