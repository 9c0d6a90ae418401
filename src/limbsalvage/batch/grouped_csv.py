"""Write CSV text byte for byte as pyarrow's writer does, from per-row and per-group cells.

In a registry most output cells depend only on a row's *group* (rows with the same inputs get the
same result), so each run of such columns is rendered once per group and the rows take their
group's text; only the other columns (limb ids, dates…) are rendered per row. Every cell is
written as `pyarrow.csv.write_csv` writes a text cell: quoted with inner quotes doubled, and
empty (unquoted) for null; the header names are quoted the same way.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

IntArray = npt.NDArray[np.int64]

BATCH_ROWS = 1 << 14  # rows rendered at once: small buffers are reused, not faulted in anew
FEW_GROUPS = 4  # rendering per group pays while there are at least this many rows per group
_QUOTE = ord('"')


@dataclass(frozen=True)
class PerRow:
    """A column with its own text in every row (null for an empty cell)."""

    cells: pa.ChunkedArray


@dataclass(frozen=True)
class PerGroup:
    """A column whose text is fixed by the row's group: `texts[of_group[g]]` (null: empty)."""

    texts: pa.Array
    of_group: IntArray


Column = PerRow | PerGroup


def _escaped(cells: pa.Array) -> pa.Array:
    """Inner quotes doubled (skipped when no cell holds one, the usual case)."""
    data = cells.buffers()[2] if len(cells) else None
    if data is not None and (np.frombuffer(data, np.uint8) == _QUOTE).any():
        return pc.replace_substring(cells, '"', '""')
    return cells


def quoted(cells: pa.Array, start: str = "", end: str = "") -> pa.Array:
    """Each cell as the CSV writer writes text, between `start` and `end`; null: nothing between."""
    texts = pc.binary_join_element_wise(start + '"', _escaped(cells), '"' + end, "")
    return pc.fill_null(texts, start + end)


def _pieces(cells: pa.Array, start: str, end: str) -> list[str | pa.Array]:
    """Pieces whose concatenation is `quoted(cells, start, end)`, without a copy if none is null."""
    if cells.null_count:
        return [quoted(cells, start, end)]
    return [start + '"', _escaped(cells), '"' + end]


def header_line(names: Sequence[str]) -> bytes:
    """The header as the CSV writer writes it: every name quoted."""
    return (",".join('"' + name.replace('"', '""') + '"' for name in names) + "\n").encode()


def _parts(columns: Sequence[Column]) -> list[PerRow | pa.Array]:
    """Each run of per-group columns as one text per group; later parts open with a comma."""
    parts: list[PerRow | pa.Array] = []
    run: list[pa.Array] = []
    for position, column in enumerate(columns):
        last = position == len(columns) - 1
        if isinstance(column, PerGroup):
            run.append(quoted(column.texts).take(pa.array(column.of_group)))
        if run and (isinstance(column, PerRow) or last):
            text = pc.binary_join_element_wise(*run, ",") if len(run) > 1 else run[0]
            end = "\n" if isinstance(column, PerGroup) and last else ""
            parts.append(pc.binary_join_element_wise("," if parts else "", text, end, ""))
            run = []
        if isinstance(column, PerRow):
            parts.append(column)  # rendered batch by batch in `write_rows`
    return parts


def _write_data(sink: BinaryIO, lines: pa.Array) -> None:
    first, after = lines.offset, lines.offset + len(lines)
    offsets = np.frombuffer(lines.buffers()[1], np.int32)[[first, after]]
    data = lines.buffers()[2]
    if data is not None:
        sink.write(memoryview(data)[int(offsets[0]) : int(offsets[-1])])


def write_rows(
    sink: BinaryIO, names: Sequence[str], columns: Sequence[Column], group: IntArray
) -> None:
    """Write the header and one line per row; `group` names each row's group."""
    groups = max((len(c.of_group) for c in columns if isinstance(c, PerGroup)), default=0)
    if groups * FEW_GROUPS > len(group):
        # Nearly a group per row: rendering per group saves nothing; Arrow's writer is faster.
        # Whole arrays: pyarrow 26's writer garbles a dictionary holding nulls, and a column
        # whose chunks start with an empty one.
        expanded = [
            c.cells.combine_chunks()
            if isinstance(c, PerRow)
            else c.texts.take(pa.array(c.of_group[group]))
            for c in columns
        ]
        table = pa.Table.from_arrays(expanded, names=[f"c{i}" for i in range(len(columns))])
        sink.write(header_line(names))
        pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False))
        return
    sink.write(header_line(names))
    parts = _parts(columns)
    indices = pa.array(group)
    for begin in range(0, len(group), BATCH_ROWS):
        size = min(BATCH_ROWS, len(group) - begin)
        pieces: list[str | pa.Array] = []
        for position, part in enumerate(parts):
            if isinstance(part, PerRow):
                cells = part.cells.slice(begin, size).combine_chunks()
                start = "," if position else ""
                end = "\n" if position == len(parts) - 1 else ""
                pieces.extend(_pieces(cells, start, end))
            else:
                pieces.append(pc.take(part, indices.slice(begin, size)))
        _write_data(sink, pc.binary_join_element_wise(*pieces, ""))
