"""Web load benchmark on loopback: worklist, chart and classify beside a bare FastAPI endpoint.

The registry is the synthetic demo cohort (`limbsalvage demo load`, `--patients`, 100,000 by
default, as of a fixed date), loaded once into a SQLite file cached under bench/out/, then
copied and migrated to the newest schema for each run (page loads append audit entries). The
demo sites get a time zone so the worklist counts time-to-treatment breaches. A demo clinician
signs in from each of --concurrency client threads, and each endpoint gets --requests requests
(after 3 uncounted warm-up requests per client; runs before --workers existed had none).
A bare FastAPI app (one JSON endpoint) is served the same way as the baseline. Prints p50, p95,
p99 latency and throughput per endpoint, the classify/bare throughput ratio and the machine's
load average; record them in docs/benchmarks.md.

--workers chooses how the two apps are served:
- 0 (the default, and the only mode before --workers existed, so older figures compare with
  it): Uvicorn in this process, in a thread; the client threads share the server's GIL.
- N >= 1: separate processes, `limbsalvage serve --workers N` on the copied database (through
  LIMBSALVAGE_DATABASE_URL, demo mode) and the bare app in N worker processes started the same
  way (`limbsalvage.cli.serve.run_workers`), so clients and servers never share a GIL;
  measuring starts once every worker has logged its start. The served app writes its access log
  (to a temporary file), as it does in production; the in-process app logs nowhere.

    .venv/bin/python bench/bench_web.py [--patients 100000] [--requests 400] [--concurrency 4]
                                        [--workers 0]
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from typing import IO

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, func, select

from limbsalvage.accounts.models import Site
from limbsalvage.core.vocabulary import Role
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.demo.accounts import demo_email, demo_password
from limbsalvage.demo.load import load_demo
from limbsalvage.patients.models import Patient
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app
from limbsalvage.web.log_redaction import configure_logging

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
AS_OF = date(2026, 11, 1)
ZONE = "Europe/London"
WARM_UP = 3  # requests per client and endpoint before the measured ones


def cached_registry(patients: int) -> Path:
    """The demo registry of `patients` patients, built once and kept under bench/out/."""
    path = OUT / f"web-demo-{patients}.sqlite3"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{building}")
    upgrade_database(engine)
    started = time.perf_counter()
    with unit_of_work(make_sessionmaker(engine)) as db:
        load_demo(db=db, patients=patients, as_of=AS_OF)
        for site in db.scalars(select(Site)):
            site.settings = {**(site.settings or {}), "time_zone": ZONE}
    print(f"registry: {patients:,} demo patients loaded in {time.perf_counter() - started:.1f} s")
    engine.dispose()
    building.rename(path)
    return path


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


# The baseline: importable by name, so that worker processes can serve it too.
bare = FastAPI()


@bare.get("/bare")
def bare_endpoint() -> dict[str, bool]:
    """The least a FastAPI endpoint does."""
    return {"ok": True}


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def separate_process(
    command: list[str], port: int, workers: int, environment: dict[str, str]
) -> Iterator[str]:
    """`command` serving on `port` once each of its `workers` has started (its log says so)."""
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL, stderr=log, text=True
        )
        try:
            deadline = time.monotonic() + 180
            # A worker still importing would steal a core from the first requests measured.
            while log_text(log).count("Application startup complete") < workers:
                assert process.poll() is None, f"{command[0]} exited: {log_text(log)[-2000:]}"
                assert time.monotonic() < deadline, f"{command} did not start within 180 s"
                time.sleep(0.2)
            yield base
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)


def log_text(log: IO[str]) -> str:
    """All that was written to `log` so far."""
    log.seek(0)
    return log.read()


def application_apart(workers: int, database: Path, directory: Path) -> AbstractContextManager[str]:
    """`limbsalvage serve --workers N` in demo mode on the copied registry."""
    port = free_port()
    environment = {
        **os.environ,
        "LIMBSALVAGE_DATABASE_URL": f"sqlite:///{database}",
        "LIMBSALVAGE_ENV": "demo",
        "LIMBSALVAGE_DATA_DIR": str(directory),
    }
    limbsalvage = str(Path(sys.executable).with_name("limbsalvage"))
    command = [limbsalvage, "serve", "--port", str(port), "--workers", str(workers)]
    return separate_process(command, port, workers, environment)


def bare_app() -> FastAPI:
    """The bare app in a worker process, logging its start (which `separate_process` awaits)."""
    configure_logging()
    return bare


def bare_apart(workers: int) -> AbstractContextManager[str]:
    """The bare app in `workers` processes, started the way `limbsalvage serve` starts its own."""
    port = free_port()
    start = (
        "from limbsalvage.cli.serve import run_workers; "
        f"run_workers('bench_web:bare_app', host='127.0.0.1', port={port}, workers={workers})"
    )
    path = os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")]))
    environment = {**os.environ, "PYTHONPATH": path}
    return separate_process([sys.executable, "-c", start], port, workers, environment)


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

    for client in clients:  # warm-up, not counted: templates compiled, pages cached
        for _ in range(WARM_UP):
            send(client)
    started = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(work, clients))
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    rate = len(latencies) / wall
    print(
        f"{name:<22} n={len(latencies):>5}  p50={cuts[49] * 1000:7.1f} ms  "
        f"p95={cuts[94] * 1000:7.1f} ms  p99={cuts[98] * 1000:7.1f} ms  {rate:7.1f} req/s"
    )
    return rate


def signed_in(base: str) -> httpx.Client:
    """A client signed in as the demo clinician."""
    client = httpx.Client(base_url=base, timeout=120, headers={"accept": "text/html"})
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
    assert token is not None
    client.post(
        "/signin",
        data={
            "email": demo_email(Role.CLINICIAN),
            "password": demo_password(Role.CLINICIAN),
            "csrf_token": token.group(1),
        },
    )
    return client


def patient_ids(engine: Engine) -> list[int]:
    """Every patient id of the registry (chart requests pick among them)."""
    with engine.connect() as connection:
        ids = list(connection.scalars(select(Patient.id)))
        assert len(ids) == connection.scalar(select(func.count()).select_from(Patient))
    return ids


def main() -> None:
    """Build or reuse the registry, serve, load, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--workers", type=int, default=0, help="0: serve in this process; N: N worker processes"
    )
    args = parser.parse_args()
    cached = cached_registry(args.patients)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"served {'in this process' if args.workers == 0 else f'by {args.workers} workers'}")
    with tempfile.TemporaryDirectory() as directory:
        copy = Path(directory) / "bench.sqlite3"
        shutil.copyfile(cached, copy)
        engine = make_engine(f"sqlite:///{copy}")
        upgrade_database(engine)  # a registry cached before a newer migration catches up
        ids = patient_ids(engine)
        application: AbstractContextManager[str]
        baseline: AbstractContextManager[str]
        if args.workers == 0:
            app = create_app(Settings(env="demo", data_dir=Path(directory)), engine=engine)
            application, baseline = Served(app), Served(bare)
        else:
            application = application_apart(args.workers, copy, Path(directory))
            baseline = bare_apart(args.workers)
        body = {"wound_grade": 2, "toe_pressure_mmhg": 35, "infection_grade": 1}
        pick = random.Random(1)
        with application as base, baseline as bare_base:
            clients = [signed_in(base) for _ in range(args.concurrency)]
            bare_clients = [httpx.Client(base_url=bare_base) for _ in range(args.concurrency)]
            runs: dict[str, tuple[Callable[[httpx.Client], httpx.Response], list[httpx.Client]]]
            runs = {
                "bare": (lambda c: c.get("/bare"), bare_clients),
                "classify": (lambda c: c.post("/api/v1/classify/wifi", json=body), clients),
                "worklist": (lambda c: c.get("/worklist"), clients),
                "worklist page 40": (lambda c: c.get("/worklist?page=40"), clients),
                "worklist filtered": (
                    lambda c: c.get("/worklist?show=awaiting_imaging&cause=clti"),
                    clients,
                ),
                "worklist search": (lambda c: c.get("/worklist?q=syn-12"), clients),
                # Family names "Synthetic-1", "Synthetic-10"…: about 11% of the patients.
                "worklist search hits": (lambda c: c.get("/worklist?q=synthetic-1"), clients),
                "chart": (lambda c: c.get(f"/patients/{pick.choice(ids)}"), clients),
            }
            rates = {
                name: load(name, send, who, args.requests) for name, (send, who) in runs.items()
            }
            for client in clients + bare_clients:
                client.close()
        print(f"classify / bare throughput: {rates['classify'] / rates['bare']:.2f}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        engine.dispose()


if __name__ == "__main__":
    main()
