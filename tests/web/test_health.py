"""`GET /healthz`: ready, and the database checked when there is one."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from limbsalvage import __version__
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app


def test_ready_without_a_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "database": "none"}


def test_checks_the_database(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'ok.sqlite3'}")
    client = TestClient(create_app(Settings(env="demo"), engine=engine))
    assert client.get("/healthz").json()["database"] == "ok"


def test_unavailable_database_is_a_503(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'no.sqlite3'}")
    client = TestClient(create_app(Settings(env="demo"), engine=engine))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
