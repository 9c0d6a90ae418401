"""One error shape for every error, and the error page for browsers (issue 6)."""

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from starlette.requests import Request

from limbsalvage.errors import (
    Conflict,
    DomainError,
    FieldProblem,
    Forbidden,
    Invalid,
    NotFound,
    StaleUpdate,
    Unauthenticated,
)
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app
from limbsalvage.web.errors import status_of, validation_problems, wants_html


def shape(response_json: dict[str, object]) -> dict[str, object]:
    assert set(response_json) == {"error"}
    error = response_json["error"]
    assert isinstance(error, dict)
    assert set(error) == {"status", "code", "message", "fields"}
    return error


class Body(BaseModel):
    age_years: int


def app_raising(error: Exception) -> FastAPI:
    app = create_app(Settings(env="demo"))

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise error

    @app.get("/page/boom")
    def page_boom() -> None:
        raise error

    @app.post("/api/v1/typed")
    def typed(body: Body) -> int:
        return body.age_years

    return app


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotFound("no such patient"), 404, "not_found"),
        (Conflict("duplicate MRN at this site"), 409, "conflict"),
        (StaleUpdate("changed since you read it"), 409, "stale_update"),
        (Forbidden("your role does not allow this"), 403, "forbidden"),
        (Unauthenticated("sign in first"), 401, "unauthenticated"),
        (DomainError("something else"), 400, "domain_error"),
    ],
)
def test_domain_errors_map_to_status_and_shape(error: DomainError, status: int, code: str) -> None:
    client = TestClient(app_raising(error))
    response = client.get("/api/v1/boom")
    assert response.status_code == status
    body = shape(response.json())
    assert body == {"status": status, "code": code, "message": error.message, "fields": []}
    assert status_of(error) == status


def test_invalid_names_each_field() -> None:
    error = Invalid("2 problems", fields=[FieldProblem("abi", "expected a number from 0 to 3")])
    response = TestClient(app_raising(error)).get("/api/v1/boom")
    assert response.status_code == 422
    assert shape(response.json())["fields"] == [
        {"field": "abi", "message": "expected a number from 0 to 3"}
    ]


def test_request_validation_uses_the_shape_without_the_value() -> None:
    client = TestClient(app_raising(NotFound("x")))
    response = client.post("/api/v1/typed", json={"age_years": "Jane Doe"})
    assert response.status_code == 422
    body = shape(response.json())
    assert body["code"] == "invalid"
    assert body["fields"] == [{"field": "age_years", "message": body["fields"][0]["message"]}]
    assert "Jane Doe" not in response.text


def test_validation_problem_locations() -> None:
    problems = validation_problems(
        [
            {"loc": ("body", "a", 0), "msg": "bad"},
            {"loc": ("query", "page"), "msg": "too big"},
            {"loc": ("body",), "msg": "missing"},
            {"loc": (), "msg": "odd"},
        ]
    )
    assert [p.field for p in problems] == ["a.0", "page", "body", "request"]


def test_unknown_path_and_method() -> None:
    client = TestClient(app_raising(NotFound("x")))
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert shape(response.json())["code"] == "not_found"
    response = client.delete("/api/v1/systems")
    assert response.status_code == 405
    assert shape(response.json())["code"] == "method_not_allowed"


def test_browsers_get_the_error_page() -> None:
    client = TestClient(app_raising(NotFound("no such patient")))
    response = client.get("/page/boom", headers={"accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no such patient" in response.text
    assert 'role="alert"' in response.text
    # The API answers JSON whatever the browser accepts.
    response = client.get("/api/v1/boom", headers={"accept": "text/html"})
    assert response.headers["content-type"] == "application/json"


def test_unexpected_error_is_a_500_in_the_shape_and_logs_no_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(
        app_raising(RuntimeError("MRN 123456 Jane Doe")), raise_server_exceptions=False
    )
    with caplog.at_level(logging.ERROR, logger="limbsalvage.web"):
        response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert shape(response.json())["code"] == "internal_error"
    assert "Jane Doe" not in response.text
    assert "RuntimeError" in caplog.text
    assert "Jane Doe" not in caplog.text
    assert "123456" not in caplog.text


@pytest.mark.parametrize(
    ("path", "headers", "html"),
    [
        ("/staging/wifi", {"accept": "text/html"}, True),
        ("/staging/wifi", {"accept": "application/json"}, False),
        ("/staging/wifi", {"accept": "text/html", "hx-request": "true"}, False),
        ("/api/v1/systems", {"accept": "text/html"}, False),
        ("/healthz", {"accept": "text/html"}, False),
    ],
)
def test_wants_html(path: str, headers: dict[str, str], html: bool) -> None:
    scope = {
        "type": "http",
        "path": path,
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    assert wants_html(Request(scope)) is html


def test_an_unreadable_body_is_invalid_input() -> None:
    client = TestClient(app_raising(NotFound("x")))
    headers = {"content-type": "application/json"}
    response = client.post("/api/v1/typed", content=b"{not json", headers=headers)
    assert response.status_code == 422
    assert shape(response.json())["fields"] == [{"field": "body", "message": "not valid JSON"}]
    response = client.post("/api/v1/typed", content=b"\r\xef\x1bH", headers=headers)
    assert response.status_code == 422
    assert shape(response.json())["fields"] == [
        {"field": "body", "message": "could not be read; expected JSON or a form"}
    ]


def test_a_busy_database_is_a_503_to_retry() -> None:
    busy = OperationalError(
        "UPDATE audit_head SET seq=?", {"secret": "Jane Doe"}, Exception("locked")
    )
    client = TestClient(app_raising(busy))
    response = client.get("/api/v1/boom")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert shape(response.json())["code"] == "unavailable"
    assert "Jane Doe" not in response.text
