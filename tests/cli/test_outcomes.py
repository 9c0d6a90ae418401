"""The `limbsalvage outcomes` contract: JSON shapes, values, and one-line errors with exit 2."""

import json
from pathlib import Path

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from limbsalvage.cli.main import main

ROWS = [
    (6, 1, "a", "x"),
    (6, 0, "a", "y"),
    (7, 2, "b", "x"),
    (10, 1, "b", "y"),
    (3, 1, "a", "y"),
    (12, 0, "b", "x"),
    (12, 2, "a", "x"),
    (0, 1, "b", "y"),
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def survival_csv(tmp_path: Path) -> Path:
    path = tmp_path / "limbs.csv"
    lines = ["days,code,stage,site"] + [",".join(map(str, row)) for row in ROWS]
    path.write_text("\n".join(lines) + "\n")
    return path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    return path


def km_args(path: Path, *extra: str) -> list[str]:
    return ["outcomes", "km", "--input", str(path), "--time-col", "days", "--event-col", *extra]


def test_km_json_is_the_contract_shape_and_equals_lifelines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(
        tmp_path, "days,died,stage\n" + "".join(f"{d},{int(c == 1)},{s}\n" for d, c, s, _ in ROWS)
    )
    code, out, err = run(capsys, *km_args(path, "died", "--group-col", "stage", "--json"))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["groups"]
    assert list(data["groups"]) == ["a", "b"]
    for name, group in data["groups"].items():
        assert list(group) == ["time", "survival", "ci_lower", "ci_upper", "at_risk"]
        rows = [r for r in ROWS if r[2] == name]
        fitter = KaplanMeierFitter().fit([r[0] for r in rows], [int(r[1] == 1) for r in rows])
        assert group["time"] == fitter.timeline.tolist()
        np.testing.assert_allclose(group["survival"], fitter.survival_function_.to_numpy()[:, 0])
        bounds = fitter.confidence_interval_.to_numpy()
        np.testing.assert_allclose(group["ci_lower"], bounds[:, 0], atol=1e-9)
        np.testing.assert_allclose(group["ci_upper"], bounds[:, 1], atol=1e-9)
        assert group["at_risk"] == fitter.event_table["at_risk"].tolist()


def test_km_without_a_group_column_uses_one_group_named_all(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, "t,e\n1,1\n2,0\n3,1\n")
    code, out, _ = run(
        capsys,
        "outcomes",
        "km",
        "--input",
        str(path),
        "--time-col",
        "t",
        "--event-col",
        "e",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert list(data["groups"]) == ["all"]
    assert data["groups"]["all"]["at_risk"] == [3, 3, 2, 1]


def test_km_text_output_lists_the_curve(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "t,e\n1,1\n2,0\n")
    code, out, _ = run(
        capsys, "outcomes", "km", "--input", str(path), "--time-col", "t", "--event-col", "e"
    )
    assert code == 0
    assert "group all" in out
    assert "0.5000" in out


def test_cif_json_has_incidence_and_matches_the_estimator(
    capsys: pytest.CaptureFixture[str], survival_csv: Path
) -> None:
    code, out, _ = run(
        capsys,
        "outcomes",
        "cif",
        "--input",
        str(survival_csv),
        "--time-col",
        "days",
        "--event-col",
        "code",
        "--event-of-interest",
        "2",
        "--json",
    )
    assert code == 0
    group = json.loads(out)["groups"]["all"]
    assert list(group) == ["time", "incidence", "ci_lower", "ci_upper", "at_risk"]
    assert group["time"] == [0.0, 3.0, 6.0, 7.0, 10.0, 12.0]
    # t=0: one event of kind 1 among 8; t=3: one of kind 1 among 7; t=6: one among 6 (+1 censored);
    # t=7: the first kind-2 event, 4 at risk, event-free before = 7/8·6/7·5/6 = 5/8 → 5/32.
    assert group["incidence"][3] == pytest.approx(5 / 32)
    assert group["at_risk"] == [8, 7, 6, 4, 3, 2]


def test_cif_text_output_and_delta_variance(
    capsys: pytest.CaptureFixture[str], survival_csv: Path
) -> None:
    code, out, _ = run(
        capsys,
        "outcomes",
        "cif",
        "--input",
        str(survival_csv),
        "--time-col",
        "days",
        "--event-col",
        "code",
        "--event-of-interest",
        "1",
        "--group-col",
        "stage",
        "--variance",
        "delta",
    )
    assert code == 0
    assert "group a" in out
    assert "incidence" in out


def test_logrank_json_matches_lifelines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path, "days,died,stage\n" + "".join(f"{d},{int(c == 1)},{s}\n" for d, c, s, _ in ROWS)
    )
    code, out, _ = run(
        capsys,
        "outcomes",
        "logrank",
        "--input",
        str(path),
        "--time-col",
        "days",
        "--event-col",
        "died",
        "--group-col",
        "stage",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    theirs = multivariate_logrank_test(
        [r[0] for r in ROWS], [r[2] for r in ROWS], [int(r[1] == 1) for r in ROWS]
    )
    assert data["statistic"] == pytest.approx(theirs.test_statistic, rel=1e-9)
    assert data["degrees_of_freedom"] == 1
    assert data["p_value"] == pytest.approx(theirs.p_value, rel=1e-9)
    assert set(data["groups"]) == {"a", "b"}


def test_stratified_logrank_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "days,died,stage,site\n" + "".join(f"{d},{int(c == 1)},{s},{x}\n" for d, c, s, x in ROWS),
    )
    code, out, _ = run(
        capsys,
        "outcomes",
        "logrank",
        "--input",
        str(path),
        "--time-col",
        "days",
        "--event-col",
        "died",
        "--group-col",
        "stage",
        "--strata-col",
        "site",
    )
    assert code == 0
    assert "on 1 degrees of freedom" in out
    assert "(2 strata)" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("days,died\n1,1\n", "no column 'stage'; the columns are days, died"),
        ("days,died,stage\n1,1,a\n-2,0,b\n", "row 2, column 'days': '-2' is negative"),
        ("days,died,stage\n1,1,a\nsoon,0,b\n", "row 2, column 'days': 'soon' is not a number"),
        ("days,died,stage\n1,x,a\n", "row 1, column 'died': 'x' is not a number"),
        ("days,died,stage\n1,2,a\n", "row 1, column 'died': '2' is not allowed; expected 0"),
        ("days,died,stage\n,1,a\n", "row 1, column 'days': the cell is empty"),
        ("days,died,stage\nnan,1,a\n", "row 1, column 'days': 'nan' is not a finite number"),
        ("days,died,stage\n1,1,\n", "row 1, column 'stage': the cell is empty"),
        ("days,died,stage\n1,1\n", "row 1: 2 cells; expected 3"),
        ("days,died,stage\n\n", "no data rows"),
        ("", "the file is empty"),
    ],
)
def test_bad_files_exit_2_naming_row_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    code, out, err = run(capsys, *km_args(path, "died", "--group-col", "stage", "--json"))
    assert code == 2
    assert out == ""
    assert message in err
    assert err.startswith("limbsalvage: error: ")
    assert err.count("\n") == 1


