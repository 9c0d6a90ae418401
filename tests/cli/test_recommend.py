"""The `limbsalvage recommend` contract (issue 4): JSON shape, text rendering, exit 2 errors."""

import json
from pathlib import Path

import pytest

from limbsalvage.cli.main import main
from limbsalvage.cli.recommend import HEADER, render_text
from limbsalvage.core.pathway import PathwayResult


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, case: object, name: str = "case.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(case), encoding="utf-8")
    return str(path)


CASE = {
    "cause": "clti",
    "wound_grade": 2,
    "toe_pressure_mmhg": 25,
    "infection_iwgdf": 2,
    "fp_grade": 2,
    "ip_grade": 3,
    "perioperative_mortality_pct": 2,
    "two_year_survival_pct": 70,
    "usable_gsv": True,
    "wet_gangrene": True,
}


def test_json_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "recommend", "--input", write(tmp_path, CASE), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"recommendations", "missing"}
    first = data["recommendations"][0]
    assert first["id"] == "infection.source_control"
    assert first["urgency"] == "emergent"
    for rec in data["recommendations"]:
        assert {"id", "category", "urgency", "strategy", "rationale", "citation", "missing"} <= set(
            rec
        )
        assert set(rec["citation"]) == {"guideline", "recommendation", "reference"}
    grid = next(r for r in data["recommendations"] if r["id"] == "gvg.ebr.wifi4.glass_ii")
    assert grid["strategy"] == "indeterminate"
    assert "wifi_stage 4 (the stage of W2I3fI1)" in grid["rationale"]
    assert all(set(m) == {"field", "rules"} for m in data["missing"])


def test_text_rendering(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "recommend", "--input", write(tmp_path, {**CASE, "ambulatory": False})
    )
    assert code == 0
    assert out.startswith(HEADER)
    assert "EMERGENT  infection.source_control  [infection_control]" in out
    assert "strategy: indeterminate" in out
    assert "(for shared decision-making)" in out
    assert "source: GVG 2019, recommendation 6.7" in out
    assert "Not known yet" in out
    venous = write(tmp_path, {"cause": "venous", "ceap_class": "C6", "abi": 0.9}, "v.json")
    _, text, _ = run(capsys, "recommend", "--input", venous)
    assert "could change with: non_compressible, mixed_arterial_venous" in text


def test_raw_wound_descriptions_are_graded_by_the_engine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = {k: v for k, v in CASE.items() if k != "wound_grade"}
    case = write(tmp_path, {**raw, "ulcer": "deep", "gangrene": "none", "wound_label": "hallux"})
    code, out, err = run(capsys, "recommend", "--input", case, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"recommendations", "missing"}  # the contract's shape is unchanged
    grid = next(r for r in data["recommendations"] if r["id"] == "gvg.ebr.wifi4.glass_ii")
    assert "wifi_stage 4 (the stage of W2I3fI1)" in grid["rationale"]
    _, text, _ = run(capsys, "recommend", "--input", case)
    assert "From the findings given:" in text
    assert "  wound_grade 2: the WIfI wound grade of the wounds described: worst wound" in text
    assert "doi:10.1016/j.jvs.2013.08.003" in text
    bad = write(tmp_path, {**raw, "ulcer": "deep;none", "gangrene": "none"}, "bad.json")
    code, _, err = run(capsys, "recommend", "--input", bad)
    assert code == 2
    assert "same number of wounds" in err
    assert err.count("\n") == 1


def test_nothing_fired_is_said() -> None:
    assert "No recommendation fired" in render_text(PathwayResult((), ()))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"cause": "clti", "colour": "red"}, "colour: 'red' is not allowed; expected a field"),
        ({"cause": "clti", "wound_grade": 7}, "wound_grade: 7 is not allowed; expected an integer"),
        ({"cause": "ulcer"}, "cause: 'ulcer' is not allowed; expected one of clti, diabetic_foot"),
        ({"wound_grade": 1}, "cause: None is not allowed; expected one of clti"),
        (
            {"cause": "clti", "wound_grade": 2, "ischemia_grade": 3, "infection_grade": 1,
             "wifi_stage": 3},
            "wifi_stage: 3 contradicts the stage of W2I3fI1 (4); expected the stage of the grades",
        ),
        ([1, 2], "list is not allowed; expected one JSON object"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: object, message: str
) -> None:
    code, out, err = run(capsys, "recommend", "--input", write(tmp_path, case), "--json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("limbsalvage: error: ")
    assert message in err


def test_unreadable_files_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "recommend", "--input", str(broken))
    assert code == 2
    assert "not valid JSON" in err
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"cause": "clti\xe9"}')
    code, _, err = run(capsys, "recommend", "--input", str(latin))
    assert code == 2
    assert "not UTF-8" in err
    code, _, err = run(capsys, "recommend", "--input", str(tmp_path / "absent.json"))
    assert code == 2
    assert "absent.json" in err
    code, _, err = run(capsys, "recommend")
    assert code == 2
    assert "--input" in err
