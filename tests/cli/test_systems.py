"""The `limbsalvage classify SYSTEM` contract of issue 2, for every registered system.

Each system is run through `limbsalvage.cli.main.main` exactly as a user types it: its declared
example with `--json` (one JSON object) and without (human text), a bad value (exit 2, one line on
stderr naming the option and the value) and a batch CSV with one good and one bad row.
"""

import csv
import json
import shlex
from dataclasses import fields
from pathlib import Path

import pytest

from limbsalvage.cli.main import main
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.result import Classification, is_explanation

Run = tuple[int, str, str]

# One bad value per system: (CLI option, value outside what the option allows).
BAD_VALUE = {
    "perfusion": ("--toe-pressure-mmhg", "-5"),
    "wifi": ("--wound", "4"),
    "glass": ("--fp-grade", "5"),
    "rutherford": ("--presentation", "limping"),
    "ali": ("--sensory-loss", "everywhere"),
    "fontaine": ("--pain-free-walking-distance-m", "-3"),
    "wagner": ("--gangrene", "purple"),
    "texas": ("--wound-depth", "kneecap"),
    "sinbad": ("--ulcer-area-cm2", "nan"),
    "iwgdf": ("--erythema-extent-cm", "-1"),
    "ceap": ("--sign", "purple_toes"),
    "mess": ("--energy", "5"),
    "enneking": ("--grade", "medium"),
    "msts": ("--pain-points", "6"),
}
EVERY_SYSTEM = sorted(SYSTEMS)
BASE_KEYS = ("inputs", "rationale", "source", "provenance", "rule")
AMPUTATION_RISK_STAGE = {"very_low": 1, "low": 2, "moderate": 3, "high": 4}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def classify_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, err = run(capsys, "classify", *argv, "--json")
    assert (code, err) == (0, ""), err
    assert out.count("\n") == 1  # one JSON object on one line
    data: dict[str, object] = json.loads(out)
    return data


def example(name: str) -> list[str]:
    return shlex.split(SYSTEMS[name].example)


def assert_one_line_error(result: Run, *words: str) -> None:
    code, out, err = result
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("limbsalvage: error: ")
    for word in words:
        assert word in err


def with_option(argv: list[str], option: str, value: str) -> list[str]:
    """The argv with `option` set to `value` (replacing its value when the example gives one)."""
    kept: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token == option:
            next(tokens)
        else:
            kept.append(token)
    return [*kept, option, value]


def test_every_registered_system_has_a_bad_value_and_an_example() -> None:
    assert set(BAD_VALUE) == set(SYSTEMS)
    for name, system in SYSTEMS.items():
        assert system.example, name
        assert BAD_VALUE[name][0] in {spec.cli_option for spec in system.fields}


# ── every system: --json, text, bad value ─────────────────────────────────────────────────


