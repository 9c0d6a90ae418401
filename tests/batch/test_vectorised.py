"""The vectorised WIfI path writes exactly the rows the row-by-row path writes (issue 2)."""

import csv
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from limbsalvage.batch import grouped_csv
from limbsalvage.batch.files import classify_file
from limbsalvage.batch.rows import Legend
from limbsalvage.batch.vectorised import Decoded, classify_csv, decode
from limbsalvage.core.fields import InputField, Kind
from limbsalvage.core.registry import SYSTEMS

WIFI = SYSTEMS["wifi"]

# Odd spellings (spaces, signs, quotes, other scripts' digits) are decoded once per distinct text.
JUNK = st.sampled_from(
    [" ", "2 ", "\t1", "+2", "1_0", "２", '1"', "2,0", "NaN", "-0", "0x1", "Yes "]
)
GRADE_CELLS = st.one_of(
    st.sampled_from(["", "0", "1", "2", "3", "4", "-1", "2.0", " 2", "x", "03"]), JUNK
)
NUMBER_CELLS = st.one_of(
    st.sampled_from(["", "nan", "inf", "-5", "abc", " 40", "1e2", "0.40", "0.8", "1.4", "1.31"]),
    JUNK,
    st.sampled_from(["29.9", "30", "39.5", "40", "50", "59", "60", "70", "100", "100.5", "400"]),
    st.floats(min_value=0, max_value=250, allow_nan=False).map(lambda v: f"{v:.2f}"),
    st.floats(min_value=0, max_value=1.6, allow_nan=False).map(lambda v: f"{v:.3f}"),
)
FLAG_CELLS = st.one_of(st.sampled_from(["", "yes", "no", "TRUE", "0", "1", "maybe", "Y"]), JUNK)
COLUMNS = {
    "wound_grade": GRADE_CELLS,
    "ischemia_grade": st.one_of(st.just(""), GRADE_CELLS),
    "infection_grade": GRADE_CELLS,
    "abi": NUMBER_CELLS,
    "ankle_pressure_mmhg": NUMBER_CELLS,
    "toe_pressure_mmhg": NUMBER_CELLS,
    "tcpo2_mmhg": NUMBER_CELLS,
    "diabetes": FLAG_CELLS,
    "non_compressible": FLAG_CELLS,
    "unsalvageable": st.sampled_from(["", "no", "yes"]),
}
LIMB_IDS = st.text('abc,"é', max_size=4)
ROW = st.fixed_dictionaries({"limb_id": LIMB_IDS, **COLUMNS})
# Result columns a file may already carry (say, an earlier output): an error row keeps them.
CARRIED = st.fixed_dictionaries(
    {},
    optional={
        name: st.sampled_from(["", "3", "x", 'a "b"'])
        for name in ("clinical_stage", "code", "rule", "error")
    },
)


@st.composite
def registries(draw: st.DrawFn) -> list[dict[str, str]]:
    """Rows drawn from a few distinct input combinations, as in a registry, each with its own id."""
    pool = draw(st.lists(st.fixed_dictionaries(COLUMNS), min_size=1, max_size=6))
    carried = draw(CARRIED)
    picks = draw(st.lists(st.tuples(st.sampled_from(pool), LIMB_IDS), min_size=1, max_size=40))
    return [
        {
            "limb_id": limb,
            **inputs,
            **{name: draw(st.sampled_from(["", value])) for name, value in carried.items()},
        }
        for inputs, limb in picks
    ]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def both_paths(tmp_path: Path, rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], ...]:
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert classify_csv(WIFI, source, tmp_path / "probe.csv", Legend()) is not None
    # Small files have nearly a group per row and go to pyarrow's writer; render per group too.
    with patch.object(grouped_csv, "FEW_GROUPS", 0):
        assert classify_csv(WIFI, source, tmp_path / "grouped.csv", Legend()) is not None
    assert (tmp_path / "grouped.csv").read_bytes() == (tmp_path / "probe.csv").read_bytes()
    classify_file(WIFI, source, tmp_path / "fast.csv")
    classify_file(WIFI, source, tmp_path / "slow.csv", vectorised=False)
    legends = [(tmp_path / f"{name}.csv.rules.json").read_text() for name in ("fast", "slow")]
    assert legends[0] == legends[1]
    return read_rows(tmp_path / "fast.csv"), read_rows(tmp_path / "slow.csv")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(ROW, min_size=1, max_size=40))
def test_fast_and_row_paths_agree(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    fast, slow = both_paths(tmp_path, rows)
    assert fast == slow


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(registries())
def test_repeated_inputs_agree_with_the_row_path(
    tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    fast, slow = both_paths(tmp_path, rows)
    assert fast == slow


def test_clean_registry_rows_agree_and_use_the_fast_path(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    rows = [
        {
            "limb_id": f"L{i}",
            "wound_grade": str(rng.integers(0, 4)),
            "ischemia_grade": "" if i % 2 else str(rng.integers(0, 4)),
            "infection_grade": str(rng.integers(0, 4)),
            "abi": "",
            "ankle_pressure_mmhg": f"{rng.uniform(20, 160):.0f}" if i % 2 and i % 3 else "",
            "toe_pressure_mmhg": f"{rng.uniform(0, 90):.1f}" if i % 2 else "",
            "tcpo2_mmhg": "",
            "diabetes": ["yes", "no", ""][i % 3],
            "non_compressible": "",
        }
        for i in range(600)
    ]
    fast, slow = both_paths(tmp_path, rows)
    assert fast == slow
    assert {r["error"] for r in fast} == {""}


def test_files_the_fast_path_does_not_take(tmp_path: Path) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("wound_grade,ischemia_grade,infection_grade\n1,1,1,9\n")
    assert classify_csv(WIFI, ragged, tmp_path / "o.csv", Legend()) is None
    described = tmp_path / "described.csv"
    described.write_text("ulcer,gangrene,ischemia_grade,infection_grade\ndeep,none,1,1\n")
    assert classify_csv(WIFI, described, tmp_path / "o.csv", Legend()) is None
    empty = tmp_path / "empty.csv"
    empty.write_text("wound_grade,ischemia_grade,infection_grade\n")
    assert classify_csv(WIFI, empty, tmp_path / "o.csv", Legend()) is None
    assert classify_csv(SYSTEMS["fontaine"], empty, tmp_path / "o.csv", Legend()) is None
    # Either way the user gets one row per input row.
    summary = classify_file(WIFI, ragged, tmp_path / "out.csv")
    assert summary.errors == 1


def test_decode_refuses_text_columns() -> None:
    with pytest.raises(ValueError, match="no fast path"):
        decode(pa.chunked_array([["a"]]), InputField("label", Kind.TEXT, "help"))


def test_decode_numbers_marks_odd_cells_for_the_row_path() -> None:
    column = pa.chunked_array([["35", None, "abc", "nan"]])  # empty cells are read as null
    decoded = decode(column, InputField("toe_pressure_mmhg", Kind.NUMBER, "help"))
    assert isinstance(decoded, Decoded)
    assert decoded.plain.tolist() == [True, True, False, False]
    assert decoded.values[0] == 35.0
    assert np.isnan(decoded.values[1])
