"""Batch classification: one output row per input row, per-row errors, pass-through columns."""

import csv
import json
from pathlib import Path

import pytest

from limbsalvage.batch.files import BatchError, BatchFormat, classify_file, detect_format
from limbsalvage.cli.main import main
from limbsalvage.core.registry import SYSTEMS

FONTAINE = SYSTEMS["fontaine"]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_rows_keep_order_columns_and_report_errors(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        [
            {"limb_id": "a", "symptom": "claudication", "pain_free_walking_distance_m": "300"},
            {"limb_id": "b", "symptom": "claudication", "pain_free_walking_distance_m": "-1"},
            {"limb_id": "c", "symptom": "gangrene", "pain_free_walking_distance_m": ""},
        ],
    )
    summary = classify_file(FONTAINE, source, tmp_path / "out.csv")
    assert (summary.rows, summary.classified, summary.errors) == (3, 2, 1)
    rows = read_csv(tmp_path / "out.csv")
    assert [r["limb_id"] for r in rows] == ["a", "b", "c"]
    assert list(rows[0]) == [
        "limb_id", "symptom", "pain_free_walking_distance_m",
        "stage", "rule", "error",
    ]  # fmt: skip
    assert rows[0]["stage"] == "IIa"
    assert rows[0]["error"] == ""
    assert rows[1]["stage"] == ""
    assert rows[1]["pain_free_walking_distance_m"] == "-1"  # what the user gave is kept
    assert "pain_free_walking_distance_m: -1.0 is not allowed" in rows[1]["error"]
    assert rows[2]["stage"] == "IV"
    legend = json.loads((tmp_path / "out.csv.rules.json").read_text())
    rule = legend["rules"][rows[2]["rule"]]
    assert rule["rationale"] == "gangrene → stage IV"
    assert rule["tables"] == ["fontaine-stages@1954.1"]
    assert legend["tables"]["fontaine-stages@1954.1"]["source"].startswith("Fontaine R")
    assert rows[0]["rule"] != rows[2]["rule"]
    assert "1 with errors" in summary.describe()


def test_jsonl_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": 1, "symptom": "rest_pain"}) + "\n\n" + json.dumps({"id": 2}) + "\n"
    )
    classify_file(FONTAINE, source, tmp_path / "out.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert lines[0]["stage"] == "III"
    assert lines[0]["id"] == 1
    assert lines[1]["error"] == "cannot classify fontaine: missing symptom"


def test_row_with_too_many_values_is_an_error_row(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("symptom\nulcer,extra\nulcer\n")
    classify_file(FONTAINE, source, tmp_path / "out.csv")
    rows = read_csv(tmp_path / "out.csv")
    assert "more values than the header" in rows[0]["error"]
    assert rows[1]["stage"] == "IV"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("in.jsonl", "{not json}\n", "line 1: not valid JSON"),
        ("in.jsonl", "[1, 2]\n", "line 1: expected a JSON object, got list"),
        ("in.csv", "", "the CSV file has no header row"),
        ("in.txt", "x", "cannot tell the format from '.txt'"),
    ],
)
def test_unreadable_files_raise_batch_error(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    source = tmp_path / name
    source.write_text(content)
    with pytest.raises(BatchError, match=message):
        classify_file(FONTAINE, source, tmp_path / "out")


@pytest.mark.parametrize("name", ["in.csv", "in.jsonl"])
def test_a_file_that_is_not_utf8_is_refused_and_leaves_no_output(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    text = "symptom\nulcer\ncaf\xe9\n" if name.endswith(".csv") else '{"symptom": "caf\xe9"}\n'
    source.write_bytes(text.encode("latin-1"))
    with pytest.raises(BatchError, match=r"not UTF-8 text \(byte 0xe9 at offset"):
        classify_file(FONTAINE, source, tmp_path / "out")
    assert list(tmp_path.iterdir()) == [source]


def test_a_wifi_csv_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(
        "wound_grade,ischemia_grade,infection_grade,note\n2,1,0,caf\xe9\n".encode("latin-1")
    )
    with pytest.raises(BatchError, match="not UTF-8 text"):
        classify_file(SYSTEMS["wifi"], source, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_format_detection() -> None:
    assert detect_format(Path("x.ndjson"), None) is BatchFormat.JSONL
    assert detect_format(Path("x.dat"), "csv") is BatchFormat.CSV


def test_cli_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "in.csv", [{"symptom": "ulcer"}])
    target = tmp_path / "out.csv"
    code = main(["classify", "fontaine", "--input", str(source), "--output", str(target)])
    assert code == 0
    assert "1 rows: 1 classified, 0 with errors" in capsys.readouterr().err
    assert read_csv(target)[0]["stage"] == "IV"


def test_cli_batch_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["classify", "fontaine", "--input", str(tmp_path / "no.csv"), "--output", "x.csv"])
    assert code == 2
    assert capsys.readouterr().err.strip().endswith("no.csv: no such file")
    source = write_csv(tmp_path / "in.csv", [{"symptom": "ulcer"}])
    code = main(
        ["classify", "fontaine", "--symptom", "ulcer", "--input", str(source), "--output", "x.csv"]
    )
    assert code == 2
    assert "--symptom cannot be combined with --input" in capsys.readouterr().err
    code = main(["classify", "fontaine", "--input", str(source), "--output", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err.count("\n") == 1