@pytest.mark.parametrize("name", EVERY_SYSTEM)
def test_example_with_json_is_one_object_with_the_result_and_its_explanation(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    system = SYSTEMS[name]
    data = classify_json(capsys, name, *example(name))
    base = {spec.name for spec in fields(Classification)}
    own = [spec.name for spec in fields(system.result_type) if spec.name not in base]
    assert set(system.result_fields) <= set(own)
    assert data["system"] == name
    assert list(data)[: 1 + len(own)] == ["system", *own]  # the result first, then its explanation
    assert set(BASE_KEYS) <= set(data)
    assert isinstance(data["rationale"], str)
    assert data["rationale"]
    assert isinstance(data["source"], str)
    assert data["source"]
    assert isinstance(data["provenance"], str)
    assert isinstance(data["rule"], str)
    assert len(data["rule"]) == 12
    inputs = data["inputs"]
    assert isinstance(inputs, dict)
    assert inputs
    assert set(inputs) <= {spec.name for spec in system.fields}


@pytest.mark.parametrize("name", EVERY_SYSTEM)
def test_example_without_json_is_human_text_with_rule_and_source(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = run(capsys, "classify", name, *example(name))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == name
    assert any(line.startswith("inputs used: ") for line in lines)
    assert any(line.startswith("rule: ") and len(line) > len("rule: ") for line in lines)
    assert any(line.startswith("source: ") and len(line) > len("source: ") for line in lines)
    assert not out.lstrip().startswith("{")


@pytest.mark.parametrize("name", EVERY_SYSTEM)
def test_a_bad_value_exits_2_with_one_line_naming_the_option_and_the_value(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    option, value = BAD_VALUE[name]
    argv = with_option(example(name), option, value)
    assert_one_line_error(run(capsys, "classify", name, *argv), option, value)


@pytest.mark.parametrize("name", EVERY_SYSTEM)
def test_an_unknown_option_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    result = run(capsys, "classify", name, *example(name), "--colour", "red")
    assert_one_line_error(result, "--colour")


@pytest.mark.parametrize("name", EVERY_SYSTEM)
def test_every_spelling_of_an_option_belongs_to_one_input(name: str) -> None:
    spellings = [option for spec in SYSTEMS[name].fields for option in spec.cli_options]
    assert len(spellings) == len(set(spellings))


@pytest.mark.parametrize(
    ("name", "argv", "column", "value"),
    [
        # Units in the option as in the column, in every system (Rutherford's spelling)...
        ("rutherford", ["--presentation", "rest_pain", "--resting-ankle-pressure-mmhg", "35"],
         "resting_ankle_pressure_mmhg", 35.0),
        ("perfusion", ["--toe-pressure-mmhg", "35", "--diabetes"], "toe_pressure_mmhg", 35.0),
        ("wifi", ["--wound", "2", "--toe-pressure-mmhg", "35", "--diabetes", "--infection", "0"],
         "toe_pressure_mmhg", 35.0),
        ("fontaine", ["--symptom", "claudication", "--pain-free-walking-distance-m", "150"],
         "pain_free_walking_distance_m", 150.0),
        ("mess", ["--energy", "1", "--ischemia", "0", "--shock", "0", "--age-years", "25"],
         "age_years", 25),
        # ...and the earlier spellings still work.
        ("perfusion", ["--toe-pressure", "35", "--diabetes"], "toe_pressure_mmhg", 35.0),
        ("perfusion", ["--brachial-right", "120", "--dorsalis-pedis", "60"],
         "dorsalis_pedis_mmhg", 60.0),
        ("fontaine", ["--symptom", "claudication", "--walking-distance", "150"],
         "pain_free_walking_distance_m", 150.0),
    ],
)  # fmt: skip
def test_unit_spellings_and_earlier_spellings_are_accepted(
    capsys: pytest.CaptureFixture[str], name: str, argv: list[str], column: str, value: object
) -> None:
    inputs = classify_json(capsys, name, *argv)["inputs"]
    assert isinstance(inputs, dict)
    assert inputs[column] == value


# ── every system: batch CSV with a good and a bad row ─────────────────────────────────────


def cell(value: object) -> str:
    """A CSV cell for a JSON input value (lists joined by ';', as the batch reader splits them)."""
    if isinstance(value, list):
        return ";".join(cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize("name", EVERY_SYSTEM)
def test_batch_csv_classifies_the_good_row_and_reports_the_bad_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    system = SYSTEMS[name]
    inputs = classify_json(capsys, name, *example(name))["inputs"]
    assert isinstance(inputs, dict)
    good = {"limb_id": "good", **{key: cell(value) for key, value in inputs.items()}}
    option, value = BAD_VALUE[name]
    field = next(spec.name for spec in system.fields if spec.cli_option == option)
    bad = {**good, "limb_id": "bad", field: value}
    columns = list(dict.fromkeys([*good, *bad]))
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    with source.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows([good, bad])

    code, out, err = run(capsys, "classify", name, "--input", str(source), "--output", str(target))

    assert (code, out) == (0, "")
    assert "2 rows: 1 classified, 1 with errors" in err
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["limb_id"] for row in rows] == ["good", "bad"]
    assert rows[0]["error"] == ""
    assert rows[0]["rule"]
    assert any(rows[0][result] for result in system.result_fields)
    assert rows[1]["error"]
    assert field in rows[1]["error"]
    assert rows[1]["rule"] == ""
    assert rows[1][field] == value  # what the user gave is kept
    explained = [spec.name for spec in fields(system.result_type) if is_explanation(spec)]
    assert set(rows[0]) == {*columns, *system.result_fields, "rule", "error"}
    assert not set(explained) & set(rows[0])
    legend = json.loads((tmp_path / "out.csv.rules.json").read_text())
    assert set(explained) <= set(legend["rules"][rows[0]["rule"]])  # texts once, in the legend


# ── the issue-2 contract, pinned: wifi, glass, mess ───────────────────────────────────────

WIFI_KEYS = (
    "wound_grade",
    "ischemia_grade",
    "infection_grade",
    "clinical_stage",
    "amputation_risk",
    "code",
    "rationale",
    "source",
    "provenance",
)


def assert_wifi_contract(
    data: dict[str, object], wound: int, ischemia: int, infection: int
) -> None:
    assert set(WIFI_KEYS) <= set(data)
    assert (data["wound_grade"], data["ischemia_grade"], data["infection_grade"]) == (
        wound,
        ischemia,
        infection,
    )
    assert data["code"] == f"W{wound}I{ischemia}fI{infection}"
    stage = data["clinical_stage"]
    assert isinstance(stage, int)
    assert not isinstance(stage, bool)
    assert 1 <= stage <= 4
    assert data["amputation_risk"] in AMPUTATION_RISK_STAGE
    assert AMPUTATION_RISK_STAGE[str(data["amputation_risk"])] == stage


def test_wifi_issue_example_w2_i1_fi0(capsys: pytest.CaptureFixture[str]) -> None:
    """Mills 2014, clinical stage figure: W2 I1 fI0 is moderate 1-year amputation risk, stage 3."""
    data = classify_json(capsys, "wifi", "--wound", "2", "--ischemia", "1", "--infection", "0")
    assert_wifi_contract(data, 2, 1, 0)
    assert (data["code"], data["clinical_stage"], data["amputation_risk"]) == (
        "W2I1fI0",
        3,
        "moderate",
    )
    assert data["inputs"] == {"wound_grade": 2, "ischemia_grade": 1, "infection_grade": 0}


@pytest.mark.parametrize("wound", range(4))
@pytest.mark.parametrize("ischemia", range(4))
@pytest.mark.parametrize("infection", range(4))
def test_wifi_every_grade_combination_prints_the_contract(
    capsys: pytest.CaptureFixture[str], wound: int, ischemia: int, infection: int
) -> None:
    argv = ["--wound", str(wound), "--ischemia", str(ischemia), "--infection", str(infection)]
    assert_wifi_contract(classify_json(capsys, "wifi", *argv), wound, ischemia, infection)


def test_wifi_ischemia_from_toe_pressure_in_diabetes(capsys: pytest.CaptureFixture[str]) -> None:
    """SVS WIfI Table II: toe pressure 30–39 mmHg is I2."""
    data = classify_json(
        capsys, "wifi", "--wound", "2", "--toe-pressure", "35", "--diabetes", "--infection", "0"
    )
    assert_wifi_contract(data, 2, 2, 0)
    inputs = data["inputs"]
    assert isinstance(inputs, dict)
    assert inputs["toe_pressure_mmhg"] == 35.0
    assert "ischemia_grade" not in inputs  # derived, not given
    assert "toe pressure" in str(data["rationale"])


@pytest.mark.parametrize(
    ("argv", "option", "value"),
    [
        (["--wound", "4", "--ischemia", "1", "--infection", "0"], "--wound", "4"),
        (["--wound", "2", "--ischemia", "-1", "--infection", "0"], "--ischemia", "-1"),
        (["--wound", "2", "--ischemia", "1", "--infection", "x"], "--infection", "x"),
        (["--wound", "2", "--toe-pressure", "nan", "--diabetes", "--infection", "0"],
         "--toe-pressure", "nan"),
        (["--wound", "2", "--toe-pressure", "-35", "--diabetes", "--infection", "0"],
         "--toe-pressure", "-35"),
    ],
)  # fmt: skip
def test_wifi_bad_values(
    capsys: pytest.CaptureFixture[str], argv: list[str], option: str, value: str
) -> None:
    assert_one_line_error(run(capsys, "classify", "wifi", *argv), option, value)


@pytest.mark.parametrize(
    ("fp", "ip", "im", "stage"),
    [
        ("2", "3", "P1", "II"),
        ("0", "0", "P0", None),
        ("4", "0", "P2", "III"),
        ("1", "1", "P0", "I"),
    ],
)
def test_glass_contract(
    capsys: pytest.CaptureFixture[str], fp: str, ip: str, im: str, stage: str | None
) -> None:
    """GVG 2019 GLASS matrix: FP 2×IP 3 → II; FP 4 → III; FP 1×IP 1 → I; FP 0×IP 0 → no stage."""
    data = classify_json(capsys, "glass", "--fp-grade", fp, "--ip-grade", ip, "--im", im)
    assert (data["fp_grade"], data["ip_grade"]) == (int(fp), int(ip))
    assert data["stage"] == stage
    assert data["im_modifier"] == im
    assert {"rationale", "source", "provenance"} <= set(data)


@pytest.mark.parametrize(
    ("argv", "option", "value"),
    [
        (["--fp-grade", "5", "--ip-grade", "0"], "--fp-grade", "5"),
        (["--fp-grade", "1", "--ip-grade", "1.5"], "--ip-grade", "1.5"),
        (["--fp-grade", "1", "--ip-grade", "1", "--im", "P3"], "--im", "P3"),
    ],
)
def test_glass_bad_values(
    capsys: pytest.CaptureFixture[str], argv: list[str], option: str, value: str
) -> None:
    assert_one_line_error(run(capsys, "classify", "glass", *argv), option, value)


MESS_ARGV = ["--energy", "3", "--ischemia", "2", "--ischemia-hours", "7", "--shock", "1",
             "--age", "45"]  # fmt: skip


def test_mess_contract(capsys: pytest.CaptureFixture[str]) -> None:
    """Johansen 1990: energy 3 + ischaemia 2 doubled beyond 6 h + shock 1 + age 30–50 (1) = 9."""
    data = classify_json(capsys, "mess", *MESS_ARGV)
    assert data["score"] == 9
    assert data["skeletal_soft_tissue_points"] == 3
    assert data["limb_ischemia_points"] == 2
    assert data["ischemia_points_counted"] == 4
    assert data["shock_points"] == 1
    assert data["age_points"] == 1
    assert {"rationale", "source", "provenance"} <= set(data)


@pytest.mark.parametrize(
    ("option", "value"),
    [("--energy", "0"), ("--ischemia", "4"), ("--ischemia-hours", "-1"), ("--shock", "3"),
     ("--age", "-2")],
)  # fmt: skip
def test_mess_bad_values(capsys: pytest.CaptureFixture[str], option: str, value: str) -> None:
    argv = with_option(MESS_ARGV, option, value)
    assert_one_line_error(run(capsys, "classify", "mess", *argv), option, value)
