"""Signed-in JSON API clients for the resource tests, and checks of the one error shape."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from limbsalvage.db.audit import AuditEntry
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app
from tests.support.web import sign_in


@dataclass
class Api:
    """A client signed in as one test account, sending its CSRF token on every change."""

    client: TestClient

    csrf: str

    def get(self, path: str, **params: Any) -> httpx.Response:
        """GET `path` with query parameters."""
        return self.client.get(path, params=params)

    def send(self, method: str, path: str, body: Any = None) -> httpx.Response:
        """An unsafe request with a JSON body."""
        return self.client.request(method, path, json=body, headers={"x-csrf-token": self.csrf})

    def post(self, path: str, body: Any = None) -> httpx.Response:
        """POST a JSON body."""
        return self.send("POST", path, body)

    def patch(self, path: str, body: Any) -> httpx.Response:
        """PATCH a JSON body."""
        return self.send("PATCH", path, body)

    def put(self, path: str, body: Any) -> httpx.Response:
        """PUT a JSON body."""
        return self.send("PUT", path, body)


@contextmanager
def api_clients(engine: Engine, names: list[str]) -> Iterator[dict[str, Api]]:
    """One signed-in client per account name on an app serving `engine`."""
    app = create_app(Settings(env="demo"), engine=engine)
    with ExitStack() as stack:
        made = {}
        for name in names:
            client = stack.enter_context(TestClient(app, raise_server_exceptions=True))
            made[name] = Api(client, sign_in(client, name))
        yield made


def created(response: httpx.Response) -> dict[str, Any]:
    """The body of a 201, failing with the error when it is not one."""
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def ok(response: httpx.Response) -> Any:
    """The body of a 200, failing with the error when it is not one."""
    assert response.status_code == 200, response.text
    return response.json()


def error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The error document, checked against the one shape."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()["error"]
    assert set(body) == {"status", "code", "message", "fields"}
    assert body["status"] == status
    assert body["code"] == code
    return body


def fields_of(response: httpx.Response) -> dict[str, str]:
    """The fields a 422 names, with their messages."""
    body = error(response, 422, "invalid")
    return {f["field"]: f["message"] for f in body["fields"]}


def last_audit(app_or_engine: FastAPI | Engine, action: str) -> AuditEntry:
    """The newest audit entry of `action`."""
    engine = app_or_engine.state.engine if isinstance(app_or_engine, FastAPI) else app_or_engine
    with Session(engine) as db:
        entry = db.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        )
    assert entry is not None
    return entry
