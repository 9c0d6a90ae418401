"""`POST /api/v1/classify/{system}`: the CLI `classify` contract over HTTP (issue 6)."""

import json
import shlex
from typing import Any

import pytest
from fastapi.testclient import TestClient

from limbsalvage.cli.main import main
from limbsalvage.core.fields import Kind, System
from limbsalvage.core.registry import SYSTEMS


def body_from_example(system: System) -> dict[str, Any]:
    """The system's CLI example as a JSON body by field name (flags become booleans)."""
    by_option = {spec.cli_option: spec for spec in system.fields}
    body: dict[str, Any] = {}
    words = shlex.split(system.example)
    while words:
        word = words.pop(0)
        negated = "--" + word.removeprefix("--no-")
        if word.startswith("--no-") and negated in by_option:
            body[by_option[negated].name] = False
            continue
        spec = by_option[word]
        if spec.kind is Kind.FLAG:
            body[spec.name] = True
        elif spec.multiple:
            body.setdefault(spec.name, []).append(words.pop(0))
        else:
            body[spec.name] = words.pop(0)
    return body


@pytest.mark.parametrize("name", list(SYSTEMS))
def test_same_output_as_the_cli(
    client: TestClient, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    system = SYSTEMS[name]
    assert main(["classify", name, *shlex.split(system.example), "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    response = client.post(f"/api/v1/classify/{name}", json=body_from_example(system))
    assert response.status_code == 200, response.text
    assert response.json() == expected
    assert response.json()["rule"]


def test_json_numbers_and_booleans_are_read_like_text(client: TestClient) -> None:
    as_text = client.post(
        "/api/v1/classify/wifi",
        json={
            "wound_grade": "2",
            "toe_pressure_mmhg": "35",
            "infection_grade": "1",
            "diabetes": "yes",
        },
    )
    as_json = client.post(
        "/api/v1/classify/wifi",
        json={"wound_grade": 2, "toe_pressure_mmhg": 35, "infection_grade": 1, "diabetes": True},
    )
    assert as_text.status_code == as_json.status_code == 200
    assert as_text.json() == as_json.json()
    assert as_json.json()["clinical_stage"] == 4
    assert as_json.json()["inputs"]["toe_pressure_mmhg"] == 35.0


def test_null_is_absent(client: TestClient) -> None:
    response = client.post(
        "/api/v1/classify/fontaine", json={"symptom": "ulcer", "pain_free_walking_distance_m": None}
    )
    assert response.status_code == 200
    assert response.json()["inputs"] == {"symptom": "ulcer"}


def test_every_field_problem_is_named_without_its_value(client: TestClient) -> None:
    response = client.post(
        "/api/v1/classify/wifi",
        json={
            "wound_grade": "two",
            "abi": [0.5],
            "ulcer": 3,
            "diabetes": "perhaps",
            "infection_grade": " ",
            "colour": "red",
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert {f["field"]: f["message"] for f in error["fields"]} == {
        "colour": "not an input of wifi",
        "wound_grade": "expected an integer",
        "abi": "expected a single value",
        "ulcer": "expected text",
        "diabetes": "expected true or false (yes/no, 1/0)",
        "infection_grade": "empty; expected a value (or leave it out)",
    }
    for value in ("two", "perhaps", "red"):
        assert value not in response.text


def test_a_value_the_classifier_refuses(client: TestClient) -> None:
    response = client.post(
        "/api/v1/classify/fontaine",
        json={"symptom": "claudication", "pain_free_walking_distance_m": -3},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "pain_free_walking_distance_m", "message": "expected a number from 0 to 100000 m"}
    ]
    assert "-3" not in response.json()["error"]["message"]


def test_missing_inputs_are_named(client: TestClient) -> None:
    response = client.post("/api/v1/classify/wifi", json={"wound_grade": 2})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "cannot_classify"
    assert error["fields"] == [{"field": "ischemia_grade", "message": "missing"}]
    assert "give the ischemia grade or a perfusion measurement" in error["message"]


def test_missing_alternatives_and_conflicts_point_at_a_field(client: TestClient) -> None:
    response = client.post("/api/v1/classify/perfusion", json={"diabetes": True})
    fields = response.json()["error"]["fields"]
    assert response.status_code == 422
    assert fields[0]["field"] == "abi"
    assert fields[0]["message"].startswith("missing brachial and ankle or toe pressures")
    response = client.post(
        "/api/v1/classify/wifi",
        json={"wound_grade": 1, "ischemia_grade": 0, "toe_pressure_mmhg": 20, "infection_grade": 0},
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields == [{"field": "ischemia_grade", "message": fields[0]["message"]}]
    assert fields[0]["message"].startswith("conflicting: ischemia_grade 0 given")


def test_missing_prose_with_no_field_is_about_the_inputs(client: TestClient) -> None:
    response = client.post(
        "/api/v1/classify/wifi", json={"ischemia_grade": 1, "infection_grade": 0}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"field": "wound_grade", "message": "missing"}]


def test_repeatable_inputs_take_a_list_or_text(client: TestClient) -> None:
    as_list = client.post(
        "/api/v1/classify/ceap",
        json={"clinical_signs": ["varicose_veins", "active_venous_ulcer"], "symptomatic": True},
    )
    as_text = client.post(
        "/api/v1/classify/ceap",
        json={"clinical_signs": "varicose_veins;active_venous_ulcer", "symptomatic": True},
    )
    assert as_list.status_code == as_text.status_code == 200
    assert as_list.json() == as_text.json()
    nested = client.post("/api/v1/classify/ceap", json={"clinical_signs": [["x"]]})
    assert nested.status_code == 422
    assert (
        nested.json()["error"]["fields"][0]["message"] == "expected a list of values or one value"
    )


@pytest.mark.parametrize(
    "raw",
    [b"", b"[1, 2]", b"not json", b'"text"', b"\xff\xfe", b"[" * 60_000, b"1" * 5000],
)
def test_a_body_that_is_not_an_object(client: TestClient, raw: bytes) -> None:
    response = client.post(
        "/api/v1/classify/wifi", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "body"


def test_a_body_too_large(client: TestClient) -> None:
    response = client.post("/api/v1/classify/wifi", content=b" " * (65 * 1024))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_unknown_system(client: TestClient) -> None:
    response = client.post("/api/v1/classify/wifi2", json={})
    assert response.status_code == 404
    assert "expected one of perfusion, wifi" in response.json()["error"]["message"]


def test_systems_lists_inputs_by_field_name(client: TestClient) -> None:
    response = client.get("/api/v1/systems")
    assert response.status_code == 200
    systems = {s["name"]: s for s in response.json()}
    assert list(systems) == list(SYSTEMS)
    fontaine = systems["fontaine"]
    assert fontaine["results"] == ["stage"]
    symptom = next(f for f in fontaine["fields"] if f["name"] == "symptom")
    assert symptom["required"] is True
    assert symptom["kind"] == "choice"
    assert "claudication" in symptom["choices"]


def test_openapi_documents_each_body_and_the_error_shape(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/classify/ceap"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["clinical_signs", "symptomatic"]
    signs = schema["properties"]["clinical_signs"]["anyOf"][0]["anyOf"][1]
    assert signs["type"] == "array"
    assert "422" in operation["responses"]
    assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    assert "/api/v1/classify/{system}" not in document["paths"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN
