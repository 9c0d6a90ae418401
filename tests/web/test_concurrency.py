"""Concurrent requests on a live server: no 503 or 500, every read audited, the chain intact.

Page loads read in their own transaction and write the access audit in a short one after it
(docs/web/concurrency.md), so readers no longer queue on SQLite's write lock for the whole
request. Writers (new patients) run beside them to keep the lock contended.
"""

import inspect
import re
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy import Engine, func, select

from limbsalvage.db import audit
from limbsalvage.db.audit import AuditEntry
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app
from limbsalvage.web.auth import database
from tests.support.web import PASSWORD, Seeded, email_of
from tests.web.conftest import LiveServer

CLIENTS = 8
ROUNDS = 12
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def _signed_in(base: str, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=60, headers={"accept": "text/html"})
    token = _CSRF_FIELD.search(client.get("/signin").text)
    assert token is not None
    signin = {"email": email_of(name), "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/signin", data=signin).status_code == 303
    page = _CSRF_FIELD.search(client.get("/patients/new").text)
    assert page is not None
    return client, page.group(1)


def _reads(engine: Engine, detail: str) -> int:
    with engine.connect() as connection:
        count = connection.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.detail == detail)
        )
    return int(count or 0)


def test_concurrent_page_loads_and_writes(
    seeded_engine: tuple[Engine, Seeded], tmp_path: Path
) -> None:
    engine, seeded = seeded_engine
    # The default busy timeout: the test shows the server copes with it, not with a longer one.
    app = create_app(Settings(env="demo", data_dir=tmp_path), engine=engine)
    charts_before = _reads(engine, "chart")
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    with LiveServer(app) as base:
        clients = [_signed_in(base, "clinician") for _ in range(CLIENTS)]

        def work(index: int) -> None:
            client, token = clients[index]
            for round_number in range(ROUNDS):
                responses = [
                    client.get(f"/patients/{seeded.patient_north}"),
                    client.get("/worklist"),
                    client.get(f"/api/v1/patients/{seeded.patient_north}"),
                ]
                if round_number % 4 == index % 4:
                    responses.append(
                        _new_patient(
                            client, token, seeded.sites["north"], f"C{index}-{round_number}"
                        )
                    )
                with lock:
                    statuses.update(r.status_code for r in responses)

        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(work, range(CLIENTS)))
        for client, _ in clients:
            client.close()
    assert set(statuses) <= {200, 303}, statuses
    assert statuses[303] == CLIENTS * ROUNDS // 4
    # Every chart shown is in the audit log, once, and the chain verifies.
    assert _reads(engine, "chart") - charts_before == CLIENTS * ROUNDS
    with engine.connect() as connection:
        assert audit.verify(connection).ok


def _new_patient(client: httpx.Client, token: str, site_id: int, mrn: str) -> httpx.Response:
    return client.post(
        "/patients/new",
        data={
            "csrf_token": token,
            "site_id": str(site_id),
            "mrn": mrn,
            "given_name": "Grace",
            "family_name": "Hopper",
            "birth_date": "1950-01-01",
            "sex": "female",
        },
    )


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for child in dependant.dependencies:
        yield child
        yield from _dependencies(child)


def test_no_coroutine_route_uses_the_database(db_app: FastAPI) -> None:
    # A coroutine route's queries would block the event loop, and with it the commit of the
    # request holding the lock they wait for (a deadlock on PostgreSQL, a 503 on SQLite).
    offenders = [
        route.path
        for route in db_app.routes
        if isinstance(route, APIRoute)
        and inspect.iscoroutinefunction(route.endpoint)
        and any(d.call is database for d in _dependencies(route.dependant))
    ]
    assert offenders == []
