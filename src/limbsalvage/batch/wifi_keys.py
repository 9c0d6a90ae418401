"""The category key of a WIfI row: everything its result depends on, as one integer.

Grades and flags enter as they are; perfusion values enter through the case the vectorised
ischemia grading assigns them (measure, band, agreement between measures), which fixes the
scalar result's grade, governing measure, rule text and provenance.
"""

from collections.abc import Mapping
from typing import Protocol

import numpy as np
import numpy.typing as npt

from limbsalvage.core.perfusion import wifi_ischemia_grade_array

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

_PERFUSION = ("abi", "ankle_pressure_mmhg", "toe_pressure_mmhg", "tcpo2_mmhg")
_FLAGS = ("diabetes", "non_compressible")
_GRADES = ("wound_grade", "ischemia_grade", "infection_grade", "unsalvageable")
_CASE_RADIX = 256  # int8 case index (−1…127) shifted by one


class DecodedColumn(Protocol):
    """A decoded input column (see batch.vectorised.Decoded)."""

    @property
    def values(self) -> FloatArray: ...


def _slot(values: FloatArray, radix: int) -> tuple[IntArray, BoolArray]:
    """Absent → 0, value v → v + 1; rows outside 0…radix−2 are not eligible."""
    present = ~np.isnan(values)
    shifted = np.where(present, values + 1, 0)
    ok = (shifted >= 0) & (shifted < radix) & (shifted == np.floor(shifted))
    return np.where(ok, shifted, 0).astype(np.int64), ok


def wifi_category_key(
    decoded: Mapping[str, DecodedColumn], rows: int
) -> tuple[IntArray, BoolArray]:
    """One integer per row naming its category, and whether the fast path may serve the row."""
    absent = np.full(rows, np.nan)

    def column(name: str) -> FloatArray:
        found = decoded.get(name)
        return absent if found is None else found.values

    key = np.zeros(rows, dtype=np.int64)
    eligible = np.ones(rows, dtype=bool)
    for name in (*_GRADES, *_FLAGS):
        slot, ok = _slot(column(name), 5)
        key = key * 5 + slot
        eligible &= ok
    measured = np.zeros(rows, dtype=bool)
    for name in _PERFUSION:
        measured |= ~np.isnan(column(name))
    if measured.any():
        ischemia = wifi_ischemia_grade_array(
            **{name: column(name) for name in (*_PERFUSION, *_FLAGS)}
        )
        case = np.where(measured, ischemia.case.astype(np.int64) + 1, 0)
        # Invalid or ungradable measurements are reported by the scalar path, row by row.
        eligible &= ~measured | (ischemia.error == 0)
    else:
        case = np.zeros(rows, dtype=np.int64)
    return key * _CASE_RADIX + case, eligible
