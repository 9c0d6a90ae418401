"""The per-group CSV writer writes exactly the bytes pyarrow's CSV writer writes (issue 2)."""

import io
from unittest.mock import patch

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from hypothesis import given, settings
from hypothesis import strategies as st

from limbsalvage.batch import grouped_csv
from limbsalvage.batch.grouped_csv import PerGroup, PerRow, header_line, quoted, write_rows

CELLS = st.one_of(st.none(), st.text('ab,"é \n\r', max_size=4))
NAMES = st.lists(st.text('ab,"é ', min_size=1, max_size=4), min_size=1, max_size=5, unique=True)


def arrow_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(table, sink)
    return sink.getvalue()


Layout = tuple[list[str], list[list[int] | None], list[list[str | None]], list[int]]


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    """Column names; per column, which text each group takes (None: a per-row column); texts."""
    names = draw(NAMES)
    groups = draw(st.integers(1, 4))
    rows = draw(st.lists(st.integers(0, groups - 1), max_size=12))
    of_group: list[list[int] | None] = []
    cells = []
    for _ in names:
        if draw(st.booleans()):
            texts = draw(st.lists(CELLS, min_size=1, max_size=3))
            of_group.append(
                draw(st.lists(st.integers(0, len(texts) - 1), min_size=groups, max_size=groups))
            )
        else:
            texts = draw(st.lists(CELLS, min_size=len(rows), max_size=len(rows)))
            of_group.append(None)
        cells.append(texts)
    return names, of_group, cells, rows


@settings(max_examples=200, deadline=None)
@given(layouts(), st.integers(1, 5), st.integers(1, 4))
def test_writes_what_the_arrow_writer_writes(layout: Layout, batch: int, few: int) -> None:
    names, of_group, cells, rows = layout
    group = np.array(rows, dtype=np.int64)
    columns: list[PerRow | PerGroup] = []
    expanded = {}
    for name, taken, texts in zip(names, of_group, cells, strict=True):
        array = pa.array(texts, pa.string())
        if taken is not None:
            columns.append(PerGroup(array, np.array(taken, dtype=np.int64)))
            expanded[name] = array.take(pa.array(np.array(taken, dtype=np.int64)[group]))
        else:
            # Split in two chunks, as a CSV reader hands columns over in blocks.
            half = len(texts) // 2
            columns.append(PerRow(pa.chunked_array([texts[:half], texts[half:]], pa.string())))
            expanded[name] = array
    sink = io.BytesIO()
    # Both ways of writing: per group, and (with few rows per group) Arrow's writer.
    with (
        patch.object(grouped_csv, "BATCH_ROWS", batch),
        patch.object(grouped_csv, "FEW_GROUPS", few),
    ):
        write_rows(sink, names, columns, group)
    assert sink.getvalue() == arrow_bytes(pa.table(expanded))


def test_quoting_doubles_quotes_and_leaves_null_cells_empty() -> None:
    cells = pa.array(['say "no"', None, ""], pa.string())
    assert quoted(cells, ",", "\n").to_pylist() == [',"say ""no"""\n', ",\n", ',""\n']
    assert quoted(pa.array([], pa.string())).to_pylist() == []
    assert quoted(pa.array([None, None], pa.string())).to_pylist() == ["", ""]


def test_header_quotes_every_name() -> None:
    table = pa.table({'a"b': ["x"], "c,d": ["y"]})
    assert header_line(['a"b', "c,d"]) == arrow_bytes(table).split(b"\n")[0] + b"\n"
