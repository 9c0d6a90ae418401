"""`limbsalvage serve`: migrates an empty or outdated database, then answers /healthz."""

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from limbsalvage.cli.serve import WorkersConfig, prepare, share_signing_key, worker_app
from limbsalvage.core.vocabulary import Role
from limbsalvage.db import engine_from_settings
from limbsalvage.db.migrate import alembic_config, current_revision, head_revision, upgrade_database
from limbsalvage.demo.accounts import demo_email, demo_password
from limbsalvage.settings import Settings, get_settings
from limbsalvage.web.log_redaction import RedactTracebacks
from tests.support.databases import fresh_database


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    with fresh_database(backend, tmp_path) as url:
        yield url


def first_revision() -> str:
    engine = engine_from_settings(Settings(database_url="sqlite://"))
    script = ScriptDirectory.from_config(alembic_config(engine))
    return next(r for r in script.walk_revisions() if r.down_revision is None).revision


def test_prepare_migrates_an_empty_then_leaves_a_current_database(database_url: str) -> None:
    settings = Settings(env="development", database_url=database_url)
    app, lines = prepare(settings)
    head = head_revision(app.state.engine)
    assert lines[0].endswith(f"migrated to {head} (was empty)")
    assert current_revision(app.state.engine) == head
    with TestClient(app) as client:
        assert client.get("/healthz").json()["database"] == "ok"
    app.state.engine.dispose()
    app, lines = prepare(settings)
    assert lines[0].endswith(f"at {head}")
    app.state.engine.dispose()


def test_prepare_migrates_an_outdated_database(database_url: str) -> None:
    settings = Settings(env="development", database_url=database_url)
    engine = engine_from_settings(settings)
    first = first_revision()
    upgrade_database(engine, revision=first)
    app, lines = prepare(settings)
    head = head_revision(engine)
    expected = f"(was {first})" if first != head else f"at {head}"
    assert lines[0].endswith(expected)
    assert current_revision(engine) == head
    engine.dispose()
    app.state.engine.dispose()


def test_the_printed_database_hides_a_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    app, lines = prepare(Settings(env="development", database_url=url))
    assert str(make_url(url).database) in lines[0]
    app.state.engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_healthz(tmp_path: Path) -> None:
    port = free_port()
    database = tmp_path / "served.sqlite3"
    environment = {
        **os.environ,
        "LIMBSALVAGE_DATABASE_URL": f"sqlite:///{database}",
        "LIMBSALVAGE_ENV": "demo",
    }
    command = [str(Path(sys.executable).with_name("limbsalvage")), "serve", "--port", str(port)]
    with subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                try:
                    response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            assert response.status_code == 200
            assert response.json()["database"] == "ok"
            httpx.get(f"http://127.0.0.1:{port}/staging/wifi?name=Jane+Doe", timeout=5)
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
    assert "migrated to" in out
    assert f"serving on http://127.0.0.1:{port}" in out
    assert "password demo-admin" in out
    assert "GET /healthz 200" in err
    assert "GET /staging/wifi 200" in err
    assert "Jane" not in err  # the access log leaves out query strings
    assert database.is_file()


