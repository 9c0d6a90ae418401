"""Read survival data (time, event code, group) from a CSV file, naming any bad row and column.

Rows are numbered from 1 for the first data row (the header is not counted).
"""

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from limbsalvage.core.outcomes.data import FloatArray, IntArray
from limbsalvage.core.outcomes.errors import OutcomesError

SINGLE_GROUP = "all"


class SurvivalFileError(OutcomesError):
    """A survival file cannot be used; the message names the file, row and column."""


@dataclass(frozen=True)
class SurvivalColumns:
    """The columns of a survival file, checked."""

    durations: FloatArray
    codes: IntArray
    groups: tuple[str, ...]
    strata: tuple[str, ...] | None

    def by_group(self) -> Iterator[tuple[str, FloatArray, IntArray]]:
        """(name, times, codes) per group, groups in sorted order."""
        labels = np.array(self.groups)
        for name in sorted(set(self.groups)):
            rows = labels == name
            yield name, self.durations[rows], self.codes[rows]


def _number(path: Path, row: int, column: str, text: str) -> float:
    where = f"{path}: row {row}, column {column!r}"
    if not text.strip():
        raise SurvivalFileError(f"{where}: the cell is empty; expected a number")
    try:
        value = float(text)
    except ValueError:
        raise SurvivalFileError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise SurvivalFileError(f"{where}: {text!r} is not a finite number")
    return value


def _time(path: Path, row: int, column: str, text: str) -> float:
    value = _number(path, row, column, text)
    if value < 0:
        raise SurvivalFileError(
            f"{path}: row {row}, column {column!r}: {text!r} is negative; expected a time ≥ 0"
        )
    return value


def _code(path: Path, row: int, column: str, text: str, largest: int | None) -> int:
    value = _number(path, row, column, text)
    allowed = (
        "0 (censored) or 1 (event)"
        if largest == 1
        else "0 (censored) or a positive whole number (the event code)"
    )
    if value < 0 or value != int(value) or (largest is not None and value > largest):
        raise SurvivalFileError(
            f"{path}: row {row}, column {column!r}: {text!r} is not allowed; expected {allowed}"
        )
    return int(value)


def _label(path: Path, row: int, column: str, text: str) -> str:
    label = text.strip()
    if not label:
        raise SurvivalFileError(f"{path}: row {row}, column {column!r}: the cell is empty")
    return label


def read_survival_csv(
    path: Path,
    *,
    time_col: str,
    event_col: str,
    group_col: str | None = None,
    strata_col: str | None = None,
    largest_code: int | None = None,
) -> SurvivalColumns:
    """Read and check the named columns; without a group column every row is in group 'all'."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise SurvivalFileError(f"{path}: the file is empty; expected a header row")
            names = [name.strip() for name in header]
            wanted = [c for c in (time_col, event_col, group_col, strata_col) if c is not None]
            missing = [c for c in wanted if c not in names]
            if missing:
                raise SurvivalFileError(
                    f"{path}: no column {', '.join(map(repr, missing))}; "
                    f"the columns are {', '.join(names)}"
                )
            at = {name: names.index(name) for name in wanted}
            times: list[float] = []
            codes: list[int] = []
            groups: list[str] = []
            strata: list[str] = []
            for row, cells in enumerate(reader, start=1):
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) < len(names):
                    raise SurvivalFileError(
                        f"{path}: row {row}: {len(cells)} cells; expected {len(names)}"
                    )
                times.append(_time(path, row, time_col, cells[at[time_col]]))
                codes.append(_code(path, row, event_col, cells[at[event_col]], largest_code))
                if group_col is not None:
                    groups.append(_label(path, row, group_col, cells[at[group_col]]))
                if strata_col is not None:
                    strata.append(_label(path, row, strata_col, cells[at[strata_col]]))
    except UnicodeDecodeError as error:
        raise SurvivalFileError(
            f"{path}: byte {error.start} is not UTF-8; expected a UTF-8 CSV file"
        ) from None
    if not times:
        raise SurvivalFileError(f"{path}: no data rows")
    return SurvivalColumns(
        durations=np.array(times, dtype=np.float64),
        codes=np.array(codes, dtype=np.int64),
        groups=tuple(groups) if group_col is not None else (SINGLE_GROUP,) * len(times),
        strata=tuple(strata) if strata_col is not None else None,
    )
