"""Rows grouped by the exact text of their input cells, read from CSV as Arrow dictionaries.

A registry repeats a few thousand distinct input combinations over a million rows. Reading the
input columns dictionary-encoded gives each cell a small integer code; combining the codes
groups the rows without touching their text, so decoding, validation and classification run
once per group and are then taken back to every row of the group.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

IntArray = npt.NDArray[np.int64]

_CODED = pa.dictionary(pa.int32(), pa.string())


@dataclass(frozen=True)
class Coded:
    """Texts shared by groups: group g's text is `texts[of_group[g]]` (null: an empty cell)."""

    texts: pa.Array
    of_group: IntArray

    def text(self, group: int) -> str | None:
        """The text of one group."""
        value: str | None = self.texts[int(self.of_group[group])].as_py()
        return value


@dataclass(frozen=True)
class RowGroups:
    """Rows with the same text in every keyed column, numbered 0…size−1."""

    group: IntArray  # each row's group
    first: IntArray  # one row of each group
    columns: Mapping[str, Coded]  # each keyed column's distinct texts and each group's one

    @property
    def size(self) -> int:
        """The number of groups."""
        return len(self.first)


def read_csv(source: Path, names: list[str], keyed: list[str]) -> pa.Table:
    """Every column as text, keyed ones dictionary-encoded; empty cells null (both "absent")."""
    options = pacsv.ConvertOptions(
        column_types={name: _CODED if name in keyed else pa.string() for name in names},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    # Each block of the file has its own dictionary; one per column makes the codes comparable.
    return pacsv.read_csv(source, convert_options=options).unify_dictionaries()


def dense_groups(key: IntArray) -> tuple[IntArray, IntArray]:
    """One representative position per distinct key, and each position's group number.

    Keys index a dense table (callers keep them small), which is linear in rows; any position of
    a group may represent it. Groups are numbered in increasing key order.
    """
    if key.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # 32-bit tables: half the memory to fault in (positions and groups stay below 2**31).
    small: type[np.signedinteger[Any]] = np.int32 if key.size < 1 << 31 else np.int64
    representative = np.full(int(key.max()) + 1, -1, dtype=small)
    representative[key] = np.arange(key.size, dtype=small)
    present = np.flatnonzero(representative >= 0)
    group_of_key = np.zeros(representative.size, dtype=small)
    group_of_key[present] = np.arange(present.size, dtype=small)
    return representative[present].astype(np.int64), group_of_key[key].astype(np.int64)


def _codes(column: pa.ChunkedArray) -> tuple[pa.Array, npt.NDArray[np.int32]]:
    """The column's distinct texts plus a final null, and each row's position among them."""
    dictionary = column.chunk(0).dictionary
    indices = pa.chunked_array([chunk.indices for chunk in column.chunks], pa.int32())
    indices = indices.combine_chunks()
    codes = np.frombuffer(indices.buffers()[1], np.int32)[indices.offset :][: len(indices)]
    if indices.null_count:
        codes = np.where(pc.is_null(indices).to_numpy(zero_copy_only=False), len(dictionary), codes)
    texts = pa.concat_arrays([dictionary, pa.nulls(1, pa.string())])
    return texts, codes


def _renumber(key: IntArray, domain: int, limit: int) -> tuple[IntArray, IntArray]:
    """One row per distinct key and each row's group number (dense table when keys are small)."""
    if domain <= limit:
        return dense_groups(key)
    _, first, group = np.unique(key, return_index=True, return_inverse=True)
    return first.astype(np.int64), group.reshape(-1).astype(np.int64)


def group_rows(table: pa.Table, keyed: list[str]) -> RowGroups:
    """Group the rows of a table read by `read_csv` by the text of their keyed columns."""
    rows = table.num_rows
    limit = rows + 1024  # largest dense key table, in entries
    key = np.zeros(rows, dtype=np.int64)
    domain = 1
    columns: dict[str, tuple[pa.Array, npt.NDArray[np.int32]]] = {}
    for name in keyed:
        texts, codes = columns[name] = _codes(table.column(name))
        if domain <= limit < domain * len(texts) or domain * len(texts) >= 1 << 62:
            # Renumber the combinations seen so far: densely while it is cheap, else by sorting
            # (a column with nearly one text per row), and always before the key overflows.
            key = _renumber(key, domain, limit)[1]
            domain = int(key.max()) + 1
        key *= len(texts)
        key += codes
        domain *= len(texts)
    first, group = _renumber(key, domain, limit)
    coded = {
        name: Coded(texts, codes[first].astype(np.int64))
        for name, (texts, codes) in columns.items()
    }
    return RowGroups(group, first, coded)
