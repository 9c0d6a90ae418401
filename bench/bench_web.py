"""Web load benchmark on loopback: worklist, chart and classify against a bare FastAPI endpoint.

Builds a SQLite registry of --patients synthetic patients (one limb and one open episode each,
bulk-inserted), serves the application with uvicorn on 127.0.0.1 in this process, signs in a
clinician and sends a bounded number of requests per endpoint from --concurrency client threads.
A bare FastAPI app (one JSON endpoint) is served the same way as the baseline. Prints p50, p95,
p99 latency and throughput per endpoint and the classify/bare throughput ratio; record them in
docs/benchmarks.md.

    .venv/bin/python bench/bench_web.py [--patients 100000] [--requests 1000] [--concurrency 8]
"""

import argparse
import random
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, insert

from limbsalvage.accounts.models import Membership, Site, User
from limbsalvage.accounts.passwords import hash_password
from limbsalvage.core.vocabulary import Role
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.patients.models import Episode, Limb, Patient
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app

PASSWORD = "bench-password"
CHUNK = 10_000


def build(engine: Engine, patients: int, seed: int = 6) -> None:
    """One site, one clinician, `patients` patients each with a limb and an open episode."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    stamp = {"created_at": now, "updated_at": now, "version": 1}
    with engine.begin() as connection:
        connection.execute(
            insert(Site), [{"code": "bench", "name": "Bench", "settings": {}, **stamp}]
        )
        connection.execute(
            insert(User),
            [
                {
                    "email": "clinician@bench.test",
                    "display_name": "Bench clinician",
                    "password_hash": hash_password(PASSWORD),
                    "is_active": True,
                    "is_demo": False,
                    **stamp,
                }
            ],
        )
        connection.execute(
            insert(Membership), [{"user_id": 1, "site_id": 1, "role": Role.CLINICIAN, **stamp}]
        )
        for start in range(0, patients, CHUNK):
            ids = range(start + 1, min(start + CHUNK, patients) + 1)
            connection.execute(
                insert(Patient),
                [
                    {
                        "id": i,
                        "site_id": 1,
                        "mrn": f"B{i:07d}",
                        "given_name": f"Given{i % 997}",
                        "family_name": f"Family{i % 1009}",
                        "birth_date": date(1930, 1, 1) + timedelta(days=rng.randrange(20_000)),
                        "sex": rng.choice(["female", "male"]),
                        "is_synthetic": True,
                        **stamp,
                    }
                    for i in ids
                ],
            )
            connection.execute(
                insert(Limb), [{"id": i, "patient_id": i, "side": "left", **stamp} for i in ids]
            )
            connection.execute(
                insert(Episode),
                [
                    {
                        "id": i,
                        "patient_id": i,
                        "limb_id": i,
                        "cause": "clti",
                        "setting": "outpatient",
                        "status": "open",
                        "presented_on": date(2026, 1, 1) - timedelta(days=rng.randrange(365)),
                        **stamp,
                    }
                    for i in ids
                ],
            )


class Served:
    """An ASGI app on a free loopback port in a thread."""

    def __init__(self, app: FastAPI) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join()


def load(
    name: str,
    send: Callable[[httpx.Client], httpx.Response],
    clients: list[httpx.Client],
    requests: int,
) -> float:
    """Send `requests` requests over the clients; print latencies; return requests per second."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = requests // len(clients)

    def work(client: httpx.Client) -> None:
        for _ in range(per_client):
            started = time.perf_counter()
            response = send(client)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (name, response.status_code)
            with lock:
                latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(work, clients))
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    rate = len(latencies) / wall
    print(
        f"{name:<10} n={len(latencies):>6}  p50={cuts[49] * 1000:7.1f} ms  "
        f"p95={cuts[94] * 1000:7.1f} ms  p99={cuts[98] * 1000:7.1f} ms  {rate:8.1f} req/s"
    )
    return rate


def main() -> None:
    """Build, serve, load, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{Path(directory) / 'bench.sqlite3'}")
        upgrade_database(engine)
        started = time.perf_counter()
        build(engine, args.patients)
        print(
            f"registry: {args.patients:,} patients built in {time.perf_counter() - started:.1f} s"
        )
        app = create_app(Settings(env="development"), engine=engine)
        bare = FastAPI()

        @bare.get("/bare")
        def bare_endpoint() -> dict[str, bool]:
            return {"ok": True}

        body = {"wound_grade": 2, "toe_pressure_mmhg": 35, "infection_grade": 1}
        with Served(app) as base, Served(bare) as bare_base:
            clients = [httpx.Client(base_url=base, timeout=60) for _ in range(args.concurrency)]
            for client in clients:
                form = client.get("/signin").text
                token = re.search(r'name="csrf_token" value="([^"]+)"', form)
                assert token is not None
                client.post(
                    "/signin",
                    data={
                        "email": "clinician@bench.test",
                        "password": PASSWORD,
                        "csrf_token": token.group(1),
                    },
                )
            bare_clients = [httpx.Client(base_url=bare_base) for _ in range(args.concurrency)]
            ids = random.Random(1)
            rates = {
                "bare": load("bare", lambda c: c.get("/bare"), bare_clients, args.requests),
                "classify": load(
                    "classify",
                    lambda c: c.post("/api/v1/classify/wifi", json=body),
                    clients,
                    args.requests,
                ),
                "worklist": load("worklist", lambda c: c.get("/worklist"), clients, args.requests),
                "chart": load(
                    "chart",
                    lambda c: c.get(f"/patients/{ids.randrange(1, args.patients + 1)}"),
                    clients,
                    args.requests,
                ),
            }
            for client in clients + bare_clients:
                client.close()
        print(f"classify / bare throughput: {rates['classify'] / rates['bare']:.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()
