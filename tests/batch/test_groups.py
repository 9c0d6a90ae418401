"""Rows are grouped by the exact text of their keyed cells (issue 2, vectorised batch path)."""

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from limbsalvage.batch.groups import dense_groups, group_rows, read_csv

CELLS = st.one_of(st.none(), st.sampled_from(["1", " 1", "1 ", "01", "yes", "YES", "", "é"]))


def coded(columns: dict[str, list[list[str | None]]]) -> pa.Table:
    """A table as `read_csv` returns it: dictionary-encoded in blocks, dictionaries unified."""
    return pa.table(
        {
            name: pa.chunked_array(
                [pa.array(block, pa.string()).dictionary_encode() for block in blocks]
            )
            for name, blocks in columns.items()
        }
    ).unify_dictionaries()


def assert_groups_match_rows(table: pa.Table, keyed: list[str]) -> None:
    groups = group_rows(table, keyed)
    rows = list(zip(*(table.column(name).to_pylist() for name in keyed), strict=True))
    if not keyed:
        rows = [()] * table.num_rows
    assert len(groups.group) == table.num_rows
    assert groups.size == len(set(rows))
    seen: dict[tuple[str | None, ...], int] = {}
    for row, group in zip(rows, groups.group.tolist(), strict=True):
        assert seen.setdefault(row, group) == group  # same text, same group; and back:
    assert len(set(seen.values())) == len(seen)
    for row, group in seen.items():
        assert rows[groups.first[group]] == row
        assert tuple(groups.columns[name].text(group) for name in keyed) == row


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 3).flatmap(
        lambda width: st.lists(
            st.lists(st.tuples(*[CELLS] * width), min_size=1, max_size=10), min_size=1, max_size=3
        )
    )
)
def test_rows_with_the_same_cells_share_a_group(blocks: list[list[tuple[str | None, ...]]]) -> None:
    width = len(blocks[0][0])
    names = [f"c{i}" for i in range(width)]
    table = coded(
        {name: [[row[i] for row in block] for block in blocks] for i, name in enumerate(names)}
    )
    if width == 0:
        table = pa.table({"limb_id": [str(i) for block in blocks for i in range(len(block))]})
    assert_groups_match_rows(table, names)


def test_nearly_distinct_rows_are_grouped_by_sorting() -> None:
    # One text per row in many columns: more combinations than a dense table, or an int64, holds.
    values = [str(i) for i in range(600)]
    columns = {f"c{shift}": [values[shift:] + values[:shift]] for shift in range(8)}
    table = coded({**columns, "x": [["x"] * 300 + ["y"] * 300]})
    assert_groups_match_rows(table, [*columns, "x"])


def test_reading_a_file_of_many_blocks(tmp_path: Path) -> None:
    source = tmp_path / "registry.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["limb_id", "wound_grade", "diabetes"])
        # Later blocks bring texts the first block never saw: their dictionaries differ.
        writer.writerows(
            [f"L{i}", str(i * 4 // 150_000), ["", "yes", "no"][i % 3]] for i in range(150_000)
        )
    table = read_csv(source, ["limb_id", "wound_grade", "diabetes"], ["wound_grade", "diabetes"])
    assert table.column("wound_grade").num_chunks > 1
    assert pa.types.is_string(table.column("limb_id").type)
    groups = group_rows(table, ["wound_grade", "diabetes"])
    assert groups.size == 12
    wounds = [groups.columns["wound_grade"].text(group) for group in range(groups.size)]
    assert sorted(wounds) == sorted(["0", "1", "2", "3"] * 3)
    assert {groups.columns["diabetes"].text(group) for group in range(groups.size)} == {
        None,
        "yes",
        "no",
    }
    assert groups.group[0] == groups.group[3] != groups.group[1]


def test_dense_groups_number_keys_in_order() -> None:
    first, group = dense_groups(np.array([7, 3, 7, 0], dtype=np.int64))
    assert group.tolist() == [2, 1, 2, 0]
    assert first.tolist()[:2] == [3, 1]
    empty_first, empty_group = dense_groups(np.zeros(0, dtype=np.int64))
    assert empty_first.size == empty_group.size == 0