def test_demo_first_start_loads_the_cohort_and_prints_the_accounts(tmp_path: Path) -> None:
    settings = Settings(env="demo", database_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    app, lines = prepare(settings)
    app.state.engine.dispose()
    assert any(line.startswith("demo cohort loaded: 400 synthetic patients") for line in lines)
    assert "  clinician    clinician@demo.limbsalvage.invalid  password demo-clinician" in lines
    app, again = prepare(settings)  # the second start loads nothing more
    app.state.engine.dispose()
    assert not any("cohort loaded" in line for line in again)
    assert "demo accounts (synthetic data only):" in again


def wait_for_health(process: "subprocess.Popen[str]", base: str) -> httpx.Response:
    """The first answer of /healthz, failing if the server exits or takes over 60 s."""
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "the server did not answer within 60 s"
        try:
            return httpx.get(f"{base}/healthz", timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)


def sign_in_on_fresh_connections(base: str) -> httpx.Client:
    """The demo clinician signed in; form and post on separate connections (maybe two workers)."""
    with httpx.Client(base_url=base, timeout=10) as form:
        page = form.get("/signin")
        cookies = dict(form.cookies)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    client = httpx.Client(base_url=base, timeout=30, cookies=cookies)
    answer = client.post(
        "/signin",
        data={
            "email": demo_email(Role.CLINICIAN),
            "password": demo_password(Role.CLINICIAN),
            "csrf_token": token.group(1),
        },
    )
    assert answer.status_code == 303, answer.text
    return client


def test_serve_with_two_workers_signs_in_and_serves_pages(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "LIMBSALVAGE_DATABASE_URL": f"sqlite:///{tmp_path / 'workers.sqlite3'}",
        "LIMBSALVAGE_ENV": "demo",
    }
    environment.pop("LIMBSALVAGE_SECRET_KEY", None)  # the parent makes one for its workers
    limbsalvage = str(Path(sys.executable).with_name("limbsalvage"))
    command = [limbsalvage, "serve", "--port", str(port), "--workers", "2"]
    with subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert wait_for_health(process, base).status_code == 200
            # Each sign-in's form and post go on new connections, which the two workers share.
            for _ in range(4):
                client = sign_in_on_fresh_connections(base)
                try:
                    assert client.get("/worklist").status_code == 200
                finally:
                    client.close()
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.count("migrated to") == 1  # once, in the parent
    assert f"serving on {base} with 2 worker processes" in out
    assert "GET /worklist 200" in err  # the workers log through the redacting handler
    assert "Traceback" not in err


def without_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset the signing key for one test, and remove the one `share_signing_key` sets.

    `delenv` of an unset variable records nothing, so a key set by the code under test would
    outlive the test (it once made production mode accept a missing secret in a later test);
    `setenv` first records the variable's absence for teardown.
    """
    monkeypatch.setenv("LIMBSALVAGE_SECRET_KEY", "placeholder")
    monkeypatch.delenv("LIMBSALVAGE_SECRET_KEY")


def test_workers_share_one_signing_key_when_none_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without_secret(monkeypatch)
    share_signing_key(Settings(env="development"))
    generated = os.environ["LIMBSALVAGE_SECRET_KEY"]
    assert len(generated) >= 32
    share_signing_key(Settings(env="development", secret_key="configured-" + "k" * 32))
    assert os.environ["LIMBSALVAGE_SECRET_KEY"] == generated  # a configured secret is kept as is


def test_a_worker_builds_its_app_from_the_environment_the_parent_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Which worker accepts a connection is the kernel's choice, so the live test above cannot
    # force a form and its post onto two workers; this checks what each worker is built from.
    database = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", database)
    monkeypatch.setenv("LIMBSALVAGE_ENV", "development")
    without_secret(monkeypatch)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    get_settings.cache_clear()
    try:
        share_signing_key(get_settings())
        get_settings.cache_clear()  # a spawned worker reads the environment afresh
        app = worker_app()
        redacting = [f for h in root.handlers for f in h.filters if isinstance(f, RedactTracebacks)]
    finally:
        get_settings.cache_clear()
        root.handlers[:], root.level = handlers, level
    assert app.state.settings.secret_key == os.environ["LIMBSALVAGE_SECRET_KEY"]
    assert str(app.state.engine.url) == database
    assert redacting
    app.state.engine.dispose()


def test_the_socket_workers_share_is_tcp_so_asyncio_turns_nagle_off() -> None:
    config = WorkersConfig("limbsalvage.cli.serve:worker_app", host="127.0.0.1", port=0)
    with config.bind_socket() as shared:
        assert shared.proto == socket.IPPROTO_TCP
