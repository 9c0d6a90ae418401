"""The `limbsalvage classify` contract: output, exit codes, one-line errors (issue 2)."""

import json

import pytest

from limbsalvage.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_is_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "classify", "fontaine", "--symptom", "ulcer", "--json")
    assert code == 0
    assert err == ""
    data = json.loads(out)
    assert data["system"] == "fontaine"
    assert data["stage"] == "IV"
    assert data["inputs"] == {"symptom": "ulcer"}
    assert {"rationale", "source", "provenance", "tables"} <= set(data)


def test_text_output_shows_inputs_rule_and_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "classify", "fontaine", "--symptom", "claudication", "--walking-distance", "150"
    )
    assert code == 0
    assert "stage  IIb" in out
    assert "inputs used: symptom=claudication, pain_free_walking_distance_m=150.0" in out
    assert "rule: claudication within 200 m → stage IIb" in out
    assert "source: Fontaine R" in out
    assert "provenance: IIa/IIb split at 200 m" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--symptom", "claudication", "--pain-free-walking-distance-m", "-3"],
            "--pain-free-walking-distance-m: '-3' is not allowed; expected a number from 0 to "
            "100000 m",
        ),
        (
            ["--symptom", "cramp"],
            "--symptom: 'cramp' is not allowed; expected one of asymptomatic, claudication,",
        ),
        (
            ["--symptom", "claudication"],
            "cannot classify fontaine: missing --pain-free-walking-distance-m",
        ),
        ([], "cannot classify fontaine: missing --symptom"),
        (["--symptom", "ulcer", "--colour", "red"], "No such option '--colour'"),
        (["--symptom", "ulcer", "--input", "a.csv"], "--input and --output are given together"),
        (
            ["--symptom", "claudication", "--walking-distance", " "],  # the earlier spelling
            "--pain-free-walking-distance-m: '' is not allowed; expected a value",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "classify", "fontaine", *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("limbsalvage: error: ")
    assert message in err


def test_unknown_system(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "classify", "nosuch")
    assert code == 2
    assert "No such command 'nosuch'" in err


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "classify", "fontaine", "--help")
    assert code == 0
    assert "--pain-free-walking-distance-m, --walking-distance" in out
    assert "Example: limbsalvage classify fontaine" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert "limbsalvage, version" in out


def test_systems_lists_every_registered_system(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "systems")
    assert code == 0
    assert "fontaine" in out