def test_blank_lines_are_skipped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "days,died\n1,1\n\n2,1\n")
    code, out, _ = run(capsys, *km_args(path, "died", "--json"))
    assert code == 0
    assert json.loads(out)["groups"]["all"]["time"] == [0.0, 1.0, 2.0]


def test_cif_codes_must_be_whole_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, "t,e\n1,1.5\n")
    code, _, err = run(
        capsys,
        "outcomes",
        "cif",
        "--input",
        str(path),
        "--time-col",
        "t",
        "--event-col",
        "e",
        "--event-of-interest",
        "1",
    )
    assert code == 2
    assert "expected 0 (censored) or a positive whole number" in err


def test_non_utf8_file_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"t,e\n1,1\n\xe9,0\n")
    code, _, err = run(capsys, *km_args(path, "e"))
    assert code == 2
    assert "is not UTF-8" in err


def test_missing_file_and_single_group_logrank_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, *km_args(tmp_path / "none.csv", "e"))
    assert code == 2
    assert "none.csv" in err
    path = write(tmp_path, "t,e,g\n1,1,a\n2,1,a\n")
    code, _, err = run(
        capsys,
        "outcomes",
        "logrank",
        "--input",
        str(path),
        "--time-col",
        "t",
        "--event-col",
        "e",
        "--group-col",
        "g",
    )
    assert code == 2
    assert "only one group ('a'); expected two or more" in err


def test_event_of_interest_must_be_positive(
    capsys: pytest.CaptureFixture[str], survival_csv: Path
) -> None:
    code, _, err = run(
        capsys,
        "outcomes",
        "cif",
        "--input",
        str(survival_csv),
        "--time-col",
        "days",
        "--event-col",
        "code",
        "--event-of-interest",
        "0",
    )
    assert code == 2
    assert "--event-of-interest" in err
