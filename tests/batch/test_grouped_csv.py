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


@st.composite
def layouts(draw: st.DrawFn) -> tuple[list[str], list[bool], list[list[str | None]], list[int]]:
    names = draw(NAMES)
    groups = draw(st.integers(1, 4))
    rows = draw(st.lists(st.integers(0, groups - 1), max_size=12))
    per_group = [draw(st.booleans()) for _ in names]
    cells = [
        draw(st.lists(CELLS, min_size=size, max_size=size))
        for size in (groups if grouped else len(rows) for grouped in per_group)
    ]
    return names, per_group, cells, rows


@settings(max_examples=150, deadline=None)
@given(layouts(), st.integers(1, 5))
def test_writes_what_the_arrow_writer_writes(
    layout: tuple[list[str], list[bool], list[list[str | None]], list[int]], batch: int
) -> None:
    names, per_group, cells, rows = layout
    group = np.array(rows, dtype=np.int64)
    columns: list[PerRow | PerGroup] = []
    expanded = {}
    for name, grouped, texts in zip(names, per_group, cells, strict=True):
        array = pa.array(texts, pa.string())
        if grouped:
            columns.append(PerGroup(array))
            expanded[name] = array.take(pa.array(group))
        else:
            # Split in two chunks, as a CSV reader hands columns over in blocks.
            half = len(texts) // 2
            columns.append(PerRow(pa.chunked_array([texts[:half], texts[half:]], pa.string())))
            expanded[name] = array
    sink = io.BytesIO()
    with patch.object(grouped_csv, "BATCH_ROWS", batch):
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
